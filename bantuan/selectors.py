"""Reads for aid. Anything that names households starts from ``for_user``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, combinations
from typing import Any

from django.db.models import Case, Count, Max, Min, Q, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bantuan.choices import StatusDaftar, StatusUsulan
from bantuan.models import (
    AmandemenDaftar,
    DaftarPenerima,
    EkstrakBantuan,
    EntriDaftar,
    MasalahBantuanEksternal,
    Pemantauan,
    PemantauanQuerySet,
    PenerimaEksternal,
    Penyaluran,
    ProgramBantuan,
    TahapProgram,
    Usulan,
)
from bantuan.rules import (
    DESIL_MAMPU,
    DESIL_TERMISKIN,
    Skor,
    Tanda,
    bertentangan,
    desil_bertentangan,
    kunci_tambahan,
    larangan_program,
    layak_belum_menerima,
    pengecualian_daftar,
    profil_keluarga,
)
from inti.scoping import Scope, scope_of
from inti.tugas import Butir, Tugas
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from pmks.selectors import TUGAS_BUTIR, sebutan_keluarga
from wilayah.models import Wilayah


def program_list() -> QuerySet[ProgramBantuan]:
    return ProgramBantuan.objects.prefetch_related("kategori_sasaran", "tidak_bersama").order_by("nama")


def tahap_open_for_proposals() -> QuerySet[TahapProgram]:
    return (
        TahapProgram.objects.filter(usulan_dibuka=True, program__aktif=True)
        .select_related("program")
        .order_by("-tahun", "program__nama", "tahap")
    )


def tahap_list() -> QuerySet[TahapProgram]:
    return TahapProgram.objects.select_related("program", "daftar").order_by(
        "-tahun", "program__nama", "tahap"
    )


def tahun_terakhir() -> int | None:
    """The latest year with a programme stage: the reports' default."""
    return TahapProgram.objects.order_by("-tahun").values_list("tahun", flat=True).first()


def tahap_get_or_404(pk: int) -> TahapProgram:
    return get_object_or_404(TahapProgram.objects.select_related("program"), pk=pk)


# -- Usulan ----------------------------------------------------------------------------------------


@dataclass
class Nasib:
    """What became of a proposal, in words a TKSK can pass on to the family."""

    label: str
    css: str
    keterangan: str = ""


def usulan_list(*, user: Any) -> QuerySet[Usulan]:
    return (
        Usulan.objects.for_user(user)
        .select_related("tahap__program", "keluarga__kelurahan", "anggota", "diusulkan_oleh", "entri__daftar")
        .prefetch_related("entri__penyaluran")
        .order_by("-dibuat_pada", "-pk")
    )


def usulan_get_for_user_or_404(*, user: Any, pk: int) -> Usulan:
    return get_object_or_404(usulan_list(user=user), pk=pk)


def nasib_usulan(usulan: Usulan) -> Nasib:
    """The proposal's fate, from its own status and the list it is on (no extra queries when
    ``usulan_list`` loaded it)."""
    entri = getattr(usulan, "entri", None)  # reverse one-to-one: None when not on a list
    if usulan.status == StatusUsulan.DITOLAK:
        return Nasib(_("Ditolak"), "danger", usulan.keterangan_status)
    if usulan.status == StatusUsulan.DIBATALKAN:
        return Nasib(_("Dibatalkan"), "secondary", usulan.keterangan_status)
    if entri is None:
        return Nasib(_("Menunggu disusun ke daftar"), "secondary")
    daftar = entri.daftar
    if daftar.status == StatusDaftar.DISETUJUI:
        disalurkan = list(entri.penyaluran.all())
        if disalurkan:
            return Nasib(
                _("Disetujui, sudah disalurkan"),
                "success",
                _("Disalurkan %(d)s") % {"d": disalurkan[0].tanggal.strftime("%d/%m/%Y")},
            )
        return Nasib(
            _("Disetujui"),
            "success",
            _("SK %(n)s tanggal %(d)s")
            % {
                "n": daftar.nomor_sk,
                "d": daftar.tanggal_sk.strftime("%d/%m/%Y") if daftar.tanggal_sk else "–",
            },
        )
    if daftar.status == StatusDaftar.DITOLAK:
        return Nasib(_("Daftar dikembalikan Dinas"), "warning", daftar.alasan_penolakan)
    return Nasib(_("Dalam daftar: %(s)s") % {"s": daftar.get_status_display()}, "info")


@dataclass
class Langkah:
    """One step of the decision trail: what happened, who did it, when."""

    label: str
    oleh: Any
    pada: Any
    rincian: str = ""


def jejak_keputusan(*, usulan: Usulan) -> list[Langkah]:
    """How a proposal was decided, step by step, each with a name and a date: the PMKS records
    that made the household a target (recorded, verified), the proposal, the list (submitted,
    verified, approved with its SK and the approver's reason, or returned), an amendment, the
    distribution."""
    program = usulan.tahap.program
    target = set(program.kategori_sasaran.values_list("pk", flat=True))
    steps = []
    records = usulan.keluarga.catatan_pmks.select_related(
        "kategori", "diidentifikasi_oleh", "diverifikasi_oleh"
    )
    for c in records:
        if target and c.kategori_id not in target:
            continue
        name = c.kategori.singkatan or c.kategori.nama
        steps.append(
            Langkah(
                _("Catatan PMKS %(k)s dicatat") % {"k": name}, c.diidentifikasi_oleh, c.tanggal_identifikasi
            )
        )
        if c.diverifikasi_oleh:
            steps.append(
                Langkah(
                    _("Catatan PMKS %(k)s %(s)s") % {"k": name, "s": c.get_status_display().lower()},
                    c.diverifikasi_oleh,
                    c.diverifikasi_pada,
                )
            )
    steps.append(Langkah(_("Diusulkan"), usulan.diusulkan_oleh, usulan.dibuat_pada, usulan.alasan))
    if usulan.status in (StatusUsulan.DITOLAK, StatusUsulan.DIBATALKAN) and not hasattr(usulan, "entri"):
        decided = (
            usulan.history.filter(status=usulan.status)
            .select_related("history_user")
            .order_by("history_date")
            .first()
        )
        steps.append(
            Langkah(
                usulan.get_status_display(),
                decided.history_user if decided else None,
                decided.history_date if decided else None,
                usulan.keterangan_status,
            )
        )
    entri = getattr(usulan, "entri", None)
    if entri is None:
        return steps
    daftar = entri.daftar
    if entri.ditambahkan_lewat_amandemen:
        amandemen = (
            daftar.amandemen.filter(entri=entri, status="disetujui")
            .select_related("diusulkan_oleh", "diputuskan_oleh")
            .first()
        )
        if amandemen:
            steps.append(
                Langkah(
                    _("Amandemen diusulkan"),
                    amandemen.diusulkan_oleh,
                    amandemen.dibuat_pada,
                    amandemen.alasan,
                )
            )
            steps.append(
                Langkah(_("Amandemen disetujui"), amandemen.diputuskan_oleh, amandemen.diputuskan_pada)
            )
    else:
        if daftar.diajukan_oleh:
            steps.append(
                Langkah(_("Daftar diajukan"), daftar.diajukan_oleh, daftar.diajukan_pada, str(daftar))
            )
        if daftar.diverifikasi_oleh:
            steps.append(
                Langkah(_("Daftar diverifikasi"), daftar.diverifikasi_oleh, daftar.diverifikasi_pada)
            )
    if daftar.status == StatusDaftar.DISETUJUI and daftar.diputuskan_oleh:
        sk = _("SK %(n)s tanggal %(d)s") % {
            "n": daftar.nomor_sk,
            "d": f"{daftar.tanggal_sk:%d/%m/%Y}" if daftar.tanggal_sk else "–",
        }
        reason = f" · {_('Alasan')}: {entri.alasan_pengecualian}" if entri.alasan_pengecualian else ""
        steps.append(
            Langkah(_("Daftar disetujui"), daftar.diputuskan_oleh, daftar.diputuskan_pada, sk + reason)
        )
    elif daftar.status == StatusDaftar.DITOLAK and daftar.diputuskan_oleh:
        steps.append(
            Langkah(
                _("Daftar dikembalikan"),
                daftar.diputuskan_oleh,
                daftar.diputuskan_pada,
                daftar.alasan_penolakan,
            )
        )
    for p in entri.penyaluran.all():
        steps.append(Langkah(_("Disalurkan"), p.petugas, p.tanggal, p.uraian))
    return steps


# -- Daftar penerima -------------------------------------------------------------------------------


def daftar_list() -> QuerySet[DaftarPenerima]:
    return (
        DaftarPenerima.objects.select_related("tahap__program", "diajukan_oleh", "diputuskan_oleh")
        .annotate(jumlah=Count("entri", filter=Q(entri__aktif=True)))
        .order_by("-tahap__tahun", "tahap__program__nama", "tahap__tahap")
    )


def daftar_riwayat(*, user: Any, daftar: DaftarPenerima) -> QuerySet:
    """The list's history; an amendment row only when its entry lies in the user's area."""
    visible = EntriDaftar.objects.for_user(user).filter(daftar=daftar).values("pk")
    return (
        daftar.riwayat.filter(Q(entri__isnull=True) | Q(entri__in=visible))
        .select_related("oleh", "entri__keluarga")
        .order_by("pada", "pk")
    )


def daftar_get_or_404(pk: int) -> DaftarPenerima:
    return get_object_or_404(
        DaftarPenerima.objects.select_related(
            "tahap__program", "dibuat_oleh", "diajukan_oleh", "diverifikasi_oleh", "diputuskan_oleh"
        ),
        pk=pk,
    )


@dataclass
class BarisDaftar:
    entri: EntriDaftar
    kepala: str
    tanda: list[Tanda]


def daftar_rows(*, user: Any, daftar: DaftarPenerima, kelurahan: str | None = None) -> list[BarisDaftar]:
    """The list's entries that the user may see, each with its exceptions: the live ones until
    the list is approved, then those frozen at approval."""
    entries = (
        EntriDaftar.objects.for_user(user)
        .filter(daftar=daftar)
        .select_related("keluarga__kelurahan__induk", "anggota", "usulan__diusulkan_oleh")
        .prefetch_related("penyaluran")
        .order_by("-aktif", "keluarga__kelurahan_id", "keluarga__no_kk")
    )
    if kelurahan:
        entries = entries.filter(keluarga__kelurahan_id=kelurahan)
    shown = list(entries)
    ids = [e.keluarga_id for e in shown]
    heads = dict(
        AnggotaKeluarga.objects.filter(keluarga_id__in=ids, hubungan="kepala").values_list(
            "keluarga_id", "nama"
        )
    )
    if daftar.beku:  # approved: the flags as they stood then, frozen on each entry
        flags = {e.pk: [Tanda(**t) for t in e.dasar_persetujuan.get("tanda", [])] for e in shown}
    else:  # the exceptions the approver will have to justify (the same rule the approval applies)
        flags = pengecualian_daftar(daftar)
    return [BarisDaftar(e, heads.get(e.keluarga_id, ""), flags.get(e.pk, [])) for e in shown]


@dataclass
class BarisLampiran:
    """A recipient as the SK annex prints it: who, where, and why as it stood at approval."""

    entri: EntriDaftar
    nama: str
    nik: str
    tanda: list[Tanda]


def lampiran_sk(*, user: Any, daftar: DaftarPenerima) -> list[BarisLampiran]:
    """The approved list's active recipients in the user's area, for the SK annex."""
    if not daftar.beku:
        raise Http404
    rows = [r for r in daftar_rows(user=user, daftar=daftar) if r.entri.aktif]
    ids = [r.entri.keluarga_id for r in rows]
    heads = {a.keluarga_id: a for a in AnggotaKeluarga.objects.filter(keluarga_id__in=ids, hubungan="kepala")}
    out = []
    for r in rows:
        person = r.entri.anggota or heads.get(r.entri.keluarga_id)
        out.append(
            BarisLampiran(r.entri, person.nama if person else "", person.nik if person else "", r.tanda)
        )
    return out


def amandemen_list(*, user: Any, daftar: DaftarPenerima) -> QuerySet[AmandemenDaftar]:
    """The list's amendments whose household lies in the user's area, open ones first."""
    return (
        AmandemenDaftar.objects.for_user(user)
        .filter(daftar=daftar)
        .select_related("keluarga__kelurahan", "diusulkan_oleh", "diputuskan_oleh")
        .order_by(Case(When(status="diajukan", then=0), default=1), "dibuat_pada", "pk")
    )


@dataclass
class BarisAmandemen:
    amandemen: AmandemenDaftar
    tanda: list[Tanda]  # what its approver must answer: the added household judged as if on the list


def amandemen_rows(*, user: Any, daftar: DaftarPenerima) -> list[BarisAmandemen]:
    """The list's amendments for its page, each pending addition with its exceptions."""
    rows = []
    for a in amandemen_list(user=user, daftar=daftar).select_related("usulan__keluarga__kelurahan"):
        tanda: list[Tanda] = []
        if a.status == AmandemenDaftar.Status.DIAJUKAN and a.usulan is not None:
            tanda = pengecualian_daftar(daftar, [a.usulan]).get(kunci_tambahan(a.usulan), [])
        rows.append(BarisAmandemen(a, tanda))
    return rows


def amandemen_get_for_user_or_404(*, user: Any, daftar: DaftarPenerima, pk: int) -> AmandemenDaftar:
    return get_object_or_404(amandemen_list(user=user, daftar=daftar), pk=pk)


def entri_get_for_user_or_404(*, user: Any, pk: int) -> EntriDaftar:
    return get_object_or_404(
        EntriDaftar.objects.for_user(user).select_related(
            "daftar__tahap__program", "keluarga__kelurahan", "anggota"
        ),
        pk=pk,
    )


def usulan_pending_for_tahap(*, user: Any, tahap: TahapProgram) -> QuerySet[Usulan]:
    return (
        Usulan.objects.for_user(user)
        .filter(tahap=tahap, status=StatusUsulan.DIAJUKAN)
        .select_related("keluarga__kelurahan", "diusulkan_oleh")
    )


# -- Penyaluran, Berita Acara, pemantauan ----------------------------------------------------------


def penyaluran_get_for_user_or_404(*, user: Any, pk: int) -> Penyaluran:
    return get_object_or_404(
        Penyaluran.objects.for_user(user).select_related(
            "entri__keluarga__kelurahan", "entri__daftar__tahap__program", "petugas"
        ),
        pk=pk,
    )


def berita_acara(*, user: Any, tahap: TahapProgram, kelurahan_kode: str) -> tuple[Wilayah, list[Any]]:
    """A kelurahan's hand-over record for a stage: 404 when the kelurahan is outside the area."""
    kelurahan = get_object_or_404(
        Wilayah.objects.for_user(user).select_related("induk"),
        pk=kelurahan_kode,
        tingkat__in=["kelurahan", "desa"],
    )
    rows = list(
        Penyaluran.objects.for_user(user)
        .filter(entri__daftar__tahap=tahap, entri__keluarga__kelurahan=kelurahan)
        .select_related("entri__keluarga", "entri__anggota", "petugas")
        .order_by("tanggal", "entri__keluarga__no_kk")
    )
    heads = dict(
        AnggotaKeluarga.objects.filter(
            keluarga_id__in=[r.entri.keluarga_id for r in rows], hubungan="kepala"
        ).values_list("keluarga_id", "nama")
    )
    for r in rows:
        r.nama_kepala = heads.get(r.entri.keluarga_id, "")
    return kelurahan, rows


def berita_acara_kelurahan(*, user: Any, tahap: TahapProgram) -> list[dict[str, Any]]:
    """Kelurahan of the user's area with distributions in the stage (links to their records)."""
    return list(
        Penyaluran.objects.for_user(user)
        .filter(entri__daftar__tahap=tahap)
        .values("entri__keluarga__kelurahan_id", "entri__keluarga__kelurahan__nama")
        .annotate(n=Count("pk"))
        .order_by("entri__keluarga__kelurahan_id")
    )


def pemantauan_list(*, user: Any) -> PemantauanQuerySet:
    return (
        Pemantauan.objects.for_user(user)
        .select_related("penyaluran__entri__keluarga__kelurahan", "penyaluran__entri__daftar__tahap__program")
        .order_by("jadwal", "pk")
    )


def pemantauan_get_for_user_or_404(*, user: Any, pk: int) -> Pemantauan:
    return get_object_or_404(pemantauan_list(user=user), pk=pk)


def pemantauan_due(*, user: Any, within_days: int = 14) -> dict[str, list[Pemantauan]]:
    """Follow-ups overdue and due soon, for the dashboard."""
    today = timezone.localdate()
    rows = list(
        pemantauan_list(user=user)
        .terjadwal()
        .filter(jadwal__lte=today + datetime.timedelta(days=within_days))
    )
    return {
        "terlambat": [p for p in rows if p.jadwal < today],
        "segera": [p for p in rows if p.jadwal >= today],
    }


# -- Reports: overlap and its mirror ---------------------------------------------------------------


@dataclass
class BarisTumpangTindih:
    keluarga: Keluarga
    kepala: str
    program: list[str]
    bertentangan: bool  # at least two of them exclude each other


@dataclass(frozen=True)
class _Tahap:
    program_id: int
    nama: str
    periode_mulai: datetime.date
    periode_selesai: datetime.date


def laporan_tumpang_tindih(*, user: Any, tahun: int, termasuk_luar: bool = True) -> list[BarisTumpangTindih]:
    """Households receiving two or more programmes whose periods fall in the year, on approved
    city lists and (unless ``termasuk_luar`` is off) in the external ledger; marked when two of
    them may not go together (``rules.bertentangan``, the same rule as the flags on proposals
    and lists)."""
    awal, akhir = datetime.date(tahun, 1, 1), datetime.date(tahun, 12, 31)
    entries = (
        EntriDaftar.objects.for_user(user)
        .filter(
            aktif=True,
            daftar__status=StatusDaftar.DISETUJUI,
            daftar__tahap__periode_mulai__lte=akhir,
            daftar__tahap__periode_selesai__gte=awal,
        )
        .values_list(
            "keluarga_id",
            "daftar__tahap__program_id",
            "daftar__tahap__program__nama",
            "daftar__tahap__periode_mulai",
            "daftar__tahap__periode_selesai",
        )
    )
    external = (
        PenerimaEksternal.objects.for_user(user)
        .berlaku()
        .dalam_periode(awal, akhir)
        .filter(keluarga__isnull=False)
        .values_list("keluarga_id", "program_id", "program__nama", "periode_mulai", "periode_selesai")
        .distinct()
        .order_by()
    )
    stages: dict[int, set[_Tahap]] = defaultdict(set)
    for keluarga_id, program_id, nama, mulai, selesai in chain(entries, external if termasuk_luar else ()):
        stages[keluarga_id].add(_Tahap(program_id, nama, mulai, selesai))
    many = {k: v for k, v in stages.items() if len({t.program_id for t in v}) > 1}
    if not many:
        return []
    larangan = larangan_program()
    households = Keluarga.objects.select_related("kelurahan").in_bulk(list(many))
    heads = dict(
        AnggotaKeluarga.objects.filter(keluarga_id__in=list(many), hubungan="kepala").values_list(
            "keluarga_id", "nama"
        )
    )
    rows = []
    for keluarga_id, held in many.items():
        clash = any(bertentangan(a, b, larangan) for a, b in combinations(held, 2))
        names = sorted({t.nama for t in held})
        rows.append(BarisTumpangTindih(households[keluarga_id], heads.get(keluarga_id, ""), names, clash))
    return sorted(rows, key=lambda r: (not r.bertentangan, -len(r.program), r.keluarga.no_kk))


@dataclass
class BarisBelumMenerima:
    keluarga: Keluarga
    kepala: str
    kategori: list[str]
    skor: Skor
    desil: int | None  # DTSEN, when known
    cek_ulang: str  # why the decile and the score disagree ('' when they do not)


URUTAN_BELUM_MENERIMA = {
    "skor": gettext_lazy("skor kerentanan"),
    "desil": gettext_lazy("desil DTSEN, lalu skor"),
}


def laporan_belum_menerima(
    *, user: Any, program: ProgramBantuan, tahun: int, urut: str = "skor", limit: int = 200
) -> list[BarisBelumMenerima]:
    """Eligible households (verified PMKS in the programme's target categories, within its
    decile range) that receive no aid at all in the year, city or external; most vulnerable
    first, or by DTSEN decile first (unknown deciles last) then score."""
    ids = layak_belum_menerima(CatatanPmks.objects.for_user(user), program, tahun)
    rows = [
        BarisBelumMenerima(
            p.keluarga, p.kepala, p.kategori, p.skor, p.desil, desil_bertentangan(p.desil, p.skor.total)
        )
        for p in profil_keluarga(ids).values()
    ]
    if urut == "desil":
        rows.sort(key=lambda r: (r.desil is None, r.desil or 0, -r.skor.total, r.keluarga.no_kk))
    else:
        rows.sort(key=lambda r: (-r.skor.total, r.keluarga.no_kk))
    return rows[:limit]


def area_label(user: Any) -> str:
    scope = scope_of(user)
    if scope.unrestricted:
        return _("Semua wilayah")
    names = Wilayah.objects.filter(pk__in=scope.kode_wilayah or []).values_list("nama", flat=True)
    return ", ".join(n.title() for n in names) or _("(tanpa wilayah)")


def ringkasan_bulanan(*, kecamatan_kode: str, mulai: datetime.date, sampai: datetime.date) -> dict[str, Any]:
    """Aid work in a kecamatan over a period, for the TKSK's monthly report (tksk reads it)."""
    area = Scope(frozenset({kecamatan_kode}))  # the same prefix rule as access scoping

    def per_program(qs: QuerySet, program: str) -> list[tuple[str, int]]:
        return list(qs.values_list(program).annotate(n=Count("pk")).order_by(program))

    usulan = Usulan.objects.within(area).filter(dibuat_pada__date__gte=mulai, dibuat_pada__date__lte=sampai)
    salur = Penyaluran.objects.within(area).filter(tanggal__gte=mulai, tanggal__lte=sampai)
    return {
        "usulan": per_program(usulan, "tahap__program__nama"),
        "penyaluran": per_program(salur, "entri__daftar__tahap__program__nama"),
        "pemantauan": Pemantauan.objects.within(area).filter(tanggal__gte=mulai, tanggal__lte=sampai).count(),
    }


# -- Aid decided elsewhere: the external ledger -------------------------------------------------------


def ekstrak_list() -> QuerySet[EkstrakBantuan]:
    """Imported extracts, newest first (what came in and left with each: counts only)."""
    return EkstrakBantuan.objects.select_related("program", "diimpor_oleh").order_by("-dibuat_pada", "-pk")


def ekstrak_get_or_404(pk: int) -> EkstrakBantuan:
    return get_object_or_404(ekstrak_list(), pk=pk)


def ekstrak_rows(*, user: Any, ekstrak: EkstrakBantuan, arah: str) -> QuerySet[PenerimaEksternal]:
    """The recipients in the user's area who came in ('masuk') or left ('keluar') with it."""
    rows = PenerimaEksternal.objects.for_user(user).select_related("kelurahan", "keluarga")
    rows = rows.filter(ekstrak_keluar=ekstrak) if arah == "keluar" else rows.filter(ekstrak_masuk=ekstrak)
    return rows.order_by("kelurahan_id", "nama", "pk")


def belum_terdaftar(*, user: Any) -> QuerySet:
    """External aid recipients in the user's area whose household is not registered yet, one
    line per person and programme however many periods (a BPNT family is listed once, not
    monthly): the TKSK's list of families to find and register (their rows link themselves
    once the household is registered)."""
    return (
        PenerimaEksternal.objects.for_user(user)
        .berlaku()
        .filter(keluarga__isnull=True)
        .values("nik", "no_kk", "nama", "kelurahan_id", "kelurahan__nama", "program__nama")
        .annotate(periode=Count("pk"), terakhir=Max("periode_selesai"))
        .order_by("kelurahan_id", "nama", "no_kk", "nik", "program__nama")
    )


@dataclass
class BantuanLuar:
    """One external programme a household holds, its periods merged for reading."""

    program: ProgramBantuan
    mulai: datetime.date
    selesai: datetime.date
    periode: int
    komponen: list[str]
    terakhir: PenerimaEksternal  # the latest period's row (problems are reported against it)


def bantuan_luar_keluarga(keluarga: Keluarga) -> list[BantuanLuar]:
    """What the latest extracts list for the household, per programme."""
    rows = (
        PenerimaEksternal.objects.berlaku()
        .filter(keluarga=keluarga)
        .select_related("program")
        .order_by("program__nama", "periode_mulai", "pk")
    )
    out: dict[int, BantuanLuar] = {}
    for r in rows:
        held = out.get(r.program_id)
        if held is None:
            out[r.program_id] = BantuanLuar(r.program, r.periode_mulai, r.periode_selesai, 1, [], r)
            held = out[r.program_id]
        else:
            held.mulai, held.selesai = min(held.mulai, r.periode_mulai), max(held.selesai, r.periode_selesai)
            held.periode += 1
            held.terakhir = r
        if r.komponen and r.komponen not in held.komponen:
            held.komponen.append(r.komponen)
    return list(out.values())


def masalah_list(*, user: Any) -> QuerySet[MasalahBantuanEksternal]:
    return MasalahBantuanEksternal.objects.for_user(user).select_related(
        "penerima__program", "penerima__kelurahan", "penerima__keluarga", "dilaporkan_oleh"
    )


def penerima_eksternal_get_for_user_or_404(*, user: Any, pk: int) -> PenerimaEksternal:
    return get_object_or_404(PenerimaEksternal.objects.for_user(user).select_related("program"), pk=pk)


def perlu_verifikasi_ulang(*, user: Any) -> list[BarisBelumMenerima]:
    """Households in the user's area whose latest DTSEN decile and local score disagree sharply
    (``rules.desil_bertentangan``): where the national register and the field data part, the
    TKSK checks which is right. Only households with an extreme decile are scored."""
    extreme = Q(desil__desil__gte=DESIL_MAMPU) | Q(desil__desil__lte=DESIL_TERMISKIN)
    candidates = Keluarga.objects.for_user(user).filter(extreme).values_list("pk", flat=True).distinct()
    rows = []
    for p in profil_keluarga(set(candidates)).values():
        reason = desil_bertentangan(p.desil, p.skor.total)
        if reason:
            rows.append(BarisBelumMenerima(p.keluarga, p.kepala, p.kategori, p.skor, p.desil, reason))
    return sorted(rows, key=lambda r: (r.keluarga.kelurahan_id, r.keluarga.no_kk))


# -- Beranda: what waits for the user today --------------------------------------------------------


def tugas_bantuan(*, user: Any) -> list[Tugas]:
    """City staff: lists waiting for their verification or approval (those they may not decide
    themselves are said so), amendments to decide, proposals not yet on a list. The field:
    its proposals rejected in the last 30 days, with the reason."""
    today = timezone.localdate()
    out: list[Tugas] = []
    if user.has_perm("bantuan.manage_daftarpenerima"):
        pending = list(
            usulan_list(user=user)
            .filter(status=StatusUsulan.DIAJUKAN)
            .values("tahap_id")
            .annotate(n=Count("pk"), sejak=Min("dibuat_pada"))
            .order_by("sejak")
        )
        if pending:
            tahap = {
                t.pk: t
                for t in TahapProgram.objects.select_related("program").filter(
                    pk__in=[p["tahap_id"] for p in pending]
                )
            }
            out.append(
                Tugas(
                    "usulan-menunggu",
                    _("Usulan belum disusun ke daftar"),
                    sum(p["n"] for p in pending),
                    [
                        Butir(
                            str(tahap[p["tahap_id"]]),
                            reverse("bantuan:usulan_list") + f"?tahap={p['tahap_id']}&status=diajukan",
                            _("%(n)s usulan, terlama %(d)s hari")
                            % {"n": p["n"], "d": (today - timezone.localtime(p["sejak"]).date()).days},
                        )
                        for p in pending[:TUGAS_BUTIR]
                    ],
                )
            )
        waiting = list(daftar_list().filter(status=StatusDaftar.DIAJUKAN).order_by("diajukan_pada", "pk"))
        if waiting:
            out.append(
                _tugas_daftar(
                    "daftar-verifikasi",
                    _("Daftar menunggu verifikasi"),
                    waiting,
                    user,
                    "diajukan_pada",
                    {"diajukan_oleh_id"},
                )
            )
    if user.has_perm("bantuan.approve_daftarpenerima"):
        waiting = list(
            daftar_list().filter(status=StatusDaftar.DIVERIFIKASI).order_by("diverifikasi_pada", "pk")
        )
        if waiting:
            out.append(
                _tugas_daftar(
                    "daftar-persetujuan",
                    _("Daftar menunggu persetujuan"),
                    waiting,
                    user,
                    "diverifikasi_pada",
                    {"diajukan_oleh_id", "diverifikasi_oleh_id"},
                )
            )
        amandemen = list(
            AmandemenDaftar.objects.for_user(user)
            .filter(status=AmandemenDaftar.Status.DIAJUKAN)
            .select_related("daftar__tahap__program")
            .order_by("dibuat_pada", "pk")
        )
        if amandemen:
            names = sebutan_keluarga(a.keluarga_id for a in amandemen[:TUGAS_BUTIR])
            out.append(
                Tugas(
                    "amandemen",
                    _("Amandemen menunggu keputusan"),
                    len(amandemen),
                    [
                        Butir(
                            f"{a.get_jenis_display()}: {names[a.keluarga_id]} – {a.daftar.tahap}",
                            reverse("bantuan:daftar_detail", args=[a.daftar_id]),
                            _("diusulkan oleh Anda: diputuskan staf lain")
                            if a.diusulkan_oleh_id == user.pk
                            else "",
                        )
                        for a in amandemen[:TUGAS_BUTIR]
                    ],
                )
            )
    if out or not user.has_perm("bantuan.add_usulan"):
        return out
    since = timezone.now() - datetime.timedelta(days=30)
    rejected = usulan_list(user=user).filter(status=StatusUsulan.DITOLAK, diubah_pada__gte=since)
    total = rejected.count()
    if total:
        latest = list(rejected[:TUGAS_BUTIR])
        names = sebutan_keluarga(u.keluarga_id for u in latest)
        out.append(
            Tugas(
                "usulan-ditolak",
                _("Usulan ditolak (30 hari terakhir)"),
                total,
                [
                    Butir(
                        f"{names[u.keluarga_id]} – {u.tahap}",
                        reverse("pmks:keluarga_detail", args=[u.keluarga_id]),
                        u.keterangan_status,
                    )
                    for u in latest
                ],
                semua=reverse("bantuan:usulan_list") + "?status=ditolak",
            )
        )
    return out


def _tugas_daftar(
    kode: str, judul: str, lists: list[DaftarPenerima], user: Any, since: str, own: set[str]
) -> Tugas:
    today = timezone.localdate()
    butir = []
    for d in lists[:TUGAS_BUTIR]:
        moment = getattr(d, since)
        days = (today - timezone.localtime(moment).date()).days if moment else 0
        mine = any(getattr(d, field) == user.pk for field in own)
        jumlah = getattr(d, "jumlah", 0)  # annotated by daftar_list()
        note = _("%(n)s penerima, menunggu %(d)s hari") % {"n": jumlah, "d": days}
        if mine:
            note += " · " + _("Anda ikut menyusun/memverifikasi: diputuskan staf lain")
        butir.append(
            Butir(
                str(d.tahap),
                reverse("bantuan:daftar_detail", args=[d.pk]),
                note,
                mendesak=days > 7 and not mine,
            )
        )
    return Tugas(
        kode,
        judul,
        len(lists),
        butir,
        semua=reverse("bantuan:daftar_list"),
        mendesak=any(b.mendesak for b in butir),
    )
