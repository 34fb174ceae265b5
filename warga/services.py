"""Writes of the warga app. A citizen's filing has no actor (no login) and is guarded by the
public page (human check, throttles) and by the checks here; staff steps take ``actor=`` and
pass ensure_perm / ensure_in_scope, saving through save_validated inside one transaction with
the notification the step announces."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bantuan import services as bantuan_services
from bantuan.choices import StatusDaftar, StatusUsulan
from bantuan.models import AmandemenDaftar, DaftarPenerima, EntriDaftar, ProgramBantuan, Usulan
from inti.services import ensure_in_scope, ensure_perm, save_validated
from kabar.services import TKSK, pengguna_wilayah
from pmks.choices import Hubungan
from pmks.models import AnggotaKeluarga
from warga import pemberitahuan
from warga.choices import TERBUKA, HasilAduan, JenisAduan, StatusAduan
from warga.models import Aduan, Publikasi
from warga.pengaman import buat_kode, kode_publik, nomor16, pakai_soal, rapikan_nama
from wilayah.kode import kode_induk
from wilayah.models import Wilayah

PERLU_SOAL = _("Pertanyaan pemeriksa sudah terpakai atau kedaluwarsa; jawab pertanyaan yang baru.")


def _tenggat(program: ProgramBantuan | None) -> datetime.date:
    hari = program.tenggat_aduan_hari if program is not None else settings.WARGA_TENGGAT_HARI
    return timezone.localdate() + datetime.timedelta(days=hari)


def tksk_kecamatan(kecamatan: str) -> User | None:
    """The kecamatan's current TKSK (at most one on any date), who handles its items."""
    users = pengguna_wilayah(kecamatan, "warga.change_aduan", TKSK)
    return users[0] if users else None


def _baru(*, jenis: str, kelurahan: Wilayah, program: ProgramBantuan | None, **fields: Any) -> Aduan:
    kecamatan = kode_induk(kelurahan.kode)
    if kelurahan.tingkat != "kelurahan" or kecamatan is None:
        raise ValidationError(_("Pilih kelurahan."))
    prefix = "US" if jenis == JenisAduan.USUL else "SG"
    aduan = Aduan(
        kode=buat_kode(prefix),
        jenis=jenis,
        kelurahan=kelurahan,
        kecamatan_id=kecamatan,
        program=program,
        tenggat=_tenggat(program),
        ditugaskan_ke=tksk_kecamatan(kecamatan),
        **fields,
    )
    return aduan


def _simpan_baru(aduan: Aduan, soal_token: str) -> Aduan:
    with transaction.atomic():
        if not pakai_soal(soal_token):
            raise ValidationError(PERLU_SOAL)
        for _attempt in range(3):  # a clash of 54-bit random codes is (nearly) impossible
            try:
                with transaction.atomic():
                    save_validated(aduan, None)
                break
            except IntegrityError:
                aduan.kode = buat_kode(aduan.kode[:2])
        else:
            raise ValidationError(_("Gagal membuat kode tiket; coba lagi."))
        pemberitahuan.aduan_masuk(aduan=aduan)
    return aduan


def _teks(data: dict[str, Any], name: str) -> str:
    return str(data.get(name) or "").strip()


def aduan_usul_create(*, data: dict[str, Any], soal_token: str) -> Aduan:
    """A citizen proposes a family (name, address, RT/RW, reason; NIK / No. KK and programme
    optional). Routed to the kecamatan's TKSK; the deadline comes from the programme."""
    for name, label in (("nik", "NIK"), ("no_kk", "No. KK")):
        value = _teks(data, name)
        if value and not nomor16(value):
            raise ValidationError({name: _("%(l)s harus tepat 16 angka 0–9.") % {"l": label}})
    program = data.get("program")
    if program is not None and (not program.aktif or program.eksternal):
        raise ValidationError({"program": _("Program ini tidak menerima usul.")})
    aduan = _baru(
        jenis=JenisAduan.USUL,
        kelurahan=data["kelurahan"],
        program=program,
        nama_keluarga=_teks(data, "nama_keluarga"),
        alamat=_teks(data, "alamat"),
        rt=_teks(data, "rt"),
        rw=_teks(data, "rw"),
        nik=_teks(data, "nik"),
        no_kk=_teks(data, "no_kk"),
        alasan=_teks(data, "alasan"),
        nama_pelapor=_teks(data, "nama_pelapor"),
        kontak_pelapor=_teks(data, "kontak_pelapor"),
    )
    return _simpan_baru(aduan, soal_token)


def aduan_sanggah_create(
    *, publikasi: Publikasi, entri: EntriDaftar, data: dict[str, Any], soal_token: str
) -> Aduan:
    """A citizen objects to a recipient of a published, approved list (an active entry)."""
    entri = EntriDaftar.objects.select_related("daftar__tahap__program", "keluarga__kelurahan").get(
        pk=entri.pk
    )
    if (
        not publikasi.aktif
        or entri.daftar_id != publikasi.daftar_id
        or entri.daftar.status != StatusDaftar.DISETUJUI
        or not entri.aktif
        or entri.keluarga.kelurahan_id != publikasi.kelurahan_id
    ):
        raise ValidationError(_("Penerima ini tidak lagi ada pada daftar yang diumumkan."))
    aduan = _baru(
        jenis=JenisAduan.SANGGAH,
        kelurahan=entri.keluarga.kelurahan,
        program=entri.daftar.tahap.program,
        entri=entri,
        publikasi=publikasi,
        alasan=_teks(data, "alasan"),
        nama_pelapor=_teks(data, "nama_pelapor"),
        kontak_pelapor=_teks(data, "kontak_pelapor"),
    )
    return _simpan_baru(aduan, soal_token)


def _terkunci(actor: User, aduan: Aduan) -> Aduan:
    ensure_perm(actor, "warga.change_aduan")
    locked = Aduan.objects.select_for_update().get(pk=aduan.pk)
    ensure_in_scope(actor, locked.kelurahan_id)
    return locked


def aduan_periksa(*, actor: User, aduan: Aduan) -> Aduan:
    """The handler starts checking a received item (the citizen sees 'sedang diperiksa')."""
    with transaction.atomic():
        aduan = _terkunci(actor, aduan)
        if aduan.status != StatusAduan.DITERIMA:
            raise ValidationError(_("Usul/sanggah ini sudah diperiksa atau dijawab."))
        aduan.status = StatusAduan.DIPERIKSA
        aduan.diperiksa_oleh, aduan.diperiksa_pada = actor, timezone.now()
        save_validated(aduan, actor, ["status", "diperiksa_oleh", "diperiksa_pada", "diubah_pada"])
    return aduan


def aduan_jawab(
    *,
    actor: User,
    aduan: Aduan,
    jawaban: str,
    hasil: str,
    usulan: Usulan | None = None,
    amandemen: AmandemenDaftar | None = None,
    ajukan_amandemen: bool = False,
    keterangan_hasil: str = "",
) -> Aduan:
    """Answer in writing, with what changed: a proposal made for the family (usul), an
    amendment removing the entry through the list's two-person rules (sanggah; an existing one,
    or proposed here by staff who may), or nothing, with why. An approved list is never edited
    directly."""
    with transaction.atomic():
        aduan = _terkunci(actor, aduan)
        if aduan.status not in TERBUKA:
            raise ValidationError(_("Usul/sanggah ini sudah dijawab."))
        if not jawaban.strip():
            raise ValidationError({"jawaban": _("Jawaban tertulis wajib diisi.")})
        aduan.hasil_usulan = aduan.hasil_amandemen = None
        aduan.keterangan_hasil = ""
        if hasil == HasilAduan.USULAN:
            aduan.hasil_usulan = _usulan_sah(actor, aduan, usulan)
        elif hasil == HasilAduan.AMANDEMEN:
            aduan.hasil_amandemen = _amandemen_sah(actor, aduan, amandemen, ajukan_amandemen, jawaban)
        elif hasil == HasilAduan.TIDAK_ADA:
            if not keterangan_hasil.strip():
                raise ValidationError({"keterangan_hasil": _("Jelaskan mengapa tidak ada perubahan.")})
            aduan.keterangan_hasil = keterangan_hasil.strip()
        else:
            raise ValidationError({"hasil": _("Pilih hasil tindak lanjut.")})
        aduan.hasil = hasil
        aduan.jawaban = jawaban.strip()
        aduan.status = StatusAduan.DIJAWAB
        aduan.dijawab_oleh, aduan.dijawab_pada = actor, timezone.now()
        if aduan.diperiksa_pada is None:
            aduan.diperiksa_oleh, aduan.diperiksa_pada = actor, aduan.dijawab_pada
        save_validated(aduan, actor)
        pemberitahuan.aduan_dijawab(aduan=aduan, actor=actor)
    return aduan


def _usulan_sah(actor: User, aduan: Aduan, usulan: Usulan | None) -> Usulan:
    if aduan.jenis != JenisAduan.USUL:
        raise ValidationError({"hasil": _("Sanggah dijawab dengan amandemen atau tanpa perubahan.")})
    if usulan is None:
        raise ValidationError({"usulan": _("Pilih usulan yang dibuat untuk keluarga ini.")})
    usulan = Usulan.objects.select_related("keluarga", "tahap").get(pk=usulan.pk)
    ensure_in_scope(actor, usulan.keluarga.kelurahan_id)
    if usulan.status in (StatusUsulan.DITOLAK, StatusUsulan.DIBATALKAN):
        raise ValidationError(
            {
                "usulan": _("Usulan itu berstatus %(s)s; pilih usulan yang masih berjalan.")
                % {"s": usulan.get_status_display()}
            }
        )
    if aduan.program_id and usulan.tahap.program_id != aduan.program_id:
        raise ValidationError({"usulan": _("Usulan itu untuk program lain daripada yang diusulkan warga.")})
    if Aduan.objects.filter(hasil_usulan=usulan).exclude(pk=aduan.pk).exists():
        raise ValidationError({"usulan": _("Usulan itu sudah menjadi jawaban usul warga yang lain.")})
    same_family = usulan.keluarga.kelurahan_id == aduan.kelurahan_id
    if aduan.no_kk:
        same_family = same_family and usulan.keluarga.no_kk == aduan.no_kk
    if aduan.nik:
        same_family = (
            same_family and AnggotaKeluarga.objects.filter(keluarga=usulan.keluarga, nik=aduan.nik).exists()
        )
    if not (aduan.no_kk or aduan.nik):
        # Nothing identifies the family but the name the citizen wrote: the proposal must be of a
        # household headed by that name, made after the usul (in answer to it).
        kepala = (
            AnggotaKeluarga.objects.filter(keluarga=usulan.keluarga, hubungan=Hubungan.KEPALA)
            .values_list("nama", flat=True)
            .first()
        )
        same_family = (
            same_family
            and usulan.dibuat_pada >= aduan.dibuat_pada
            and rapikan_nama(kepala or "") == rapikan_nama(aduan.nama_keluarga)
        )
    if not same_family:
        raise ValidationError({"usulan": _("Usulan itu bukan untuk keluarga yang diusulkan warga.")})
    return usulan


def _amandemen_sah(
    actor: User, aduan: Aduan, amandemen: AmandemenDaftar | None, ajukan: bool, jawaban: str
) -> AmandemenDaftar:
    if aduan.jenis != JenisAduan.SANGGAH or aduan.entri is None:
        raise ValidationError({"hasil": _("Usul dijawab dengan usulan atau tanpa perubahan.")})
    if ajukan:
        if not actor.has_perm("bantuan.manage_daftarpenerima"):
            raise PermissionDenied(_("Hanya Dinas Sosial yang dapat mengajukan amandemen daftar."))
        return bantuan_services.amandemen_propose(
            actor=actor,
            daftar=aduan.entri.daftar,
            jenis=AmandemenDaftar.Jenis.KELUARKAN,
            alasan=_("Sanggah warga %(k)s: %(j)s") % {"k": aduan.kode, "j": jawaban.strip()},
            entri=aduan.entri,
        )
    if amandemen is None:
        raise ValidationError({"amandemen": _("Pilih amandemen yang mengeluarkan penerima ini.")})
    amandemen = AmandemenDaftar.objects.get(pk=amandemen.pk)
    ensure_in_scope(actor, aduan.entri.keluarga.kelurahan_id)
    if amandemen.entri_id != aduan.entri_id or amandemen.jenis != AmandemenDaftar.Jenis.KELUARKAN:
        raise ValidationError({"amandemen": _("Amandemen itu bukan tentang penerima yang disanggah.")})
    if amandemen.status == AmandemenDaftar.Status.DITOLAK:
        raise ValidationError(
            {
                "amandemen": _(
                    "Amandemen itu ditolak; jawab 'tidak ada perubahan' dengan alasannya, "
                    "atau ajukan amandemen yang baru."
                )
            }
        )
    return amandemen


# -- Publications ----------------------------------------------------------------------------------


def publikasi_terbit(*, actor: User, daftar: DaftarPenerima, kelurahan: Wilayah) -> Publikasi:
    """Publish an approved list's recipients of one kelurahan (page and printed notice)."""
    ensure_perm(actor, "warga.publish_publikasi")
    with transaction.atomic():
        daftar = DaftarPenerima.objects.select_for_update().get(pk=daftar.pk)
        if daftar.status != StatusDaftar.DISETUJUI:
            raise ValidationError(_("Hanya daftar yang sudah disetujui (ber-SK) yang dapat diumumkan."))
        if kelurahan.tingkat != "kelurahan":
            raise ValidationError(_("Pilih kelurahan."))
        ensure_in_scope(actor, kelurahan.kode)
        if not daftar.entri.filter(aktif=True, keluarga__kelurahan=kelurahan).exists():
            raise ValidationError(_("Daftar ini tidak mempunyai penerima di kelurahan tersebut."))
        if Publikasi.objects.filter(daftar=daftar, kelurahan=kelurahan, ditarik_pada__isnull=True).exists():
            raise ValidationError(_("Daftar ini sudah diterbitkan untuk kelurahan tersebut."))
        publikasi = Publikasi(kode=kode_publik(), daftar=daftar, kelurahan=kelurahan, diterbitkan_oleh=actor)
        try:
            with transaction.atomic():
                save_validated(publikasi, actor)
        except IntegrityError as exc:
            raise ValidationError(_("Daftar ini sudah diterbitkan untuk kelurahan tersebut.")) from exc
    return publikasi


def publikasi_tarik(*, actor: User, publikasi: Publikasi, alasan: str = "") -> Publikasi:
    """Withdraw a publication: its public page answers 404 from now on; the row stays as log."""
    ensure_perm(actor, "warga.publish_publikasi")
    with transaction.atomic():
        publikasi = Publikasi.objects.select_for_update().get(pk=publikasi.pk)
        ensure_in_scope(actor, publikasi.kelurahan_id)
        if not publikasi.aktif:
            raise ValidationError(_("Publikasi ini sudah ditarik."))
        publikasi.ditarik_oleh, publikasi.ditarik_pada = actor, timezone.now()
        publikasi.alasan_tarik = alasan.strip()
        save_validated(publikasi, actor, ["ditarik_oleh", "ditarik_pada", "alasan_tarik"])
    return publikasi
