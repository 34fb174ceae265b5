"""Test data built through the services, so it obeys the same rules as real data."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import User
from accounts.services import penugasan_create
from pmks import services
from pmks.choices import Hubungan, StatusPerkawinan
from pmks.identitas import make_nik
from pmks.models import CatatanPmks, KategoriPmks, Keluarga
from pmks.reference import kategori_pmks_load
from tksk.reference import jenis_psks_load
from wilayah.models import Wilayah
from wilayah.services import KOTA_PROBOLINGGO_CSV, wilayah_load_csv

KANIGARAN = "35.74.04"
KEL_KANIGARAN = "35.74.04.1003"
KEL_TISNONEGARAN = "35.74.04.1001"  # same kecamatan, other kelurahan
MAYANGAN = "35.74.03"
KEL_MAYANGAN = "35.74.03.1001"
KOTA = "35.74"

_serial = itertools.count(1)


def ensure_reference_data() -> None:
    """Regions, categories and role groups (a transactional test's flush removes them)."""
    wilayah_load_csv(text=KOTA_PROBOLINGGO_CSV.read_text(encoding="utf-8"))
    kategori_pmks_load()
    jenis_psks_load()
    roles.ensure_role_groups()


def make_user(
    username: str,
    group: str | None,
    jenis: str | None = None,
    wilayah: str | None = None,
    *,
    staff: bool = False,
    superuser: bool = False,
    mulai: datetime.date = datetime.date(2024, 1, 1),
    selesai: datetime.date | None = None,
    password: str = "rahasia-uji-123",
) -> User:
    user = User.objects.create_user(
        username=username,
        password=password,
        nama_lengkap=username.replace("_", " ").title(),
        is_staff=staff,
        is_superuser=superuser,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if wilayah:
        penugasan_create(
            actor=None,
            user=user,
            wilayah=Wilayah.objects.get(pk=wilayah),
            jenis=jenis,
            mulai=mulai,
            selesai=selesai,
        )
    return User.objects.get(pk=user.pk)  # fresh object: no cached scope


def nik_for(kode_kelurahan: str, born: datetime.date, sex: str) -> str:
    kode6 = "".join(kode_kelurahan.split(".")[:3])
    return make_nik(kode6, born, sex, next(_serial))


def no_kk_for(kode_kelurahan: str) -> str:
    kode6 = "".join(kode_kelurahan.split(".")[:3])
    return f"{kode6}010120{next(_serial):04d}"


def member(
    kode_kelurahan: str,
    nama: str,
    *,
    sex: str = "L",
    born: datetime.date = datetime.date(1980, 5, 17),
    hubungan: str = Hubungan.KEPALA,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "nik": nik_for(kode_kelurahan, born, sex),
        "nama": nama,
        "tempat_lahir": "Probolinggo",
        "tanggal_lahir": born,
        "jenis_kelamin": sex,
        "hubungan": hubungan,
        "status_perkawinan": StatusPerkawinan.KAWIN,
        "pendidikan": "sd",
        "pekerjaan": "Buruh",
        "disabilitas": "tidak",
        **extra,
    }


def make_keluarga(actor: User, kode_kelurahan: str, kepala: str = "Kepala Uji", **data: Any) -> Keluarga:
    members = data.pop("anggota", None) or [
        member(kode_kelurahan, kepala),
        member(
            kode_kelurahan,
            f"Istri {kepala}",
            sex="P",
            born=datetime.date(1984, 2, 3),
            hubungan=Hubungan.ISTRI,
        ),
    ]
    fields = {
        "no_kk": no_kk_for(kode_kelurahan),
        "kelurahan": Wilayah.objects.get(pk=kode_kelurahan),
        "alamat": "Jl. Uji No. 1",
        "rt": "001",
        "rw": "002",
        **data,
    }
    return services.keluarga_save(actor=actor, keluarga=None, data=fields, anggota=members)


def make_pmks(actor: User, keluarga: Keluarga, singkatan: str = "FM", anggota=None) -> CatatanPmks:
    return services.catatan_pmks_create(
        actor=actor,
        keluarga=keluarga,
        kategori=KategoriPmks.objects.get(singkatan=singkatan),
        anggota=anggota,
        tanggal_identifikasi=datetime.date(2026, 1, 5),
        bukti="Kunjungan rumah.",
    )


# -- Aid ---------------------------------------------------------------------------------------------


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def photo(name: str = "bukti.png") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def make_program(
    kode: str = "sembako",
    *,
    kategori=("FM",),
    jenis_pemantauan: str = "sembako",
    jadwal: str = "30",
    lihat_bulan: int = 0,
    **extra: Any,
):
    from bantuan.models import ProgramBantuan

    program = ProgramBantuan.objects.create(
        kode=kode,
        nama=extra.pop("nama", kode.upper()),
        sumber_dana=extra.pop("sumber_dana", "apbd_kota"),
        sasaran=extra.pop("sasaran", "keluarga"),
        nilai_rupiah=extra.pop("nilai_rupiah", 200_000),
        jenis_pemantauan=jenis_pemantauan,
        pemantauan_setelah_hari=jadwal,
        lihat_ke_belakang_bulan=lihat_bulan,
        **extra,
    )
    program.kategori_sasaran.set(KategoriPmks.objects.filter(singkatan__in=kategori))
    return program


def make_tahap(
    program,
    *,
    tahun: int = 2026,
    tahap: int = 1,
    kuota: int = 100,
    mulai: datetime.date = datetime.date(2026, 1, 1),
    selesai: datetime.date = datetime.date(2026, 12, 31),
):
    from bantuan.models import TahapProgram

    return TahapProgram.objects.create(
        program=program, tahun=tahun, tahap=tahap, kuota=kuota, periode_mulai=mulai, periode_selesai=selesai
    )


def verify_list(tahap, *, builder: User, verifier: User | None = None):
    """Build and submit (builder) and verify (another staff member) the stage's list."""
    from bantuan import services as aid

    daftar = aid.daftar_build(actor=builder, tahap=tahap)
    aid.daftar_submit(actor=builder, daftar=daftar)
    return aid.daftar_verify(actor=verifier or User.objects.get(username="dinsos3_uji"), daftar=daftar)


def reasons_for(daftar, text: str = "Disetujui setelah ditinjau di lapangan.") -> dict[int, str]:
    """A reason for every exception the approver must justify on ``daftar``."""
    from bantuan.rules import pengecualian_daftar

    return dict.fromkeys(pengecualian_daftar(daftar), text)


def approve_list(tahap, *, builder: User, approver: User, verifier: User | None = None):
    """Build and submit (builder), verify (another staff member) and approve (approver) the
    stage's list, giving a reason for every exception."""
    from bantuan import services as aid

    daftar = verify_list(tahap, builder=builder, verifier=verifier)
    return aid.daftar_approve(
        actor=approver,
        daftar=daftar,
        nomor_sk="460/12/425.104/2026",
        tanggal_sk=datetime.date(2026, 2, 1),
        alasan=reasons_for(daftar),
    )


def amend(daftar, *, proposer: User, approver: User, jenis: str, alasan: str, usulan=None, entri=None):
    """An amendment proposed by one staff member and approved by another."""
    from bantuan import services as aid

    amandemen = aid.amandemen_propose(
        actor=proposer, daftar=daftar, jenis=jenis, alasan=alasan, usulan=usulan, entri=entri
    )
    return aid.amandemen_approve(actor=approver, amandemen=amandemen)


def make_aid(city) -> None:
    """An approved sembako list with the three households of ``city``, each distributed (with
    a photo) and with a follow-up scheduled; attributes are added to ``city``."""
    from bantuan import services as aid
    from bantuan.models import EntriDaftar
    from pmks.services import catatan_pmks_verify

    for c in (city.pmks_in, city.pmks_tisno, city.pmks_out):
        catatan_pmks_verify(actor=city.dinsos, catatan=c)
    city.program = make_program()
    city.tahap = make_tahap(city.program)
    for suffix, tksk in (
        ("in", city.tksk_kanigaran),
        ("tisno", city.tksk_kanigaran),
        ("out", city.tksk_mayangan),
    ):
        usulan = aid.usulan_create(
            actor=tksk,
            tahap=city.tahap,
            keluarga=getattr(city, f"k_{suffix}"),
            alasan="Fakir miskin terverifikasi.",
        )
        setattr(city, f"usulan_{suffix}", usulan)
    city.daftar = approve_list(city.tahap, builder=city.dinsos, approver=city.dinsos2)
    for suffix, tksk in (
        ("in", city.tksk_kanigaran),
        ("tisno", city.tksk_kanigaran),
        ("out", city.tksk_mayangan),
    ):
        entri = EntriDaftar.objects.get(usulan=getattr(city, f"usulan_{suffix}"))
        penyaluran = aid.penyaluran_create(
            actor=tksk,
            entri=entri,
            tanggal=datetime.date(2026, 3, 2),
            uraian="Paket sembako",
            penerima="langsung",
            foto=photo(),
        )
        setattr(city, f"entri_{suffix}", entri)
        setattr(city, f"penyaluran_{suffix}", penyaluran)
        setattr(city, f"pemantauan_{suffix}", penyaluran.pemantauan.first())


# -- TKSK work ---------------------------------------------------------------------------------------


def make_kegiatan(
    actor: User,
    keluarga,
    *,
    jenis: str = "kunjungan_rumah",
    tanggal: datetime.date = datetime.date(2026, 3, 10),
    tindak_lanjut: datetime.date | None = None,
    foto: Any = None,
    **data: Any,
):
    from tksk import services as tksk_services

    fields = {
        "jenis": jenis,
        "tanggal": tanggal,
        "uraian": f"Kunjungan ke KK {keluarga.no_kk}",
        "hasil": "Kondisi dicatat.",
        "tindak_lanjut_tanggal": tindak_lanjut,
        **data,
    }
    return tksk_services.kegiatan_create(actor=actor, data=fields, keluarga=[keluarga], foto=foto)


def make_psks(actor: User, kode_kelurahan: str, nama: str = "Karang Taruna Uji"):
    from tksk import services as tksk_services
    from tksk.models import JenisPsks

    return tksk_services.psks_save(
        actor=actor,
        psks=None,
        data={
            "jenis": JenisPsks.objects.get(singkatan="KT"),
            "nama": nama,
            "kelurahan": Wilayah.objects.get(pk=kode_kelurahan),
            "aktif": True,
        },
    )


def make_tksk_work(city) -> None:
    """Per household of ``city``: a visit with a photo and a follow-up, a PSKS in its kelurahan;
    per kecamatan: a submitted monthly report. Attributes are added to ``city``."""
    from tksk import services as tksk_services

    for suffix, tksk in (
        ("in", city.tksk_kanigaran),
        ("tisno", city.tksk_kanigaran),
        ("out", city.tksk_mayangan),
    ):
        keluarga = getattr(city, f"k_{suffix}")
        setattr(
            city,
            f"kegiatan_{suffix}",
            make_kegiatan(tksk, keluarga, tindak_lanjut=datetime.date(2026, 3, 20), foto=photo()),
        )
        setattr(city, f"psks_{suffix}", make_psks(tksk, keluarga.kelurahan_id, f"PSKS {keluarga.no_kk}"))
    for suffix, tksk, kode in (
        ("kanigaran", city.tksk_kanigaran, KANIGARAN),
        ("mayangan", city.tksk_mayangan, MAYANGAN),
    ):
        laporan = tksk_services.laporan_submit(
            actor=tksk,
            kecamatan=Wilayah.objects.get(pk=kode),
            bulan=datetime.date(2026, 3, 1),
            catatan_tksk="Bulan ramai.",
        )
        setattr(city, f"laporan_{suffix}", laporan)
    city.laporan_in = city.laporan_tisno = city.laporan_kanigaran
    city.laporan_out = city.laporan_mayangan
    # An import checked by the Dinas (nobody else may open it).
    from django.core.files.uploadedfile import SimpleUploadedFile

    from impor.models import ImporBerkas
    from laporan import ekspor

    siap = ekspor.ekspor_prepare(user=city.dinsos, kode="keluarga", params={}, fmt="csv")
    city.ekspor = ekspor.ekspor_create(user=city.dinsos, ekspor=siap)
    ekspor.run_export(city.ekspor.pk)
    city.impor = ImporBerkas.objects.create(
        pengguna=city.dinsos,
        nama_berkas="dinas.csv",
        sha256="0" * 64,
        mode="semua",
        duplikat="tolak",
        berkas=SimpleUploadedFile("dinas.csv", f"no_kk\n{city.k_in.no_kk}\n".encode()),
        hasil={
            "baris": 1,
            "keluarga": 1,
            "galat": [{"baris": 2, "kolom": "no_kk", "pesan": city.k_in.no_kk}],
        },
    )


# -- Aid decided elsewhere -------------------------------------------------------------------------


def make_program_luar(kode: str = "pkh", **extra: Any):
    from bantuan.models import ProgramBantuan

    program, _created = ProgramBantuan.objects.update_or_create(
        kode=kode,
        defaults={
            "nama": extra.pop("nama", kode.upper()),
            "asal": "eksternal",
            "pemberi": "Kemensos",
            "sumber_dana": "apbn",
            "sasaran": "keluarga",
            **extra,
        },
    )
    return program


def make_penerima_luar(
    actor: User,
    keluarga,
    program,
    *,
    mulai: datetime.date = datetime.date(2026, 1, 1),
    selesai: datetime.date = datetime.date(2026, 3, 31),
    tanggal: datetime.date = datetime.date(2026, 4, 5),
):
    """One ledger row for ``keluarga``'s head, as an imported extract would leave it."""
    from bantuan.models import EkstrakBantuan, PenerimaEksternal

    ekstrak, _created = EkstrakBantuan.objects.get_or_create(
        program=program,
        periode_mulai=mulai,
        periode_selesai=selesai,
        defaults={
            "sumber": "SIKS-NG uji",
            "tanggal_ekstrak": tanggal,
            "nama_berkas": "uji.xlsx",
            "wilayah": "Semua wilayah",
            "diimpor_oleh": actor,
        },
    )
    head = keluarga.anggota.get(hubungan="kepala")
    return PenerimaEksternal.objects.create(
        program=program,
        periode_mulai=mulai,
        periode_selesai=selesai,
        kunci=head.nik,
        nik=head.nik,
        no_kk=keluarga.no_kk,
        nama=head.nama,
        kelurahan=keluarga.kelurahan,
        keluarga=keluarga,
        ekstrak_masuk=ekstrak,
    )


def make_bantuan_luar(city) -> None:
    """A PKH extract listing ``city``'s three households, a decile and a reported problem for
    each; attributes ``ekstrak`` and ``penerima_<suffix>`` are added to ``city``."""
    from bantuan import luar
    from pmks.models import DesilKeluarga

    program = make_program_luar("pkh-uji", nama="PKH uji")
    for suffix in ("in", "tisno", "out"):
        keluarga = getattr(city, f"k_{suffix}")
        tksk = city.tksk_mayangan if suffix == "out" else city.tksk_kanigaran
        penerima = make_penerima_luar(city.dinsos, keluarga, program)
        luar.masalah_create(actor=tksk, penerima=penerima, data={"jenis": "kartu", "uraian": "Kartu hilang."})
        DesilKeluarga.objects.create(
            keluarga=keluarga, desil=2, tanggal=datetime.date(2026, 4, 5), sumber="DTSEN"
        )
        setattr(city, f"penerima_{suffix}", penerima)
    city.ekstrak = penerima.ekstrak_masuk


# -- Musyawarah kelurahan ------------------------------------------------------------------------------


def make_musyawarah(
    actor: User,
    kode_kelurahan: str,
    *,
    tanggal: datetime.date = datetime.date(2026, 1, 10),
    diusulkan=(),
    dicoret=(),
    keputusan: str = "Menyepakati usulan keluarga sebagaimana tercantum.",
):
    """A musyawarah of a kelurahan, held (with decisions) unless dated in the future; the
    households in ``diusulkan`` proposed and those in ``dicoret`` dropped, each with a reason."""
    from django.utils import timezone

    from musyawarah import services as m

    held = tanggal <= timezone.localdate()
    musyawarah = m.musyawarah_create(
        actor=actor,
        kelurahan=Wilayah.objects.get(pk=kode_kelurahan),
        tanggal=tanggal,
        tempat="Balai Kelurahan",
        pimpinan="Drs. Lurah Uji",
        agenda="Pembahasan usulan bantuan sosial 2026.",
        keputusan=keputusan if held else "",
    )
    for nama, peran in (("Drs. Lurah Uji", "lurah"), ("Pak RT Uji", "rt"), ("Bu TKSK Uji", "tksk")):
        m.peserta_add(actor=actor, musyawarah=musyawarah, nama=nama, peran=peran)
    for k in diusulkan:
        m.keluarga_dibahas_add(
            actor=actor,
            musyawarah=musyawarah,
            keluarga=k,
            keputusan="diusulkan",
            alasan="Rumah tidak layak huni.",
        )
    for k in dicoret:
        m.keluarga_dibahas_add(
            actor=actor,
            musyawarah=musyawarah,
            keluarga=k,
            keputusan="dicoret",
            alasan="Sudah pindah domisili.",
        )
    musyawarah.refresh_from_db()
    return musyawarah


# -- Citizens' usul and sanggah, published lists ------------------------------------------------------


def publish(daftar, kode_kelurahan: str, actor: User):
    from warga import services as warga_services

    return warga_services.publikasi_terbit(
        actor=actor, daftar=daftar, kelurahan=Wilayah.objects.get(pk=kode_kelurahan)
    )


def sanggah(publikasi, entri, alasan: str = "Penerima sudah mampu, punya mobil.", **data: Any):
    """A sanggah as the public page files it (the human check answered)."""
    from warga import services as warga_services
    from warga.pengaman import soal_baru

    return warga_services.aduan_sanggah_create(
        publikasi=publikasi, entri=entri, data={"alasan": alasan, **data}, soal_token=soal_baru().token
    )


def usul(kode_kelurahan: str, nama: str = "Keluarga Usulan", **data: Any):
    from warga import services as warga_services
    from warga.pengaman import soal_baru

    fields = {
        "kelurahan": Wilayah.objects.get(pk=kode_kelurahan),
        "nama_keluarga": nama,
        "alamat": "Jl. Usul No. 3",
        "rt": "001",
        "rw": "004",
        "alasan": "Janda lansia tinggal sendiri, tidak berpenghasilan.",
        **data,
    }
    return warga_services.aduan_usul_create(data=fields, soal_token=soal_baru().token)


def make_warga(city) -> None:
    """``aid`` plus each household's kelurahan list published and one sanggah against each
    household's entry; attributes ``publikasi_<suffix>`` and ``aduan_<suffix>`` are added."""
    for suffix in ("in", "tisno", "out"):
        keluarga = getattr(city, f"k_{suffix}")
        publikasi = publish(city.daftar, keluarga.kelurahan_id, city.dinsos)
        setattr(city, f"publikasi_{suffix}", publikasi)
        setattr(city, f"aduan_{suffix}", sanggah(publikasi, getattr(city, f"entri_{suffix}")))
