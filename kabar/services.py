"""Announce an event to the users it concerns. Called by the service that made the change, inside
its transaction (a rolled-back change announces nothing; e-mail leaves only after commit).

Who hears of an event: the users named (the person who recorded or proposed the thing) and every
user holding ``perm`` whose active assignment covers the event's area — the current TKSK of the
kecamatan after a hand-over, every Dinas Sosial verifier for a submitted list. Everyone is checked
against the area and must still be active; the actor is never told of their own action. So a
notification never carries one area's data to a user of another.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import JenisPenugasan
from accounts.models import Penugasan, User
from inti.scoping import scope_of
from kabar.choices import Peristiwa
from kabar.models import Notifikasi

log = logging.getLogger(__name__)


TKSK = (JenisPenugasan.TKSK,)
DINAS = (JenisPenugasan.DINAS,)
KELURAHAN = (JenisPenugasan.KELURAHAN,)


def kode_pencakup(kode: str) -> list[str]:
    """'35.74.04.1003' -> ['35', '35.74', '35.74.04', '35.74.04.1003']: the codes whose
    assignments cover this area (index 1 is the city, 2 the kecamatan; wilayah.kode)."""
    parts = kode.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def pengguna_wilayah(kode: str, perm: str, penugasan: Iterable[str] = ()) -> list[User]:
    """Active users holding ``perm`` (through a group or directly) assigned today to ``kode`` or
    an area containing it, by an assignment of one of the kinds ``penugasan`` (any when empty):
    the TKSK of the kecamatan, not every city-wide staff member who could also act there.
    Superusers without an assignment are not told of every event."""
    app_label, codename = perm.split(".", 1)
    has_perm = Q(
        groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label
    ) | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    assigned = Penugasan.objects.active_on(timezone.localdate()).filter(wilayah_id__in=kode_pencakup(kode))
    if penugasan:
        assigned = assigned.filter(jenis__in=list(penugasan))
    return list(
        User.objects.filter(has_perm, is_active=True, pk__in=assigned.values("user_id"))
        .distinct()
        .order_by("pk")
    )


def kabari(
    *,
    jenis: Peristiwa,
    objek: models.Model,
    wilayah: str,
    judul: str,
    tautan: str,
    isi: str = "",
    kepada: Iterable[User | None] = (),
    perm: str = "",
    penugasan: Iterable[str] = (),
    pelaku: User | None = None,
    kunci: str = "",
) -> list[Notifikasi]:
    """Notify ``kepada`` and the holders of ``perm`` in ``wilayah`` (see the module docstring).
    Returns the notifications written (none twice for one recipient)."""
    # Users found by assignment already cover the area; only those named are checked one by one
    # (each check reads that user's assignments).
    assigned = {u.pk: u for u in pengguna_wilayah(wilayah, perm, penugasan)} if perm else {}
    named = {
        u.pk: u
        for u in kepada
        if u is not None and u.pk not in assigned and u.is_active and scope_of(u).allows(wilayah)
    }
    recipients = [u for u in (assigned | named).values() if pelaku is None or u.pk != pelaku.pk]
    if not recipients:
        return []
    if kunci:
        told = set(
            Notifikasi.objects.filter(kunci=kunci, penerima__in=recipients).values_list(
                "penerima_id", flat=True
            )
        )
        recipients = [u for u in recipients if u.pk not in told]
    content_type = ContentType.objects.get_for_model(objek)
    rows = [
        Notifikasi(
            penerima=u,
            jenis=jenis,
            judul=judul[:200],
            isi=isi,
            tautan=tautan,
            wilayah_id=wilayah,
            objek_jenis=content_type,
            objek_id=objek.pk,
            pelaku=pelaku,
            kunci=kunci,
        )
        for u in recipients
    ]
    try:
        with transaction.atomic():
            Notifikasi.objects.bulk_create(rows)
    except IntegrityError:  # a reminder announced by a concurrent run: announce the rest
        rows = [r for r in rows if _save_one(r)]
    by_email = [u.email for u in recipients if u.terima_email and u.email]
    if by_email:
        transaction.on_commit(lambda: _send_email(by_email, jenis))
    return rows


def _save_one(row: Notifikasi) -> bool:
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return False
    return True


def _send_email(addresses: list[str], jenis: Peristiwa) -> None:
    """E-mail says only that something waits and where: no names, NIK or KK leave the system
    by mail (UU PDP); the details are behind the login."""
    link = f"{settings.SITE_URL}/kabar/" if settings.SITE_URL else "/kabar/"
    subject = _("[SIKS TKSK] %(jenis)s") % {"jenis": Peristiwa(jenis).label}
    body = _(
        "Ada pemberitahuan baru untuk Anda: %(jenis)s.\n\n"
        "Buka kotak masuk SIKS TKSK untuk melihatnya: %(link)s\n\n"
        "Pesan ini dikirim otomatis; matikan di halaman Pemberitahuan bila tidak diperlukan."
    ) % {"jenis": Peristiwa(jenis).label, "link": link}
    for address in addresses:  # one mail each: recipients never see each other's address
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server down must not undo or block the work
            log.exception("Gagal mengirim e-mail pemberitahuan ke %s", address)


def tandai_dibaca(*, user: User, notifikasi: Notifikasi) -> None:
    """Opening a notification marks it read, with every unread one of the user leading to the
    same page (a list approved and its entries' proposals, say)."""
    Notifikasi.objects.filter(penerima=user, dibaca_pada__isnull=True).filter(
        Q(pk=notifikasi.pk) | Q(tautan=notifikasi.tautan)
    ).update(dibaca_pada=timezone.now())


def tandai_semua_dibaca(*, user: User) -> int:
    return Notifikasi.objects.filter(penerima=user, dibaca_pada__isnull=True).update(
        dibaca_pada=timezone.now()
    )


def atur_email(*, user: User, aktif: bool) -> None:
    user.terima_email = aktif
    user.save(update_fields=["terima_email"])
