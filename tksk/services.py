"""Writes for TKSK work: PSKS inventory, activities, referral outcomes, monthly reports."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inti.services import ensure_in_scope, ensure_perm, save_fields_in_scope, save_validated
from pmks.models import AnggotaKeluarga, Keluarga
from tksk import pemberitahuan
from tksk.choices import HasilRujukan, JenisKegiatan, StatusLaporan
from tksk.models import Kegiatan, LaporanBulanan, Psks
from tksk.selectors import laporan_ringkasan
from wilayah.models import Wilayah

PSKS_FIELDS = ("jenis", "nama", "kelurahan", "alamat", "kontak", "telepon", "keterangan", "aktif")


def psks_save(*, actor: User, psks: Psks | None, data: dict[str, Any]) -> Psks:
    ensure_perm(actor, "tksk.change_psks" if psks else "tksk.add_psks")
    with transaction.atomic():
        return save_fields_in_scope(
            actor=actor,
            existing=psks,
            new=lambda: Psks(dicatat_oleh=actor),
            data=data,
            fields=PSKS_FIELDS,
            region=lambda p: p.kelurahan_id,
        )


KEGIATAN_FIELDS = (
    "jenis",
    "tanggal",
    "uraian",
    "kebutuhan",
    "hasil",
    "menonjol",
    "tindak_lanjut_tanggal",
    "tindak_lanjut_rencana",
    "rujukan_tujuan",
    "rujukan_tempat",
)


def kegiatan_create(
    *,
    actor: User,
    data: dict[str, Any],
    keluarga: Iterable[Keluarga] = (),
    anggota: Iterable[AnggotaKeluarga] = (),
    psks: Iterable[Psks] = (),
    kecamatan: Wilayah | None = None,
    foto: Any = None,
) -> Kegiatan:
    """Record an activity. Its kecamatan is that of the households reached (they must all be in
    one kecamatan of the actor's area), or the one given for work without households."""
    ensure_perm(actor, "tksk.add_kegiatan")
    keluarga, anggota, psks = list(keluarga), list(anggota), list(psks)
    kecamatan_kode = {k.kelurahan.induk_id for k in keluarga} | {p.kelurahan.induk_id for p in psks}
    if kecamatan is not None:
        kecamatan_kode.add(kecamatan.kode)
    if not kecamatan_kode:
        raise ValidationError(_("Pilih keluarga yang didampingi atau kecamatan kegiatan."))
    if len(kecamatan_kode) > 1:
        raise ValidationError(_("Satu kegiatan hanya untuk satu kecamatan; catat terpisah per kecamatan."))
    kode = kecamatan_kode.pop()
    if kode is None:  # a kelurahan without its kecamatan: reference data to repair first
        raise ValidationError(_("Kelurahan ini belum terhubung ke kecamatannya; hubungi administrator."))
    for k in keluarga:
        ensure_in_scope(actor, k.kelurahan_id)
    ensure_in_scope(actor, kode)
    if data.get("kebutuhan") and len(keluarga) != 1:
        raise ValidationError({"kebutuhan": _("Kebutuhan utama dicatat untuk satu keluarga per kegiatan.")})
    ids = {k.pk for k in keluarga}
    if any(a.keluarga_id not in ids for a in anggota):
        raise ValidationError(_("Orang yang dipilih harus anggota keluarga yang didampingi."))
    with transaction.atomic():
        kegiatan = Kegiatan(kecamatan_id=kode, petugas=actor)
        for field in KEGIATAN_FIELDS:
            if field in data:
                setattr(kegiatan, field, data[field])
        if foto:
            kegiatan.foto = foto
        save_validated(kegiatan, actor)
        kegiatan.keluarga.set(keluarga)
        kegiatan.anggota.set(anggota)
        kegiatan.psks.set(psks)
    return kegiatan


def kegiatan_complete_follow_up(*, actor: User, kegiatan: Kegiatan) -> Kegiatan:
    ensure_perm(actor, "tksk.change_kegiatan")
    with transaction.atomic():
        k = Kegiatan.objects.select_for_update().get(pk=kegiatan.pk)
        ensure_in_scope(actor, k.kecamatan_id)
        k.tindak_lanjut_selesai = True
        save_validated(k, actor, ["tindak_lanjut_selesai", "diubah_pada"])
    return k


def rujukan_record_outcome(
    *, actor: User, kegiatan: Kegiatan, hasil: str, tanggal: datetime.date, catatan: str = ""
) -> Kegiatan:
    """Record what came of a referral; its date cannot precede the referral."""
    ensure_perm(actor, "tksk.change_kegiatan")
    with transaction.atomic():
        k = Kegiatan.objects.select_for_update().get(pk=kegiatan.pk)
        ensure_in_scope(actor, k.kecamatan_id)
        if k.jenis != JenisKegiatan.RUJUKAN:
            raise ValidationError(_("Kegiatan ini bukan rujukan."))
        if hasil == HasilRujukan.MENUNGGU:
            raise ValidationError({"hasil": _("Pilih hasil rujukan.")})
        if tanggal < k.tanggal:
            raise ValidationError(
                {
                    "tanggal": _("Tanggal hasil tidak boleh sebelum tanggal rujukan (%(d)s).")
                    % {"d": k.tanggal.strftime("%d/%m/%Y")}
                }
            )
        if tanggal > timezone.localdate():
            raise ValidationError({"tanggal": _("Tanggal hasil tidak boleh di masa depan.")})
        k.rujukan_hasil, k.rujukan_hasil_tanggal, k.rujukan_hasil_catatan = hasil, tanggal, catatan
        save_validated(
            k, actor, ["rujukan_hasil", "rujukan_hasil_tanggal", "rujukan_hasil_catatan", "diubah_pada"]
        )
    return k


# -- Monthly report --------------------------------------------------------------------------------


def _first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def laporan_submit(
    *, actor: User, kecamatan: Wilayah, bulan: datetime.date, catatan_tksk: str
) -> LaporanBulanan:
    """Submit the month's report: the generated summary is frozen into the report."""
    ensure_perm(actor, "tksk.add_laporanbulanan")
    ensure_in_scope(actor, kecamatan.kode)
    bulan = _first_of_month(bulan)
    if bulan > _first_of_month(timezone.localdate()):
        raise ValidationError(_("Laporan untuk bulan yang belum berjalan tidak dapat diajukan."))
    try:
        with transaction.atomic():
            laporan = (
                LaporanBulanan.objects.select_for_update().filter(kecamatan=kecamatan, bulan=bulan).first()
            )
            if laporan is None:
                laporan = LaporanBulanan(kecamatan=kecamatan, bulan=bulan, tksk=actor)
            elif laporan.status in (StatusLaporan.DIAJUKAN, StatusLaporan.DITERIMA):
                raise ValidationError(
                    _("Laporan %(b)s sudah %(s)s; tidak dapat diajukan lagi.")
                    % {"b": bulan.strftime("%m/%Y"), "s": laporan.get_status_display().lower()}
                )
            laporan.tksk = actor
            laporan.ringkasan = laporan_ringkasan(kecamatan=kecamatan, bulan=bulan).as_json()
            laporan.catatan_tksk = catatan_tksk.strip()
            laporan.status = StatusLaporan.DIAJUKAN
            laporan.diajukan_pada = timezone.now()
            save_validated(laporan, actor)
            pemberitahuan.laporan_diajukan(laporan=laporan, actor=actor)
    except IntegrityError as exc:  # two submissions of a new report at the same moment
        raise ValidationError(_("Laporan bulan ini baru saja diajukan; muat ulang halaman.")) from exc
    return laporan


def _review(actor: User, laporan: LaporanBulanan, to: str, komentar: str) -> LaporanBulanan:
    ensure_perm(actor, "tksk.review_laporanbulanan")
    with transaction.atomic():
        laporan = LaporanBulanan.objects.select_for_update().get(pk=laporan.pk)
        ensure_in_scope(actor, laporan.kecamatan_id)
        if laporan.status != StatusLaporan.DIAJUKAN:
            raise ValidationError(
                _("Laporan ini berstatus %(s)s; tidak ada yang perlu diputuskan.")
                % {"s": laporan.get_status_display()}
            )
        if laporan.tksk_id == actor.pk:
            raise PermissionDenied(_("Laporan sendiri tidak dapat diputuskan sendiri."))
        laporan.status, laporan.komentar_dinas = to, komentar.strip()
        laporan.diputuskan_oleh, laporan.diputuskan_pada = actor, timezone.now()
        save_validated(laporan, actor)
        pemberitahuan.laporan_diputuskan(laporan=laporan, actor=actor)
    return laporan


def laporan_accept(*, actor: User, laporan: LaporanBulanan, komentar: str = "") -> LaporanBulanan:
    return _review(actor, laporan, StatusLaporan.DITERIMA, komentar)


def laporan_return(*, actor: User, laporan: LaporanBulanan, komentar: str) -> LaporanBulanan:
    if not komentar.strip():
        raise ValidationError(_("Tuliskan alasan laporan dikembalikan."))
    return _review(actor, laporan, StatusLaporan.DIKEMBALIKAN, komentar)
