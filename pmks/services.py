"""Writes to the PMKS registry. Views, admin, import and commands all come through here.

Each function takes ``actor=``, validates with ``full_clean()``, checks that the record lies in
the actor's area (again after saving, inside the same transaction), and leaves the audit trail
to django-simple-history with the actor as the author.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inti.models import AturanPemisahan
from inti.pemisahan import ensure_pemisahan
from inti.services import ensure_in_scope, ensure_perm, save_fields_in_scope, save_validated
from pmks import pemberitahuan
from pmks.choices import Hubungan, StatusPmks
from pmks.models import AnggotaKeluarga, CatatanPmks, KategoriPmks, Keluarga

KELUARGA_FIELDS = (
    "no_kk",
    "kelurahan",
    "alamat",
    "rt",
    "rw",
    "jenis_lantai",
    "jenis_dinding",
    "jenis_atap",
    "luas_lantai",
    "sumber_air",
    "sanitasi",
    "listrik",
    "kepemilikan_rumah",
    "penghasilan_bulanan",
)
ANGGOTA_FIELDS = (
    "nik",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "hubungan",
    "status_perkawinan",
    "pendidikan",
    "pekerjaan",
    "disabilitas",
)


# -- Household-level rules (also shown on the form before anything is saved) -------------------


def anggota_set_errors(rows: list[dict[str, Any]]) -> list[str]:
    """Rules over all members of one household: exactly one head, no NIK twice."""
    errors = []
    heads = sum(1 for r in rows if r.get("hubungan") == Hubungan.KEPALA)
    if not rows:
        errors.append(_("Keluarga harus memiliki minimal satu anggota (kepala keluarga)."))
    elif heads == 0:
        errors.append(_("Keluarga harus memiliki satu kepala keluarga."))
    elif heads > 1:
        errors.append(_("Keluarga hanya boleh memiliki satu kepala keluarga (terisi %(n)s).") % {"n": heads})
    counts = Counter(r.get("nik") for r in rows if r.get("nik"))
    for nik, n in counts.items():
        if n > 1:
            errors.append(_("NIK %(nik)s diisi %(n)s kali dalam formulir ini.") % {"nik": nik, "n": n})
    return errors


# -- Keluarga ------------------------------------------------------------------------------------


def keluarga_save(
    *,
    actor: User,
    keluarga: Keluarga | None,
    data: dict[str, Any],
    anggota: list[dict[str, Any]],
    hapus_anggota: Iterable[int] = (),
) -> Keluarga:
    """Create or update a household together with its members, all or nothing.

    ``anggota`` holds one dict per member to keep (with ``pk`` for existing members);
    ``hapus_anggota`` the pks of members to remove.
    """
    ensure_perm(actor, "pmks.change_keluarga" if keluarga else "pmks.add_keluarga")
    hapus = set(hapus_anggota)
    if keluarga is None:
        # A new household's rows are complete: fail fast, with messages that name the NIK.
        # Updates may carry partial rows; the stored set is checked after saving instead.
        errors = anggota_set_errors(anggota)
        if errors:
            raise ValidationError(errors)
    try:
        with transaction.atomic():
            # Locked: two people editing one household save one after the other.
            keluarga = save_fields_in_scope(
                actor=actor,
                existing=keluarga,
                new=lambda: Keluarga(dibuat_oleh=actor),
                data=data,
                fields=KELUARGA_FIELDS,
                region=lambda k: k.kelurahan_id,
            )

            existing = (
                {a.pk: a for a in AnggotaKeluarga.objects.filter(keluarga=keluarga)} if keluarga.pk else {}
            )
            if any(pk in existing for pk in hapus):
                ensure_perm(actor, "pmks.delete_anggotakeluarga")
            if any(not row.get("pk") for row in anggota):
                ensure_perm(actor, "pmks.add_anggotakeluarga")
            for pk in hapus:
                if pk in existing:
                    _delete_member(existing.pop(pk), actor)
            # Remove the old head mark first so swapping heads does not trip the unique index.
            ordered = sorted(anggota, key=lambda r: r.get("hubungan") == Hubungan.KEPALA)
            for row in ordered:
                member_pk = row.get("pk")
                member = existing.get(member_pk) if member_pk else AnggotaKeluarga(keluarga=keluarga)
                if member is None:
                    raise ValidationError(_("Anggota yang diubah bukan anggota keluarga ini."))
                for field in ANGGOTA_FIELDS:
                    if field in row:
                        setattr(member, field, row[field])
                save_validated(member, actor)
            # Members not mentioned stay as they are; re-check the whole set as stored now.
            ensure_household_rules(keluarga.pk)
            ensure_in_scope(actor, Keluarga.objects.get(pk=keluarga.pk).kelurahan_id)
    except IntegrityError as exc:
        # A unique NIK/KK taken by a concurrent save between validation and insert.
        raise ValidationError(
            _(
                "Data bentrok dengan data yang baru saja disimpan pengguna lain (NIK atau No. KK "
                "sudah terdaftar). Muat ulang halaman dan periksa kembali."
            )
        ) from exc
    return keluarga


def ensure_household_rules(keluarga_pk: int) -> None:
    """The rules over a household's members as stored (one head, no NIK twice), checked inside
    the transaction of every write that adds, changes or removes a member: screens, admin pages,
    admin imports and the people import all leave a household with exactly one head."""
    stored = list(AnggotaKeluarga.objects.filter(keluarga_id=keluarga_pk).values("hubungan", "nik"))
    errors = anggota_set_errors(stored)
    if errors:
        raise ValidationError(errors)


def member_change_errors(member: AnggotaKeluarga, data: dict[str, Any]) -> list[str]:
    """The household rules as one member's change would leave its household (and the one it
    leaves, when moved): for a form to say so before anything is saved."""
    target = data.get("keluarga") or member.keluarga
    errors = []
    others = AnggotaKeluarga.objects.filter(keluarga=target).exclude(pk=member.pk).values("hubungan", "nik")
    errors += anggota_set_errors([*others, {"hubungan": data.get("hubungan"), "nik": data.get("nik")}])
    if member.pk and member.keluarga_id != target.pk:
        left = AnggotaKeluarga.objects.filter(keluarga_id=member.keluarga_id).exclude(pk=member.pk)
        errors += [
            _("KK asal: %(e)s") % {"e": e} for e in anggota_set_errors(list(left.values("hubungan", "nik")))
        ]
    return errors


def _delete_member(member: AnggotaKeluarga, actor: Any) -> None:
    """Remove a person from the registry; refused while they hold a PMKS record (its history
    must stay)."""
    if member.catatan_pmks.exists():
        raise ValidationError(
            _(
                "%(nama)s memiliki catatan PMKS dan tidak dapat dihapus dari keluarga; "
                "tutup catatannya atau hubungi Dinas Sosial."
            )
            % {"nama": member.nama}
        )
    member._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
    member.delete()


def anggota_save(*, actor: User, anggota: AnggotaKeluarga, data: dict[str, Any]) -> AnggotaKeluarga:
    """Create or change one member on their own (the admin's member page). The households
    concerned (the member's, and the one they left when moved) keep their rules."""
    ensure_perm(actor, "pmks.change_anggotakeluarga" if anggota.pk else "pmks.add_anggotakeluarga")
    with transaction.atomic():
        before: int | None = (
            AnggotaKeluarga.objects.filter(pk=anggota.pk).values_list("keluarga_id", flat=True).first()
        )
        target = data.get("keluarga") or anggota.keluarga
        households = sorted({target.pk, *([before] if before else [])})
        # Lock the households: two people editing one household save one after the other.
        for keluarga in Keluarga.objects.select_for_update().filter(pk__in=households).order_by("pk"):
            ensure_in_scope(actor, keluarga.kelurahan_id)
        member = AnggotaKeluarga.objects.get(pk=anggota.pk) if anggota.pk else AnggotaKeluarga()
        member.keluarga = target
        for field in ANGGOTA_FIELDS:
            if field in data:
                setattr(member, field, data[field])
        save_validated(member, actor)
        for pk in households:
            ensure_household_rules(pk)
    return member


def anggota_delete(*, actor: User, anggota: AnggotaKeluarga) -> None:
    """Remove one member on their own (the admin's member page); the household keeps its head."""
    ensure_perm(actor, "pmks.delete_anggotakeluarga")
    with transaction.atomic():
        keluarga = Keluarga.objects.select_for_update().get(pk=anggota.keluarga_id)
        ensure_in_scope(actor, keluarga.kelurahan_id)
        _delete_member(AnggotaKeluarga.objects.get(pk=anggota.pk), actor)
        ensure_household_rules(keluarga.pk)


# -- Catatan PMKS --------------------------------------------------------------------------------


def catatan_pmks_create(
    *,
    actor: User,
    keluarga: Keluarga,
    kategori: KategoriPmks,
    anggota: AnggotaKeluarga | None,
    tanggal_identifikasi: datetime.date,
    bukti: str,
) -> CatatanPmks:
    """Record a PMKS condition; it waits for verification by the Dinas Sosial."""
    ensure_perm(actor, "pmks.add_catatanpmks")
    with transaction.atomic():
        keluarga = Keluarga.objects.select_for_update().get(pk=keluarga.pk)
        ensure_in_scope(actor, keluarga.kelurahan_id)
        duplicate = (
            CatatanPmks.objects.open().filter(keluarga=keluarga, kategori=kategori, anggota=anggota).exists()
        )
        if duplicate:
            raise ValidationError(
                _("Catatan %(kategori)s untuk %(siapa)s sudah ada dan masih berlaku.")
                % {"kategori": kategori, "siapa": anggota.nama if anggota else _("keluarga ini")}
            )
        catatan = CatatanPmks(
            keluarga=keluarga,
            anggota=anggota,
            kategori=kategori,
            tanggal_identifikasi=tanggal_identifikasi,
            bukti=bukti,
            diidentifikasi_oleh=actor,
        )
        save_validated(catatan, actor)
    return catatan


def _transition(
    *, actor: User, catatan: CatatanPmks, allowed_from: tuple[str, ...], to: str, note: str
) -> CatatanPmks:
    """Verify/reject (who decided is kept in diverifikasi_*) or close (kept in ditutup_*)."""
    ensure_perm(actor, "pmks.verify_catatanpmks")
    with transaction.atomic():
        locked = CatatanPmks.objects.select_for_update().select_related("keluarga").get(pk=catatan.pk)
        ensure_in_scope(actor, locked.keluarga.kelurahan_id)
        if locked.status not in allowed_from:
            raise ValidationError(
                _("Catatan ini berstatus %(status)s dan tidak dapat diubah menjadi %(to)s.")
                % {"status": locked.get_status_display(), "to": StatusPmks(to).label}
            )
        if to != StatusPmks.DITUTUP:
            ensure_pemisahan(
                AturanPemisahan.PMKS_VERIFIKASI, actor=actor, pelaku=locked.penyusun_bukti(), objek=locked
            )
        locked.status = to
        if to == StatusPmks.DITUTUP:
            locked.ditutup_oleh, locked.ditutup_pada, locked.alasan_penutupan = actor, timezone.now(), note
            fields = ["ditutup_oleh", "ditutup_pada", "alasan_penutupan"]
        else:
            locked.diverifikasi_oleh, locked.diverifikasi_pada = actor, timezone.now()
            locked.catatan_verifikasi = note
            fields = ["diverifikasi_oleh", "diverifikasi_pada", "catatan_verifikasi"]
        save_validated(locked, actor, update_fields=["status", "diubah_pada", *fields])
        if to != StatusPmks.DITUTUP:
            pemberitahuan.catatan_diputuskan(locked, actor)
    return locked


CATATAN_PMKS_FIELDS = ("keluarga", "anggota", "kategori", "tanggal_identifikasi", "bukti")


def catatan_pmks_update(*, actor: User, catatan: CatatanPmks, data: dict[str, Any]) -> CatatanPmks:
    """Correct a PMKS record still waiting for verification (the admin's change page). Once it
    is decided its evidence is frozen (``CatatanPmks.clean``): close it with a reason and record
    it anew, to be verified again."""
    ensure_perm(actor, "pmks.change_catatanpmks")
    with transaction.atomic():
        return save_fields_in_scope(
            actor=actor,
            existing=catatan,
            new=CatatanPmks,
            data=data,
            fields=CATATAN_PMKS_FIELDS,
            region=lambda c: c.keluarga.kelurahan_id,
        )


def catatan_pmks_verify(*, actor: User, catatan: CatatanPmks, note: str = "") -> CatatanPmks:
    return _transition(
        actor=actor,
        catatan=catatan,
        allowed_from=(StatusPmks.DIUSULKAN,),
        to=StatusPmks.TERVERIFIKASI,
        note=note,
    )


def catatan_pmks_reject(*, actor: User, catatan: CatatanPmks, note: str) -> CatatanPmks:
    if not note.strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."))
    return _transition(
        actor=actor,
        catatan=catatan,
        allowed_from=(StatusPmks.DIUSULKAN,),
        to=StatusPmks.DITOLAK,
        note=note,
    )


def catatan_pmks_close(*, actor: User, catatan: CatatanPmks, note: str) -> CatatanPmks:
    """Close a verified record whose condition has ended (moved, died, no longer poor)."""
    if not note.strip():
        raise ValidationError(_("Alasan penutupan wajib diisi."))
    return _transition(
        actor=actor,
        catatan=catatan,
        allowed_from=(StatusPmks.TERVERIFIKASI,),
        to=StatusPmks.DITUTUP,
        note=note,
    )
