"""Reads of the musyawarah kelurahan. Anything shown to a user starts from ``for_user``."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from musyawarah.choices import KeputusanKeluarga, StatusMusyawarah
from musyawarah.models import KeluargaDibahas, Musyawarah, PesertaMusyawarah
from pmks.models import AnggotaKeluarga, Keluarga

HARI_BERANDA = 30  # the home page shows the musyawarah of the coming month


def musyawarah_list(*, user: Any) -> QuerySet[Musyawarah]:
    return (
        Musyawarah.objects.for_user(user)
        .select_related("kelurahan__induk")
        .annotate(
            jumlah_peserta=Count("peserta", distinct=True),
            jumlah_diusulkan=Count(
                "keluarga_dibahas",
                filter=Q(keluarga_dibahas__keputusan=KeputusanKeluarga.DIUSULKAN),
                distinct=True,
            ),
            jumlah_dicoret=Count(
                "keluarga_dibahas",
                filter=Q(keluarga_dibahas__keputusan=KeputusanKeluarga.DICORET),
                distinct=True,
            ),
        )
        .order_by("-tanggal", "-pk")
    )


def musyawarah_get_for_user_or_404(*, user: Any, pk: int) -> Musyawarah:
    """Another area's musyawarah is a 404, like a missing one."""
    return get_object_or_404(
        Musyawarah.objects.for_user(user).select_related("kelurahan__induk", "dicatat_oleh"), pk=pk
    )


def peserta_of(musyawarah: Musyawarah) -> QuerySet[PesertaMusyawarah]:
    return musyawarah.peserta.order_by("pk")


def keluarga_dibahas_of(musyawarah: Musyawarah) -> list[tuple[KeluargaDibahas, str]]:
    """The households discussed, each with its head's name, proposed first."""
    rows = list(musyawarah.keluarga_dibahas.select_related("keluarga").order_by("keputusan", "pk"))
    heads = kepala_keluarga([r.keluarga_id for r in rows])
    return [(r, heads.get(r.keluarga_id, "")) for r in rows]


def kepala_keluarga(ids: list[int]) -> dict[int, str]:
    return dict(
        AnggotaKeluarga.objects.filter(keluarga_id__in=ids, hubungan="kepala").values_list(
            "keluarga_id", "nama"
        )
    )


def akan_datang(*, user: Any, hari: int = HARI_BERANDA) -> QuerySet[Musyawarah]:
    """Scheduled musyawarah of the user's area in the coming ``hari`` days."""
    today = timezone.localdate()
    return (
        Musyawarah.objects.for_user(user)
        .filter(
            status=StatusMusyawarah.DIJADWALKAN,
            tanggal__gte=today,
            tanggal__lte=today + datetime.timedelta(days=hari),
        )
        .select_related("kelurahan")
        .order_by("tanggal", "pk")
    )


def dibahas_untuk_keluarga(*, user: Any, keluarga: Keluarga) -> QuerySet[KeluargaDibahas]:
    """Where a household was discussed, and what was decided."""
    return (
        KeluargaDibahas.objects.for_user(user)
        .filter(keluarga=keluarga)
        .select_related("musyawarah")
        .order_by("-musyawarah__tanggal")
    )


# -- Citing a musyawarah in a proposal (bantuan) --------------------------------------------------


def musyawarah_pengusul(keluarga_ids: list[int]) -> QuerySet[Musyawarah]:
    """Held musyawarah that proposed any of these households (latest first)."""
    return (
        Musyawarah.objects.selesai()
        .filter(
            keluarga_dibahas__keluarga_id__in=keluarga_ids,
            keluarga_dibahas__keputusan=KeputusanKeluarga.DIUSULKAN,
        )
        .select_related("kelurahan")
        .distinct()
        .order_by("-tanggal", "-pk")
    )


def pengusul_terakhir(keluarga_ids: list[int]) -> dict[int, Musyawarah]:
    """Household pk -> the latest held musyawarah of its kelurahan that proposed it."""
    rows = (
        KeluargaDibahas.objects.filter(
            keluarga_id__in=keluarga_ids,
            keputusan=KeputusanKeluarga.DIUSULKAN,
            musyawarah__status=StatusMusyawarah.SELESAI,
        )
        .select_related("musyawarah__kelurahan", "keluarga")
        .order_by("musyawarah__tanggal", "musyawarah__pk")
    )
    return {r.keluarga_id: r.musyawarah for r in rows if r.keluarga.kelurahan_id == r.musyawarah.kelurahan_id}


def alasan_tidak_dapat_dikutip(musyawarah: Musyawarah, keluarga: Keluarga) -> str | None:
    """Why a proposal of ``keluarga`` may not cite ``musyawarah`` (None when it may): it must be
    a held musyawarah of the household's own kelurahan that proposed this household."""
    if musyawarah.kelurahan_id != keluarga.kelurahan_id:
        return _("%(m)s bukan musyawarah kelurahan KK %(kk)s.") % {"m": musyawarah, "kk": keluarga.no_kk}
    if musyawarah.status != StatusMusyawarah.SELESAI:
        return _("%(m)s belum selesai (masih dijadwalkan); kutip musyawarah yang sudah diadakan.") % {
            "m": musyawarah
        }
    proposed = musyawarah.keluarga_dibahas.filter(keluarga=keluarga, keputusan=KeputusanKeluarga.DIUSULKAN)
    if not proposed.exists():
        return _("%(m)s tidak mengusulkan KK %(kk)s.") % {"m": musyawarah, "kk": keluarga.no_kk}
    return None
