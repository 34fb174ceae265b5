"""Writes for aid: proposals, beneficiary lists and their approval, distributions, follow-ups.

Every status change locks the list row (``select_for_update``) and checks the status it expects,
so two staff acting on one list at the same moment get one result and one clear refusal. Lists
carry a version number that editors send back; a stale version is refused the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bantuan.choices import SasaranProgram, StatusDaftar, StatusPemantauan, StatusUsulan
from bantuan.models import (
    DaftarPenerima,
    EntriDaftar,
    Pemantauan,
    Penyaluran,
    RiwayatDaftar,
    TahapProgram,
    Usulan,
)
from bantuan.rules import kuota_daftar
from inti.scoping import scope_of
from inti.services import ensure_in_scope, ensure_perm, save_validated
from pmks.choices import Hubungan
from pmks.models import AnggotaKeluarga, Keluarga

# -- Usulan ----------------------------------------------------------------------------------------


def usulan_create(
    *,
    actor: User,
    tahap: TahapProgram,
    keluarga: Keluarga,
    alasan: str,
    anggota: AnggotaKeluarga | None = None,
) -> Usulan:
    """Propose a household (or one member) of the actor's area for a programme stage."""
    ensure_perm(actor, "bantuan.add_usulan")
    if not alasan.strip():
        raise ValidationError(_("Alasan usulan wajib diisi."))
    with transaction.atomic():
        keluarga = Keluarga.objects.select_for_update().get(pk=keluarga.pk)
        ensure_in_scope(actor, keluarga.kelurahan_id)
        tahap = TahapProgram.objects.select_related("program").get(pk=tahap.pk)
        if not tahap.usulan_dibuka or not tahap.program.aktif:
            raise ValidationError(_("Usulan untuk %(t)s sudah ditutup.") % {"t": tahap})
        if anggota is not None and anggota.keluarga_id != keluarga.pk:
            raise ValidationError(_("Anggota tidak termasuk keluarga ini."))
        perorangan = tahap.program.sasaran == SasaranProgram.PERSEORANGAN
        if perorangan and anggota is None:
            raise ValidationError(
                _("%(p)s untuk perseorangan: pilih anggota yang diusulkan.") % {"p": tahap.program}
            )
        if not perorangan and anggota is not None:
            raise ValidationError(
                _("%(p)s untuk keluarga: kosongkan pilihan anggota.") % {"p": tahap.program}
            )
        existing = Usulan.objects.filter(tahap=tahap, keluarga=keluarga).first()
        if existing:
            raise ValidationError(
                _("KK %(kk)s sudah diusulkan untuk %(t)s (status: %(s)s).")
                % {"kk": keluarga.no_kk, "t": tahap, "s": existing.get_status_display()}
            )
        usulan = Usulan(
            tahap=tahap, keluarga=keluarga, anggota=anggota, alasan=alasan.strip(), diusulkan_oleh=actor
        )
        try:
            with transaction.atomic():
                save_validated(usulan, actor)
        except IntegrityError as exc:
            raise ValidationError(_("Keluarga ini sudah diusulkan untuk tahap program tersebut.")) from exc
    return usulan


def usulan_bulk_create(
    *, actor: User, tahap: TahapProgram, keluarga: Iterable[Keluarga], alasan: str
) -> tuple[list[Usulan], list[str]]:
    """Propose several households at once; returns (created, messages about those skipped)."""
    created, skipped = [], []
    perorangan = tahap.program.sasaran == SasaranProgram.PERSEORANGAN
    for k in keluarga:
        # A person-target programme proposes the head of each household chosen in bulk.
        anggota = k.anggota.filter(hubungan=Hubungan.KEPALA).first() if perorangan else None
        try:
            created.append(
                usulan_create(actor=actor, tahap=tahap, keluarga=k, alasan=alasan, anggota=anggota)
            )
        except ValidationError as exc:
            skipped.append(f"KK {k.no_kk}: {' '.join(exc.messages)}")
    return created, skipped


def _decide_pending(*, actor: User, usulan: Usulan, alasan: str, to: str) -> Usulan:
    """Close a proposal that is not on a list (yet): rejected by the Dinas, or withdrawn."""
    if not alasan.strip():
        raise ValidationError(_("Alasan wajib diisi."))
    with transaction.atomic():
        usulan = Usulan.objects.select_for_update().select_related("keluarga").get(pk=usulan.pk)
        ensure_in_scope(actor, usulan.keluarga.kelurahan_id)
        if usulan.status != StatusUsulan.DIAJUKAN:
            raise ValidationError(
                _("Usulan ini berstatus %(s)s; hanya usulan yang belum masuk daftar yang dapat diubah.")
                % {"s": usulan.get_status_display()}
            )
        usulan.status = to
        usulan.keterangan_status = alasan.strip()
        save_validated(usulan, actor, ["status", "keterangan_status", "diubah_pada"])
    return usulan


def usulan_reject(*, actor: User, usulan: Usulan, alasan: str) -> Usulan:
    """The Dinas turns down a proposal that is not on a list; the TKSK sees the reason."""
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    return _decide_pending(actor=actor, usulan=usulan, alasan=alasan, to=StatusUsulan.DITOLAK)


def usulan_cancel(*, actor: User, usulan: Usulan, alasan: str) -> Usulan:
    """The field withdraws a proposal before it is put on a list (proposed by mistake, the
    family moved away); the reason stays with it."""
    ensure_perm(actor, "bantuan.add_usulan")
    return _decide_pending(actor=actor, usulan=usulan, alasan=alasan, to=StatusUsulan.DIBATALKAN)


# -- Daftar penerima -------------------------------------------------------------------------------


def _log(
    daftar: DaftarPenerima, actor: User, tindakan: str, dari: str, catatan: str = "", entri=None
) -> None:
    RiwayatDaftar.objects.create(
        daftar=daftar,
        dari_status=dari,
        ke_status=daftar.status,
        tindakan=tindakan,
        oleh=actor,
        catatan=catatan,
        entri=entri,
    )


def _locked(daftar: DaftarPenerima, versi: int | None) -> DaftarPenerima:
    locked = DaftarPenerima.objects.select_for_update().select_related("tahap__program").get(pk=daftar.pk)
    if versi is not None and locked.versi != versi:
        raise ValidationError(
            _(
                "Daftar ini baru saja diubah pengguna lain (versi %(v)s, Anda melihat versi %(w)s). "
                "Muat ulang halaman dan periksa kembali."
            )
            % {"v": locked.versi, "w": versi}
        )
    return locked


def _expect(daftar: DaftarPenerima, *allowed: str) -> None:
    if daftar.status not in allowed:
        who = daftar.diputuskan_oleh or daftar.diverifikasi_oleh or daftar.diajukan_oleh
        raise ValidationError(
            _("Daftar ini berstatus %(s)s%(oleh)s; tindakan ini tidak dapat dilakukan.")
            % {"s": daftar.get_status_display(), "oleh": _(" (oleh %(u)s)") % {"u": who} if who else ""}
        )


def _add_entries(daftar: DaftarPenerima, usulan: Iterable[Usulan], actor: User, amandemen: bool) -> int:
    added = 0
    for u in usulan:
        entri = EntriDaftar(
            daftar=daftar,
            usulan=u,
            keluarga_id=u.keluarga_id,
            anggota_id=u.anggota_id,
            ditambahkan_lewat_amandemen=amandemen,
        )
        save_validated(entri, actor)
        u.status = StatusUsulan.DALAM_DAFTAR
        save_validated(u, actor, ["status", "diubah_pada"])
        added += 1
    return added


def daftar_build(*, actor: User, tahap: TahapProgram) -> DaftarPenerima:
    """Create the stage's draft list (if needed) and add every pending proposal to it."""
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    with transaction.atomic():
        tahap = TahapProgram.objects.select_for_update().get(pk=tahap.pk)
        daftar = DaftarPenerima.objects.filter(tahap=tahap).first()
        if daftar is None:
            daftar = DaftarPenerima(tahap=tahap, dibuat_oleh=actor)
            save_validated(daftar, actor)
            _log(daftar, actor, "dibuat", "")
        daftar = _locked(daftar, None)
        _expect(daftar, StatusDaftar.DRAF, StatusDaftar.DITOLAK)
        # Locked: a proposal rejected at this moment must not land on the list anyway.
        pending = (
            Usulan.objects.select_for_update()
            .filter(tahap=tahap, status=StatusUsulan.DIAJUKAN)
            .order_by("pk")
        )
        added = _add_entries(daftar, pending, actor, amandemen=False)
        if added:
            _bump(daftar, actor, StatusDaftar.DRAF, "usulan ditambahkan", _("%(n)s usulan") % {"n": added})
    return daftar


def _bump(
    daftar: DaftarPenerima,
    actor: User,
    status: str,
    tindakan: str,
    catatan: str = "",
    fields: tuple[str, ...] = (),
    entri=None,
) -> None:
    dari = daftar.status
    daftar.status = status
    daftar.versi += 1
    save_validated(daftar, actor, ["status", "versi", "diubah_pada", *fields])
    _log(daftar, actor, tindakan, dari, catatan, entri)


def daftar_remove_entries(
    *, actor: User, daftar: DaftarPenerima, entri_ids: Iterable[int], versi: int | None, alasan: str = ""
) -> int:
    """Take proposals off a draft (or returned) list; they become pending again."""
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    with transaction.atomic():
        daftar = _locked(daftar, versi)
        _expect(daftar, StatusDaftar.DRAF, StatusDaftar.DITOLAK)
        entries = list(
            EntriDaftar.objects.for_user(actor)
            .filter(daftar=daftar, pk__in=list(entri_ids))
            .select_related("usulan")
        )
        for e in entries:
            u = e.usulan
            e._history_user = actor
            e.delete()
            u.status = StatusUsulan.DIAJUKAN
            save_validated(u, actor, ["status", "diubah_pada"])
        if entries:
            _bump(
                daftar,
                actor,
                StatusDaftar.DRAF,
                "entri dikeluarkan",
                _("%(n)s entri. %(a)s") % {"n": len(entries), "a": alasan},
            )
    return len(entries)


def daftar_submit(*, actor: User, daftar: DaftarPenerima, versi: int | None = None) -> DaftarPenerima:
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    with transaction.atomic():
        daftar = _locked(daftar, versi)
        _expect(daftar, StatusDaftar.DRAF, StatusDaftar.DITOLAK)
        if not daftar.entri.filter(aktif=True).exists():
            raise ValidationError(_("Daftar masih kosong; tambahkan usulan terlebih dahulu."))
        daftar.diajukan_oleh, daftar.diajukan_pada = actor, timezone.now()
        _bump(daftar, actor, StatusDaftar.DIAJUKAN, "diajukan", fields=("diajukan_oleh", "diajukan_pada"))
    return daftar


def daftar_verify(
    *, actor: User, daftar: DaftarPenerima, versi: int | None = None, catatan: str = ""
) -> DaftarPenerima:
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    with transaction.atomic():
        daftar = _locked(daftar, versi)
        _expect(daftar, StatusDaftar.DIAJUKAN)
        daftar.diverifikasi_oleh, daftar.diverifikasi_pada = actor, timezone.now()
        _bump(
            daftar,
            actor,
            StatusDaftar.DIVERIFIKASI,
            "diverifikasi",
            catatan,
            fields=("diverifikasi_oleh", "diverifikasi_pada"),
        )
    return daftar


def _ensure_whole_list_in_scope(actor: User, daftar: DaftarPenerima) -> None:
    scope = scope_of(actor)
    if scope.unrestricted:
        return
    kelurahan = set(daftar.entri.values_list("keluarga__kelurahan_id", flat=True))
    if not all(scope.allows(k) for k in kelurahan):
        raise PermissionDenied(
            _(
                "Daftar ini memuat penerima di luar wilayah Anda; keputusan harus "
                "diambil oleh staf tingkat kota."
            )
        )


def daftar_approve(
    *, actor: User, daftar: DaftarPenerima, nomor_sk: str, tanggal_sk: datetime.date, versi: int | None = None
) -> DaftarPenerima:
    """Approve and freeze a verified list. Four eyes: the submitter cannot approve."""
    ensure_perm(actor, "bantuan.approve_daftarpenerima")
    if not nomor_sk.strip() or tanggal_sk is None:
        raise ValidationError(_("Nomor dan tanggal SK wajib diisi untuk menyetujui daftar."))
    with transaction.atomic():
        daftar = _locked(daftar, versi)
        _expect(daftar, StatusDaftar.DIVERIFIKASI)
        if daftar.diajukan_oleh_id == actor.pk:
            raise ValidationError(_("Anda yang mengajukan daftar ini; persetujuan harus oleh staf lain."))
        _ensure_whole_list_in_scope(actor, daftar)
        problems = kuota_daftar(daftar.tahap).lebih
        if problems:
            raise ValidationError(problems)
        daftar.diputuskan_oleh, daftar.diputuskan_pada = actor, timezone.now()
        daftar.nomor_sk, daftar.tanggal_sk = nomor_sk.strip(), tanggal_sk
        _bump(
            daftar,
            actor,
            StatusDaftar.DISETUJUI,
            "disetujui",
            _("SK %(n)s") % {"n": daftar.nomor_sk},
            fields=("diputuskan_oleh", "diputuskan_pada", "nomor_sk", "tanggal_sk"),
        )
    return daftar


def daftar_reject(
    *, actor: User, daftar: DaftarPenerima, alasan: str, versi: int | None = None
) -> DaftarPenerima:
    """Return a submitted or verified list with a reason; staff correct it and submit again."""
    ensure_perm(actor, "bantuan.approve_daftarpenerima")
    if not alasan.strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."))
    with transaction.atomic():
        daftar = _locked(daftar, versi)
        _expect(daftar, StatusDaftar.DIAJUKAN, StatusDaftar.DIVERIFIKASI)
        _ensure_whole_list_in_scope(actor, daftar)
        daftar.alasan_penolakan = alasan.strip()
        daftar.diputuskan_oleh, daftar.diputuskan_pada = actor, timezone.now()
        _bump(
            daftar,
            actor,
            StatusDaftar.DITOLAK,
            "ditolak",
            daftar.alasan_penolakan,
            fields=("alasan_penolakan", "diputuskan_oleh", "diputuskan_pada"),
        )
    return daftar


# -- Amendments of a frozen list -------------------------------------------------------------------


@contextmanager
def _amending(
    actor: User, daftar: DaftarPenerima, alasan: str, versi: int | None
) -> Iterator[DaftarPenerima]:
    """An amendment of an approved list: the approver's right, a reason, the list locked and
    still approved; the change is recorded in the list's history by ``_amended``."""
    ensure_perm(actor, "bantuan.approve_daftarpenerima")
    if not alasan.strip():
        raise ValidationError(_("Amandemen wajib disertai alasan."))
    with transaction.atomic():
        locked = _locked(daftar, versi)
        _expect(locked, StatusDaftar.DISETUJUI)
        yield locked


def _amended(daftar: DaftarPenerima, actor: User, tindakan: str, alasan: str, entri: EntriDaftar) -> None:
    _bump(
        daftar,
        actor,
        StatusDaftar.DISETUJUI,
        tindakan,
        _("Alasan: %(a)s") % {"a": alasan.strip()},
        entri=entri,
    )


def amandemen_add(
    *, actor: User, daftar: DaftarPenerima, usulan: Usulan, alasan: str, versi: int | None = None
) -> EntriDaftar:
    """Add a pending proposal to an approved list, recorded with a reason; quota still holds."""
    with _amending(actor, daftar, alasan, versi) as daftar:
        usulan = Usulan.objects.select_for_update().select_related("keluarga").get(pk=usulan.pk)
        ensure_in_scope(actor, usulan.keluarga.kelurahan_id)
        if usulan.tahap_id != daftar.tahap_id or usulan.status != StatusUsulan.DIAJUKAN:
            raise ValidationError(_("Hanya usulan tahap ini yang belum masuk daftar yang dapat ditambahkan."))
        problems = kuota_daftar(daftar.tahap, extra_keluarga=[usulan.keluarga]).lebih
        if problems:
            raise ValidationError(problems)
        _add_entries(daftar, [usulan], actor, amandemen=True)
        entri = EntriDaftar.objects.get(usulan=usulan)
        _amended(daftar, actor, "amandemen: tambah", alasan, entri)
    return entri


def amandemen_remove(
    *, actor: User, daftar: DaftarPenerima, entri: EntriDaftar, alasan: str, versi: int | None = None
) -> EntriDaftar:
    """Take a recipient off an approved list (kept as inactive), recorded with a reason."""
    with _amending(actor, daftar, alasan, versi) as daftar:
        entri = (
            EntriDaftar.objects.select_for_update()
            .select_related("usulan", "keluarga")
            .get(pk=entri.pk, daftar=daftar)
        )
        ensure_in_scope(actor, entri.keluarga.kelurahan_id)
        if entri.penyaluran.exists():
            raise ValidationError(_("Bantuan untuk penerima ini sudah disalurkan; tidak dapat dikeluarkan."))
        entri.aktif = False
        save_validated(entri, actor, ["aktif", "diubah_pada"])
        entri.usulan.status = StatusUsulan.DITOLAK
        entri.usulan.keterangan_status = _("Dikeluarkan lewat amandemen: %(a)s") % {"a": alasan.strip()}
        save_validated(entri.usulan, actor, ["status", "keterangan_status", "diubah_pada"])
        _amended(daftar, actor, "amandemen: keluarkan", alasan, entri)
    return entri


# -- Penyaluran and pemantauan ---------------------------------------------------------------------


def penyaluran_create(
    *,
    actor: User,
    entri: EntriDaftar,
    tanggal: datetime.date,
    uraian: str,
    penerima: str,
    nama_wakil: str = "",
    hubungan_wakil: str = "",
    foto: Any = None,
) -> Penyaluran:
    """Record the hand-over to an approved recipient and schedule the programme's follow-ups."""
    ensure_perm(actor, "bantuan.add_penyaluran")
    with transaction.atomic():
        entri = (
            EntriDaftar.objects.select_for_update()
            .select_related("daftar__tahap__program", "keluarga")
            .get(pk=entri.pk)
        )
        ensure_in_scope(actor, entri.keluarga.kelurahan_id)
        if not entri.aktif or entri.daftar.status != StatusDaftar.DISETUJUI:
            raise ValidationError(
                _("KK %(kk)s tidak ada di daftar penerima yang disetujui.") % {"kk": entri.keluarga.no_kk}
            )
        if entri.penyaluran.exists():
            raise ValidationError(_("Penyaluran untuk penerima ini sudah dicatat."))
        if tanggal > timezone.localdate():
            raise ValidationError({"tanggal": _("Tanggal penyaluran tidak boleh di masa depan.")})
        if entri.daftar.tanggal_sk and tanggal < entri.daftar.tanggal_sk:
            raise ValidationError(
                {
                    "tanggal": _("Tanggal penyaluran tidak boleh sebelum tanggal SK (%(d)s).")
                    % {"d": entri.daftar.tanggal_sk.strftime("%d/%m/%Y")}
                }
            )
        penyaluran = Penyaluran(
            entri=entri,
            tanggal=tanggal,
            uraian=uraian,
            penerima=penerima,
            nama_wakil=nama_wakil,
            hubungan_wakil=hubungan_wakil,
            petugas=actor,
        )
        if foto:
            penyaluran.foto = foto
        save_validated(penyaluran, actor)
        for hari in entri.daftar.tahap.program.jadwal_pemantauan:
            p = Pemantauan(penyaluran=penyaluran, jadwal=tanggal + datetime.timedelta(days=hari))
            save_validated(p, actor)
    return penyaluran


def pemantauan_schedule(*, actor: User, penyaluran: Penyaluran, jadwal: datetime.date) -> Pemantauan:
    """Add an extra follow-up (Pemantauan.clean keeps it after the distribution)."""
    ensure_perm(actor, "bantuan.change_pemantauan")
    ensure_in_scope(actor, penyaluran.entri.keluarga.kelurahan_id)
    with transaction.atomic():
        p = Pemantauan(penyaluran=penyaluran, jadwal=jadwal)
        save_validated(p, actor)
    return p


PEMANTAUAN_FIELDS = (
    "diterima_tepat_waktu",
    "progres_persen",
    "foto_sebelum",
    "foto_sesudah",
    "kambing_jumlah",
    "kambing_lahir",
    "kambing_mati",
    "kambing_dijual",
    "usaha_berjalan",
    "omzet_bulanan",
    "catatan",
)


def pemantauan_record(
    *, actor: User, pemantauan: Pemantauan, tanggal: datetime.date, data: dict[str, Any]
) -> Pemantauan:
    """Record what the follow-up visit found."""
    ensure_perm(actor, "bantuan.change_pemantauan")
    with transaction.atomic():
        p = (
            Pemantauan.objects.select_for_update()
            .select_related("penyaluran__entri__keluarga")
            .get(pk=pemantauan.pk)
        )
        ensure_in_scope(actor, p.penyaluran.entri.keluarga.kelurahan_id)
        if p.status == StatusPemantauan.SELESAI:
            raise ValidationError(
                _("Pemantauan ini sudah dicatat pada %(d)s.") % {"d": p.tanggal.strftime("%d/%m/%Y")}
            )
        if tanggal > timezone.localdate():
            raise ValidationError({"tanggal": _("Tanggal pemantauan tidak boleh di masa depan.")})
        for field in PEMANTAUAN_FIELDS:
            if field in data and data[field] not in (None, ""):
                setattr(p, field, data[field])
        p.tanggal, p.petugas, p.status = tanggal, actor, StatusPemantauan.SELESAI
        save_validated(p, actor)
    return p
