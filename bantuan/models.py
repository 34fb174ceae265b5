"""Aid programmes, proposals (usulan), beneficiary lists (daftar penerima), distributions
(penyaluran) and follow-up monitoring (pemantauan)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bantuan import choices
from inti.models import TimeStampedModel, actor_field, moment_field
from inti.scoping import ScopedQuerySet
from inti.uploads import validate_photo
from pmks.choices import Kebutuhan

USER = settings.AUTH_USER_MODEL


def parse_jadwal(text: str) -> list[int]:
    """'30, 90,180' -> [30, 90, 180]; ValueError on anything else."""
    days = sorted(int(x) for x in text.replace(" ", "").split(",") if x)
    if any(d < 0 for d in days):
        raise ValueError(text)
    return days


class ProgramBantuan(TimeStampedModel):
    """An aid programme (sembako, RTLH, kambing, modal usaha, …) and its targeting rules."""

    kode = models.SlugField(_("kode"), max_length=30, unique=True)
    nama = models.CharField(_("nama"), max_length=150)
    asal = models.CharField(
        _("asal keputusan"),
        max_length=10,
        choices=choices.AsalProgram.choices,
        default=choices.AsalProgram.KOTA,
        help_text=_(
            "Program luar (PKH, Sembako/BPNT, PBI-JK, PIP, Baznas, CSR) tidak diusulkan di sini: "
            "penerimanya diimpor dari ekstrak dan ikut diperiksa tumpang tindihnya."
        ),
    )
    pemberi = models.CharField(
        _("pemberi / penyelenggara"), max_length=100, blank=True, help_text=_("Mis. Kemensos, Baznas Kota.")
    )
    sumber_dana = models.CharField(_("sumber dana"), max_length=12, choices=choices.SumberDana.choices)
    sasaran = models.CharField(_("sasaran"), max_length=12, choices=choices.SasaranProgram.choices)
    kategori_sasaran = models.ManyToManyField(
        "pmks.KategoriPmks",
        verbose_name=_("kategori PMKS sasaran"),
        blank=True,
        help_text=_("Penerima harus memiliki catatan PMKS terverifikasi salah satu kategori ini."),
    )
    nilai_rupiah = models.PositiveBigIntegerField(_("nilai per penerima (Rp)"), null=True, blank=True)
    nilai_barang_jumlah = models.DecimalField(
        _("jumlah barang per penerima"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    nilai_barang_satuan = models.CharField(_("satuan barang"), max_length=30, blank=True)
    tidak_bersama = models.ManyToManyField(
        "self",
        verbose_name=_("tidak boleh bersamaan dengan"),
        blank=True,
        symmetrical=True,
        help_text=_("Program yang tidak boleh diterima rumah tangga yang sama pada periode yang sama."),
    )
    lihat_ke_belakang_bulan = models.PositiveSmallIntegerField(
        _("tandai penerima program ini dalam … bulan terakhir"),
        default=0,
        help_text=_("0 = tidak diperiksa (mis. sembako bulanan); RTLH biasanya 120 bulan."),
    )
    jenis_pemantauan = models.CharField(
        _("jenis pemantauan"),
        max_length=10,
        choices=choices.JenisPemantauan.choices,
        default=choices.JenisPemantauan.TIDAK_ADA,
    )
    pemantauan_setelah_hari = models.CharField(
        _("jadwal pemantauan (hari setelah penyaluran)"),
        max_length=60,
        blank=True,
        help_text=_("Dipisah koma, mis. 30,90,180."),
    )
    desil_min = models.PositiveSmallIntegerField(
        _("desil DTSEN terendah"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    desil_maks = models.PositiveSmallIntegerField(
        _("desil DTSEN tertinggi"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Bantuan sosial biasanya untuk desil 1–4. Kosongkan bila tidak dibatasi."),
    )
    kebutuhan = models.CharField(
        _("menjawab kebutuhan"),
        max_length=12,
        choices=Kebutuhan.choices,
        blank=True,
        help_text=_("Untuk laporan kebutuhan: kebutuhan keluarga yang dijawab program ini."),
    )
    wajib_musyawarah = models.BooleanField(
        _("wajib musyawarah kelurahan"),
        default=False,
        help_text=_(
            "Setiap usulan di daftar penerima harus mengutip musyawarah kelurahan yang mengusulkannya "
            "sebelum daftar diajukan."
        ),
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    keterangan = models.TextField(_("keterangan"), blank=True)
    tenggat_aduan_hari = models.PositiveSmallIntegerField(
        _("tenggat jawaban usul/sanggah warga (hari)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Berapa hari setelah diterima usul atau sanggah warga untuk program ini harus dijawab."),
    )
    history = HistoricalRecords(
        verbose_name=_("riwayat program"), m2m_fields=[kategori_sasaran, tidak_bersama]
    )

    class Meta:
        verbose_name = _("program bantuan")
        verbose_name_plural = _("program bantuan")
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama

    @property
    def eksternal(self) -> bool:
        return self.asal == choices.AsalProgram.EKSTERNAL

    def di_luar_desil(self, desil: int | None) -> bool:
        """Whether a household of this decile lies outside the programme's target range (an
        unknown decile is not: DTSEN does not yet cover everyone)."""
        if desil is None:
            return False
        return (self.desil_min is not None and desil < self.desil_min) or (
            self.desil_maks is not None and desil > self.desil_maks
        )

    def clean(self) -> None:
        if self.desil_min and self.desil_maks and self.desil_min > self.desil_maks:
            raise ValidationError({"desil_maks": _("Desil tertinggi tidak boleh di bawah desil terendah.")})
        if self.asal == choices.AsalProgram.EKSTERNAL:
            if self.pk and self.tahap.exists():
                raise ValidationError(
                    {
                        "asal": _(
                            "Program ini sudah punya tahap dan daftar di sini; buat program luar tersendiri."
                        )
                    }
                )
            return  # its value and follow-ups come with its extracts
        if self.nilai_rupiah is None and self.nilai_barang_jumlah is None:
            raise ValidationError(_("Isi nilai per penerima: rupiah, atau jumlah dan satuan barang."))
        if self.nilai_barang_jumlah is not None and not self.nilai_barang_satuan:
            raise ValidationError({"nilai_barang_satuan": _("Satuan barang wajib diisi.")})
        try:
            parse_jadwal(self.pemantauan_setelah_hari)
        except ValueError as exc:
            raise ValidationError(
                {"pemantauan_setelah_hari": _("Tulis angka hari dipisah koma, mis. 30,90.")}
            ) from exc

    @property
    def jadwal_pemantauan(self) -> list[int]:
        return parse_jadwal(self.pemantauan_setelah_hari)

    @property
    def nilai_tampil(self) -> str:
        if self.nilai_rupiah is not None:
            return f"Rp{self.nilai_rupiah:,}".replace(",", ".")
        jumlah = self.nilai_barang_jumlah.normalize() if self.nilai_barang_jumlah is not None else ""
        return f"{jumlah} {self.nilai_barang_satuan}".strip()


class TahapProgram(TimeStampedModel):
    """One stage (tahap) of a programme in a year: its period, quota and beneficiary list."""

    program = models.ForeignKey(
        ProgramBantuan, verbose_name=_("program"), on_delete=models.PROTECT, related_name="tahap"
    )
    tahun = models.PositiveSmallIntegerField(_("tahun"))
    tahap = models.PositiveSmallIntegerField(_("tahap"), default=1)
    periode_mulai = models.DateField(_("periode mulai"))
    periode_selesai = models.DateField(_("periode selesai"))
    kuota = models.PositiveIntegerField(_("kuota penerima"))
    usulan_dibuka = models.BooleanField(_("usulan dibuka"), default=True)
    history = HistoricalRecords(verbose_name=_("riwayat tahap"))

    class Meta:
        verbose_name = _("tahap program")
        verbose_name_plural = _("tahap program")
        ordering = ["-tahun", "program__nama", "tahap"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "tahun", "tahap"],
                name="tahap_unik_per_program_tahun",
                violation_error_message=_("Tahap ini sudah ada untuk program dan tahun tersebut."),
            ),
            models.CheckConstraint(
                condition=Q(periode_selesai__gte=models.F("periode_mulai")),
                name="tahap_periode_urut",
                violation_error_message=_("Periode selesai tidak boleh sebelum periode mulai."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(p)s %(y)s tahap %(n)s") % {"p": self.program, "y": self.tahun, "n": self.tahap}

    def clean(self) -> None:
        if self.program_id and self.program.eksternal:
            raise ValidationError(
                {
                    "program": _("%(p)s adalah program luar: penerimanya diimpor, tidak disusun per tahap.")
                    % {"p": self.program}
                }
            )


class KuotaKecamatan(models.Model):
    """Optional quota of a stage for one kecamatan."""

    tahap = models.ForeignKey(TahapProgram, on_delete=models.CASCADE, related_name="kuota_kecamatan")
    kecamatan = models.ForeignKey(
        "wilayah.Wilayah",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        limit_choices_to={"tingkat": "kecamatan"},
    )
    kuota = models.PositiveIntegerField(_("kuota"))
    history = HistoricalRecords(verbose_name=_("riwayat kuota kecamatan"))

    class Meta:
        verbose_name = _("kuota kecamatan")
        verbose_name_plural = _("kuota kecamatan")
        constraints = [models.UniqueConstraint(fields=["tahap", "kecamatan"], name="kuota_kecamatan_unik")]

    def __str__(self) -> str:
        return f"{self.kecamatan}: {self.kuota}"


class Usulan(TimeStampedModel):
    """A TKSK's proposal of a household (or one of its members) for a programme stage."""

    tahap = models.ForeignKey(
        TahapProgram, verbose_name=_("tahap program"), on_delete=models.PROTECT, related_name="usulan"
    )
    keluarga = models.ForeignKey(
        "pmks.Keluarga", verbose_name=_("keluarga"), on_delete=models.PROTECT, related_name="usulan"
    )
    anggota = models.ForeignKey(
        "pmks.AnggotaKeluarga",
        verbose_name=_("anggota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="usulan",
    )
    alasan = models.TextField(_("alasan"))
    # The musyawarah kelurahan whose minutes agreed this proposal (musyawarah.selectors
    # .alasan_tidak_dapat_dikutip says which may be cited).
    musyawarah = models.ForeignKey(
        "musyawarah.Musyawarah",
        verbose_name=_("musyawarah kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="usulan",
    )
    diusulkan_oleh = actor_field(_("diusulkan oleh"), required=True)
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=choices.StatusUsulan.choices,
        default=choices.StatusUsulan.DIAJUKAN,
    )
    keterangan_status = models.TextField(_("keterangan status"), blank=True)
    history = HistoricalRecords(verbose_name=_("riwayat usulan"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "keluarga__kelurahan"

    class Meta:
        verbose_name = _("usulan")
        verbose_name_plural = _("usulan")
        ordering = ["-dibuat_pada"]
        constraints = [
            # A proposal withdrawn or rejected before reaching a list may be made again.
            models.UniqueConstraint(
                fields=["tahap", "keluarga"],
                condition=~Q(status__in=["dibatalkan", "ditolak"]),
                name="usulan_satu_per_keluarga_per_tahap",
                violation_error_message=_("Keluarga ini sudah diusulkan untuk tahap program tersebut."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.tahap} – KK {self.keluarga.no_kk}"


class DaftarPenerima(TimeStampedModel):
    """The beneficiary list of one programme stage. Frozen once approved (SK number and date)."""

    tahap = models.OneToOneField(
        TahapProgram, verbose_name=_("tahap program"), on_delete=models.PROTECT, related_name="daftar"
    )
    status = models.CharField(
        _("status"), max_length=14, choices=choices.StatusDaftar.choices, default=choices.StatusDaftar.DRAF
    )
    versi = models.PositiveIntegerField(
        _("versi"), default=1, help_text=_("Naik setiap perubahan; dua penyunting tidak saling menimpa.")
    )
    dibuat_oleh = actor_field(_("dibuat oleh"), required=True)
    diajukan_oleh = actor_field(_("diajukan oleh"))
    diajukan_pada = moment_field(_("diajukan pada"))
    diverifikasi_oleh = actor_field(_("diverifikasi oleh"))
    diverifikasi_pada = moment_field(_("diverifikasi pada"))
    diputuskan_oleh = actor_field(_("diputuskan oleh"))
    diputuskan_pada = moment_field(_("diputuskan pada"))
    nomor_sk = models.CharField(_("nomor SK"), max_length=100, blank=True)
    tanggal_sk = models.DateField(_("tanggal SK"), null=True, blank=True)
    alasan_penolakan = models.TextField(_("alasan penolakan"), blank=True)
    history = HistoricalRecords(verbose_name=_("riwayat daftar penerima"))

    class Meta:
        verbose_name = _("daftar penerima")
        verbose_name_plural = _("daftar penerima")
        ordering = ["-tahap__tahun", "tahap__program__nama", "tahap__tahap"]
        permissions = [
            ("approve_daftarpenerima", _("Dapat menyetujui atau menolak daftar penerima")),
            ("manage_daftarpenerima", _("Dapat menyusun, mengajukan dan memverifikasi daftar")),
        ]

    def __str__(self) -> str:
        return _("Daftar %(t)s") % {"t": self.tahap}

    @property
    def beku(self) -> bool:
        return self.status == choices.StatusDaftar.DISETUJUI


class EntriDaftarQuerySet(ScopedQuerySet):
    def aktif(self):
        return self.filter(aktif=True)


class EntriDaftar(TimeStampedModel):
    """One recipient on a list, from one proposal."""

    daftar = models.ForeignKey(
        DaftarPenerima, verbose_name=_("daftar"), on_delete=models.CASCADE, related_name="entri"
    )
    usulan = models.OneToOneField(
        Usulan, verbose_name=_("usulan"), on_delete=models.PROTECT, related_name="entri"
    )
    keluarga = models.ForeignKey(
        "pmks.Keluarga", verbose_name=_("keluarga"), on_delete=models.PROTECT, related_name="entri_bantuan"
    )
    anggota = models.ForeignKey(
        "pmks.AnggotaKeluarga",
        verbose_name=_("anggota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    ditambahkan_lewat_amandemen = models.BooleanField(_("lewat amandemen"), default=False)
    # Frozen when the list (or the amendment adding the entry) is approved: why this household
    # was chosen, as the facts stood then. A later edit of the household cannot rewrite it.
    dasar_persetujuan = models.JSONField(
        _("dasar saat disetujui"),
        default=dict,
        blank=True,
        help_text=_("Skor dan bagiannya, kategori PMKS terverifikasi dan tanda pada saat persetujuan."),
    )
    # What the list's verifier was shown: the approver must still answer it, even if a rule,
    # quota or record changed between verification and approval.
    tanda_verifikasi = models.JSONField(_("tanda saat diverifikasi"), default=list, blank=True)
    alasan_pengecualian = models.TextField(
        _("alasan pengecualian"),
        blank=True,
        help_text=_("Alasan penyetuju untuk entri bertanda (tumpang tindih, pernah menerima, …)."),
    )
    history = HistoricalRecords(verbose_name=_("riwayat entri daftar"))

    objects = EntriDaftarQuerySet.as_manager()
    scope_path = "keluarga__kelurahan"

    class Meta:
        verbose_name = _("penerima dalam daftar")
        verbose_name_plural = _("penerima dalam daftar")
        ordering = ["keluarga__kelurahan_id", "keluarga__no_kk"]
        constraints = [
            models.UniqueConstraint(
                fields=["daftar", "keluarga"],
                name="entri_satu_keluarga_per_daftar",
                violation_error_message=_("Keluarga ini sudah ada di daftar."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.daftar.tahap} – KK {self.keluarga.no_kk}"

    BEKU_SAAT_DISETUJUI = ("dasar_persetujuan", "alasan_pengecualian")

    def clean(self) -> None:
        stored = (
            EntriDaftar.objects.filter(pk=self.pk).values(*self.BEKU_SAAT_DISETUJUI).first()
            if self.pk
            else None
        )
        if stored and stored["dasar_persetujuan"]:
            if any(getattr(self, f) != stored[f] for f in self.BEKU_SAAT_DISETUJUI):
                raise ValidationError(
                    _(
                        "Dasar dan alasan persetujuan entri ini dibekukan saat disetujui "
                        "dan tidak dapat diubah."
                    )
                )


class AmandemenDaftar(TimeStampedModel):
    """A change to an approved list: proposed by one person with a reason, approved (then
    applied) or rejected by another."""

    class Jenis(models.TextChoices):
        TAMBAH = "tambah", _("Tambah penerima")
        KELUARKAN = "keluarkan", _("Keluarkan penerima")

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", _("Menunggu persetujuan")
        DISETUJUI = "disetujui", _("Disetujui")
        DITOLAK = "ditolak", _("Ditolak")

    daftar = models.ForeignKey(
        DaftarPenerima, verbose_name=_("daftar"), on_delete=models.CASCADE, related_name="amandemen"
    )
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices)
    keluarga = models.ForeignKey(
        "pmks.Keluarga", verbose_name=_("keluarga"), on_delete=models.PROTECT, related_name="+"
    )
    usulan = models.ForeignKey(
        Usulan, verbose_name=_("usulan"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entri = models.ForeignKey(
        "EntriDaftar",
        verbose_name=_("entri"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    alasan = models.TextField(_("alasan"))
    diusulkan_oleh = actor_field(_("diusulkan oleh"), required=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DIAJUKAN)
    diputuskan_oleh = actor_field(_("diputuskan oleh"))
    diputuskan_pada = moment_field(_("diputuskan pada"))
    catatan_keputusan = models.TextField(_("catatan keputusan"), blank=True)
    history = HistoricalRecords(verbose_name=_("riwayat amandemen"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "keluarga__kelurahan"

    class Meta:
        verbose_name = _("amandemen daftar")
        verbose_name_plural = _("amandemen daftar")
        ordering = ["dibuat_pada", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["daftar", "keluarga"],
                condition=Q(status="diajukan"),
                name="satu_amandemen_terbuka_per_keluarga",
                violation_error_message=_("Sudah ada amandemen yang menunggu untuk keluarga ini."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} KK {self.keluarga.no_kk} ({self.get_status_display()})"


class RiwayatDaftar(models.Model):
    """Each status transition and amendment of a list: who, when, what, why."""

    daftar = models.ForeignKey(DaftarPenerima, on_delete=models.CASCADE, related_name="riwayat")
    # For amendments: the entry concerned. Shown only to users whose area holds that entry.
    entri = models.ForeignKey(
        "EntriDaftar", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dari_status = models.CharField(_("dari"), max_length=14, blank=True)
    ke_status = models.CharField(_("ke"), max_length=14)
    tindakan = models.CharField(_("tindakan"), max_length=40)
    oleh = actor_field(_("oleh"), required=True)
    pada = models.DateTimeField(_("pada"), auto_now_add=True)
    catatan = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("riwayat daftar")
        verbose_name_plural = _("riwayat daftar")
        ordering = ["pada", "pk"]

    def __str__(self) -> str:
        return f"{self.tindakan} {timezone.localtime(self.pada):%d/%m/%Y %H:%M}"


class Penyaluran(TimeStampedModel):
    """Aid handed over to an approved recipient, with proof."""

    entri = models.ForeignKey(
        EntriDaftar, verbose_name=_("penerima"), on_delete=models.PROTECT, related_name="penyaluran"
    )
    tanggal = models.DateField(_("tanggal penyaluran"))
    uraian = models.CharField(_("yang diserahkan"), max_length=200)
    penerima = models.CharField(
        _("diterima oleh"),
        max_length=10,
        choices=choices.PenerimaPenyaluran.choices,
        default=choices.PenerimaPenyaluran.LANGSUNG,
    )
    nama_wakil = models.CharField(_("nama wakil"), max_length=150, blank=True)
    hubungan_wakil = models.CharField(_("hubungan wakil dengan penerima"), max_length=60, blank=True)
    petugas = actor_field(_("petugas"), required=True)
    foto = models.ImageField(
        _("foto bukti"), upload_to="bukti/penyaluran/%Y/%m/", blank=True, validators=[validate_photo]
    )
    history = HistoricalRecords(verbose_name=_("riwayat penyaluran"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "entri__keluarga__kelurahan"

    class Meta:
        verbose_name = _("penyaluran")
        verbose_name_plural = _("penyaluran")
        ordering = ["-tanggal", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entri"],
                name="satu_penyaluran_per_entri",
                violation_error_message=_("Penyaluran untuk penerima ini sudah dicatat."),
            )
        ]

    def __str__(self) -> str:
        return f"Penyaluran {self.entri} {self.tanggal:%d/%m/%Y}"

    def clean(self) -> None:
        if self.penerima == choices.PenerimaPenyaluran.WAKIL and not self.nama_wakil.strip():
            raise ValidationError({"nama_wakil": _("Nama wakil wajib diisi bila bantuan diwakilkan.")})


class PemantauanQuerySet(ScopedQuerySet):
    def terjadwal(self):
        return self.filter(status=choices.StatusPemantauan.TERJADWAL)


class Pemantauan(TimeStampedModel):
    """A scheduled follow-up check after a distribution; its fields depend on the programme."""

    penyaluran = models.ForeignKey(
        Penyaluran, verbose_name=_("penyaluran"), on_delete=models.CASCADE, related_name="pemantauan"
    )
    jadwal = models.DateField(_("jadwal"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=choices.StatusPemantauan.choices,
        default=choices.StatusPemantauan.TERJADWAL,
    )
    tanggal = models.DateField(_("tanggal pemantauan"), null=True, blank=True)
    petugas = actor_field(_("petugas"))
    # Sembako
    diterima_tepat_waktu = models.BooleanField(_("sembako diterima tepat waktu"), null=True, blank=True)
    # Rumah (RTLH)
    progres_persen = models.PositiveSmallIntegerField(
        _("progres pembangunan (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    foto_sebelum = models.ImageField(
        _("foto sebelum"), upload_to="bukti/pemantauan/%Y/%m/", blank=True, validators=[validate_photo]
    )
    foto_sesudah = models.ImageField(
        _("foto sesudah/terkini"),
        upload_to="bukti/pemantauan/%Y/%m/",
        blank=True,
        validators=[validate_photo],
    )
    # Kambing
    kambing_jumlah = models.PositiveSmallIntegerField(_("jumlah kambing sekarang"), null=True, blank=True)
    kambing_lahir = models.PositiveSmallIntegerField(_("kambing lahir"), null=True, blank=True)
    kambing_mati = models.PositiveSmallIntegerField(_("kambing mati"), null=True, blank=True)
    kambing_dijual = models.PositiveSmallIntegerField(_("kambing dijual"), null=True, blank=True)
    # Usaha
    usaha_berjalan = models.BooleanField(_("usaha masih berjalan"), null=True, blank=True)
    omzet_bulanan = models.PositiveBigIntegerField(_("omzet per bulan (Rp)"), null=True, blank=True)
    catatan = models.TextField(_("catatan"), blank=True)
    history = HistoricalRecords(verbose_name=_("riwayat pemantauan"))

    objects = PemantauanQuerySet.as_manager()
    scope_path = "penyaluran__entri__keluarga__kelurahan"

    class Meta:
        verbose_name = _("pemantauan")
        verbose_name_plural = _("pemantauan")
        ordering = ["jadwal", "pk"]

    def __str__(self) -> str:
        return _("Pemantauan %(e)s %(d)s") % {"e": self.penyaluran.entri, "d": f"{self.jadwal:%d/%m/%Y}"}

    def clean(self) -> None:
        # The follow-up schedule's rule, on every path (services, admin): never before the
        # distribution it follows.
        if self.penyaluran_id:
            start = self.penyaluran.tanggal
            when = {"d": start.strftime("%d/%m/%Y")}
            if self.jadwal and self.jadwal < start:
                raise ValidationError(
                    {"jadwal": _("Jadwal pemantauan tidak boleh sebelum tanggal penyaluran (%(d)s).") % when}
                )
            if self.tanggal and self.tanggal < start:
                raise ValidationError(
                    {
                        "tanggal": _("Tanggal pemantauan tidak boleh sebelum tanggal penyaluran (%(d)s).")
                        % when
                    }
                )


# -- Aid decided elsewhere: the external ledger ----------------------------------------------------


class EkstrakBantuan(TimeStampedModel):
    """One import of an external programme's recipients for one period: who came in, who left.

    A newer extract of the same programme and period replaces the older one in the kelurahan its
    rows name (within the importer's area); the same extract again changes nothing (no extract
    is recorded)."""

    program = models.ForeignKey(
        ProgramBantuan, verbose_name=_("program"), on_delete=models.PROTECT, related_name="ekstrak"
    )
    periode_mulai = models.DateField(_("periode mulai"))
    periode_selesai = models.DateField(_("periode selesai"))
    sumber = models.CharField(_("sumber"), max_length=100, help_text=_("Mis. SIKS-NG Kemensos, Baznas Kota."))
    tanggal_ekstrak = models.DateField(_("tanggal ekstrak"))
    nama_berkas = models.CharField(_("berkas"), max_length=200)
    wilayah = models.CharField(_("wilayah pengimpor"), max_length=200)
    # The kelurahan its rows named: what it replaced, and what an older extract may not replace.
    cakupan = models.JSONField(_("kelurahan dalam ekstrak"), default=list, blank=True)
    jumlah = models.PositiveIntegerField(_("penerima"), default=0)
    masuk = models.PositiveIntegerField(_("masuk"), default=0)
    keluar = models.PositiveIntegerField(_("keluar"), default=0)
    diubah = models.PositiveIntegerField(_("diubah"), default=0)
    tidak_cocok = models.PositiveIntegerField(_("belum terdaftar"), default=0)
    diimpor_oleh = actor_field(_("diimpor oleh"), required=True)

    class Meta:
        verbose_name = _("ekstrak bantuan luar")
        verbose_name_plural = _("ekstrak bantuan luar")
        ordering = ["-dibuat_pada", "-pk"]
        indexes = [models.Index(fields=["program", "periode_mulai", "periode_selesai"])]

    def __str__(self) -> str:
        return _("%(p)s %(a)s–%(b)s (ekstrak %(t)s)") % {
            "p": self.program,
            "a": f"{self.periode_mulai:%d/%m/%Y}",
            "b": f"{self.periode_selesai:%d/%m/%Y}",
            "t": f"{self.tanggal_ekstrak:%d/%m/%Y}",
        }


class PenerimaEksternalQuerySet(ScopedQuerySet):
    def berlaku(self):
        """Rows the latest extract of their programme and period still lists."""
        return self.filter(ekstrak_keluar__isnull=True)

    def dalam_periode(self, mulai: datetime.date, selesai: datetime.date):
        return self.filter(periode_mulai__lte=selesai, periode_selesai__gte=mulai)


class PenerimaEksternal(models.Model):
    """One recipient of an external programme in one period, as an extract listed it; matched
    to a registered household by NIK, else by No. KK, or waiting to be registered."""

    program = models.ForeignKey(
        ProgramBantuan, verbose_name=_("program"), on_delete=models.PROTECT, related_name="penerima_eksternal"
    )
    periode_mulai = models.DateField(_("periode mulai"))
    periode_selesai = models.DateField(_("periode selesai"))
    kunci = models.CharField(_("kunci"), max_length=80)  # NIK or No. KK, and the component
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    no_kk = models.CharField(_("No. KK"), max_length=16, blank=True)
    nama = models.CharField(_("nama"), max_length=150)
    kelurahan = models.ForeignKey(
        "wilayah.Wilayah", verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="+"
    )
    komponen = models.CharField(_("komponen"), max_length=60, blank=True)
    nilai_rupiah = models.PositiveBigIntegerField(_("nilai (Rp)"), null=True, blank=True)
    keluarga = models.ForeignKey(
        "pmks.Keluarga",
        verbose_name=_("keluarga"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bantuan_eksternal",
    )
    ekstrak_masuk = models.ForeignKey(
        EkstrakBantuan, verbose_name=_("masuk lewat ekstrak"), on_delete=models.CASCADE, related_name="+"
    )
    ekstrak_keluar = models.ForeignKey(
        EkstrakBantuan,
        verbose_name=_("keluar lewat ekstrak"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PenerimaEksternalQuerySet.as_manager()
    scope_path = "kelurahan"

    class Meta:
        verbose_name = _("penerima bantuan luar")
        verbose_name_plural = _("penerima bantuan luar")
        ordering = ["program", "-periode_mulai", "kelurahan", "nama"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "periode_mulai", "periode_selesai", "kunci"],
                condition=Q(ekstrak_keluar__isnull=True),
                name="penerima_eksternal_satu_per_periode",
            ),
            models.CheckConstraint(
                condition=Q(periode_selesai__gte=models.F("periode_mulai")),
                name="penerima_eksternal_periode_urut",
            ),
        ]
        indexes = [
            models.Index(fields=["keluarga", "periode_selesai"]),
            models.Index(fields=["program", "periode_mulai", "periode_selesai"]),
            # Rows waiting for their household: listed per kelurahan, linked by NIK or No. KK.
            models.Index(
                fields=["kelurahan"],
                condition=Q(keluarga__isnull=True),
                name="penerima_eksternal_belum_cocok",
            ),
            models.Index(
                fields=["nik"], condition=Q(keluarga__isnull=True), name="penerima_eksternal_nik_tunggu"
            ),
            models.Index(
                fields=["no_kk"], condition=Q(keluarga__isnull=True), name="penerima_eksternal_kk_tunggu"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} – {self.nama}"


class MasalahBantuanEksternal(TimeStampedModel):
    """A problem the field reports about aid decided elsewhere (a BPNT family that received
    nothing, a card that does not work): the city monitors and passes it on."""

    penerima = models.ForeignKey(
        PenerimaEksternal, verbose_name=_("penerima"), on_delete=models.PROTECT, related_name="masalah"
    )
    jenis = models.CharField(_("masalah"), max_length=20, choices=choices.MasalahEksternal.choices)
    uraian = models.TextField(_("uraian"))
    dilaporkan_oleh = actor_field(_("dilaporkan oleh"), required=True)
    selesai = models.BooleanField(_("selesai ditangani"), default=False)
    tindak_lanjut = models.TextField(_("tindak lanjut"), blank=True)
    history = HistoricalRecords(verbose_name=_("riwayat masalah bantuan luar"))

    objects = ScopedQuerySet.as_manager()
    scope_path = "penerima__kelurahan"

    class Meta:
        verbose_name = _("masalah bantuan luar")
        verbose_name_plural = _("masalah bantuan luar")
        ordering = ["selesai", "-dibuat_pada"]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} – {self.penerima.nama}"
