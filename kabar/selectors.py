"""Reads of the inbox. A notification is listed only while the recipient's area still covers it."""

from __future__ import annotations

from typing import Any

from kabar.models import Notifikasi


def kotak_masuk(user: Any):
    return Notifikasi.objects.for_user(user).filter(penerima=user).select_related("pelaku")


def jumlah_belum_dibaca(user: Any) -> int:
    return kotak_masuk(user).filter(dibaca_pada__isnull=True).count()


def jumlah_belum_dibaca_per_peran() -> list[dict[str, Any]]:
    """Unread notifications per role group (README figure on the demo)."""
    from django.db.models import Count, Q

    from accounts.models import User

    return list(
        User.objects.filter(is_active=True, groups__isnull=False)
        .values("groups__name")
        .annotate(
            pengguna=Count("pk", distinct=True),
            belum_dibaca=Count("notifikasi", filter=Q(notifikasi__dibaca_pada__isnull=True)),
            semua=Count("notifikasi"),
        )
        .order_by("groups__name")
    )
