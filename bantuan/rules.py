"""Targeting rules of aid, in one place: overlap, repeat, eligibility and quota flags, and the
vulnerability score. Shown at proposal, on the list review pages and in the admin before
approval; the quota rule is also enforced by the approval service."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bantuan.choices import SasaranProgram, StatusDaftar
from bantuan.models import (
    DaftarPenerima,
    EntriDaftar,
    PenerimaEksternal,
    ProgramBantuan,
    TahapProgram,
    Usulan,
)
from pmks.choices import (
    Disabilitas,
    Hubungan,
    JenisDinding,
    JenisLantai,
    Listrik,
    Sanitasi,
    StatusPmks,
    SumberAir,
)
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from pmks.selectors import desil_terkini


@dataclass(frozen=True)
class Tanda:
    """A flag on a proposed recipient: ``kode`` for code, ``pesan`` for people."""

    # "tumpang_tindih", "pernah_menerima", "tidak_sasaran", "di_luar_desil", "kuota_kecamatan", "lebih_rentan"
    kode: str
    pesan: str

    @property
    def css(self) -> str:
        return "danger" if self.kode in ("tumpang_tindih", "kuota_kecamatan") else "warning"

    def as_json(self) -> dict[str, str]:
        return {"kode": self.kode, "pesan": self.pesan}


def _months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, 28))


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def penerimaan_luar(keluarga_ids: Iterable[int], program_ids: Iterable[int]) -> list[dict]:
    """External aid held (the latest extracts' rows), one span per household and programme
    and period: what the overlap rule compares with a stage."""
    return list(
        PenerimaEksternal.objects.berlaku()
        .filter(keluarga_id__in=list(keluarga_ids), program_id__in=list(program_ids))
        .values(
            "keluarga_id",
            "program_id",
            "program__nama",
            "program__pemberi",
            "periode_mulai",
            "periode_selesai",
        )
        .distinct()
        .order_by("keluarga_id", "program_id", "periode_mulai")
    )


@dataclass(frozen=True)
class _Periode:
    program_id: int
    periode_mulai: datetime.date
    periode_selesai: datetime.date


def _approved_entries():
    return EntriDaftar.objects.filter(aktif=True, daftar__status=StatusDaftar.DISETUJUI).select_related(
        "daftar__tahap__program"
    )


class PeriodeProgram(Protocol):
    """What the exclusion rule reads of a stage (a TahapProgram, or a row of a report)."""

    @property
    def program_id(self) -> int: ...
    @property
    def periode_mulai(self) -> datetime.date: ...
    @property
    def periode_selesai(self) -> datetime.date: ...


def larangan_program() -> set[tuple[int, int]]:
    """Pairs of programmes one household may not receive at the same time (both directions)."""
    pairs = ProgramBantuan.tidak_bersama.through.objects.values_list(
        "from_programbantuan_id", "to_programbantuan_id"
    )
    return {(a, b) for a, b in pairs} | {(b, a) for a, b in pairs}


def bertentangan(a: PeriodeProgram, b: PeriodeProgram, larangan: set[tuple[int, int]]) -> bool:
    """The exclusion rule, the one definition of *tumpang tindih* that the proposal flags, the
    list review, the approval page and the overlap report all use: two stages one household
    may not both receive, because their programmes may not be combined and their periods
    overlap."""
    return (
        (a.program_id, b.program_id) in larangan
        and a.periode_mulai <= b.periode_selesai
        and b.periode_mulai <= a.periode_selesai
    )


def tanda_untuk(
    tahap: TahapProgram, keluarga_ids: Iterable[int], anggota_by_keluarga: dict[int, int | None] | None = None
) -> dict[int, list[Tanda]]:
    """Flags per household for ``tahap``, in a fixed number of queries for any number of them."""
    ids = list(keluarga_ids)
    out: dict[int, list[Tanda]] = defaultdict(list)
    if not ids:
        return out
    program = tahap.program
    # 1. Overlap: an approved stage of a programme this one may not be combined with.
    larangan = larangan_program()
    excluded = {b for a, b in larangan if a == program.pk}
    if excluded:
        for e in _approved_entries().filter(keluarga_id__in=ids, daftar__tahap__program_id__in=excluded):
            t = e.daftar.tahap
            if not bertentangan(tahap, t, larangan):
                continue
            out[e.keluarga_id].append(
                Tanda(
                    "tumpang_tindih",
                    _("Tumpang tindih: sudah menerima %(p)s %(y)s tahap %(n)s pada periode yang sama.")
                    % {"p": t.program.nama, "y": t.tahun, "n": t.tahap},
                )
            )
        # ... and aid decided elsewhere (PKH, BPNT, Baznas, …) in the imported ledger: one flag
        # per programme, however many monthly periods overlap.
        spans: dict[tuple[int, int], list[dict]] = defaultdict(list)
        for row in penerimaan_luar(ids, excluded):
            periode = _Periode(row["program_id"], row["periode_mulai"], row["periode_selesai"])
            if bertentangan(tahap, periode, larangan):
                spans[row["keluarga_id"], row["program_id"]].append(row)
        for (keluarga_id, _program), rows in spans.items():
            first = rows[0]
            out[keluarga_id].append(
                Tanda(
                    "tumpang_tindih",
                    _("Tumpang tindih: menerima %(p)s%(g)s pada %(a)s–%(b)s (ekstrak bantuan luar).")
                    % {
                        "p": first["program__nama"],
                        "g": f" ({first['program__pemberi']})" if first["program__pemberi"] else "",
                        "a": _fmt(first["periode_mulai"]),
                        "b": _fmt(max(r["periode_selesai"] for r in rows)),
                    },
                )
            )
    # 2. The same programme within the look-back window (another stage).
    if program.lihat_ke_belakang_bulan:
        since = _months_before(tahap.periode_mulai, program.lihat_ke_belakang_bulan)
        for e in (
            _approved_entries()
            .filter(
                keluarga_id__in=ids,
                daftar__tahap__program=program,
                daftar__tahap__periode_selesai__gte=since,
            )
            .exclude(daftar__tahap=tahap)
        ):
            t = e.daftar.tahap
            out[e.keluarga_id].append(
                Tanda(
                    "pernah_menerima",
                    _("Pernah menerima %(p)s (%(y)s tahap %(n)s) dalam %(b)s bulan terakhir.")
                    % {"p": t.program.nama, "y": t.tahun, "n": t.tahap, "b": program.lihat_ke_belakang_bulan},
                )
            )
    # 3. Eligibility: a verified PMKS record of a target category (the person's or the household's).
    kategori = list(program.kategori_sasaran.all())
    if kategori:
        records = CatatanPmks.objects.filter(
            keluarga_id__in=ids, status=StatusPmks.TERVERIFIKASI, kategori__in=kategori
        ).values_list("keluarga_id", "anggota_id")
        holders: dict[int, set[int | None]] = defaultdict(set)
        for keluarga_id, anggota_id in records:
            holders[keluarga_id].add(anggota_id)
        names = ", ".join(k.singkatan or k.nama for k in kategori)
        for keluarga_id in ids:
            held = holders.get(keluarga_id, set())
            if program.sasaran == SasaranProgram.PERSEORANGAN and anggota_by_keluarga:
                person = anggota_by_keluarga.get(keluarga_id)
                ok = None in held or person in held
            else:
                ok = bool(held)
            if not ok:
                out[keluarga_id].append(
                    Tanda(
                        "tidak_sasaran",
                        _("Tidak memiliki catatan PMKS terverifikasi kategori sasaran (%(k)s).")
                        % {"k": names},
                    )
                )
    # 4. The programme's DTSEN decile range (a household without a known decile is not flagged).
    if program.desil_min is not None or program.desil_maks is not None:
        for keluarga_id, latest in desil_terkini(ids).items():
            if program.di_luar_desil(latest.desil):
                out[keluarga_id].append(
                    Tanda(
                        "di_luar_desil",
                        _("Desil DTSEN %(d)s (%(t)s), di luar sasaran program (desil %(r)s).")
                        % {"d": latest.desil, "t": _fmt(latest.tanggal), "r": rentang_desil(program)},
                    )
                )
    return out


def rentang_desil(program: ProgramBantuan) -> str:
    return f"{program.desil_min or 1}–{program.desil_maks or 10}"


@dataclass
class Kuota:
    """Quota use of a list: overall and per kecamatan that has its own quota."""

    kuota: int
    terisi: int
    per_kecamatan: list[tuple[str, int, int]] = field(default_factory=list)  # (nama, kuota, terisi)

    @property
    def lebih(self) -> list[str]:
        """Every quota exceeded (shown on the list pages)."""
        return self.lebih_total + self.lebih_kecamatan

    @property
    def lebih_total(self) -> list[str]:
        """The stage's own quota exceeded: the budget, which no approval may pass."""
        if self.terisi > self.kuota:
            return [_("Kuota %(k)s terlampaui: %(n)s penerima.") % {"k": self.kuota, "n": self.terisi}]
        return []

    @property
    def lebih_kecamatan(self) -> list[str]:
        """A kecamatan over its own quota: an exception the approver must justify per entry."""
        problems = []
        for nama, kuota, terisi in self.per_kecamatan:
            if terisi > kuota:
                problems.append(
                    _("Kuota Kecamatan %(nama)s (%(k)s) terlampaui: %(n)s penerima.")
                    % {"nama": nama, "k": kuota, "n": terisi}
                )
        return problems


def kuota_daftar(tahap: TahapProgram, extra_keluarga: Iterable[Keluarga] = ()) -> Kuota:
    """Quota use of the stage's active list entries (plus households about to be added)."""
    entri = EntriDaftar.objects.filter(daftar__tahap=tahap, aktif=True)
    counts: dict[str, int] = defaultdict(int)
    for kecamatan_id in entri.values_list("keluarga__kelurahan__induk_id", flat=True):
        counts[kecamatan_id] += 1
    total = sum(counts.values())
    for k in extra_keluarga:
        counts[k.kelurahan.induk_id or ""] += 1
        total += 1
    per = [
        (kk.kecamatan.nama.title(), kk.kuota, counts.get(kk.kecamatan_id, 0))
        for kk in tahap.kuota_kecamatan.select_related("kecamatan").order_by("kecamatan_id")
    ]
    return Kuota(kuota=tahap.kuota, terisi=total, per_kecamatan=per)


# -- What an approver must justify -------------------------------------------------------------------


def kunci_tambahan(usulan: Usulan) -> int:
    """Where ``pengecualian_daftar`` puts a proposal an amendment would add (entries keep
    their own pk; a negative number never collides with one)."""
    return -usulan.pk


def _kunci(e: EntriDaftar) -> int:
    return e.pk if e.pk is not None else kunci_tambahan(e.usulan)


def pengecualian_daftar(daftar: DaftarPenerima, tambahan: Iterable[Usulan] = ()) -> dict[int, list[Tanda]]:
    """The exceptions an approver must justify, per active entry of the list: its flags
    (``tanda_untuk``), its kecamatan over its own quota, and an eligible household of the same
    kelurahan that receives no aid at all this year and ranks above it on the vulnerability
    score (the least vulnerable entries are paired with the most vulnerable such households).

    Every flag the list's verifier was shown (``EntriDaftar.tanda_verifikasi``) stays one, even
    if the rule, quota or record behind it changed since.

    ``tambahan``: proposals an amendment would add to the list, judged as if on it; their
    exceptions are keyed by ``kunci_tambahan(usulan)``."""
    tahap = daftar.tahap
    entries = list(daftar.entri.filter(aktif=True).select_related("keluarga__kelurahan"))
    entries += [
        EntriDaftar(daftar=daftar, usulan=u, keluarga=u.keluarga, anggota_id=u.anggota_id) for u in tambahan
    ]
    out: dict[int, list[Tanda]] = defaultdict(list)
    flags = tanda_untuk(
        tahap, [e.keluarga_id for e in entries], {e.keluarga_id: e.anggota_id for e in entries}
    )
    for e in entries:
        out[_kunci(e)] += flags.get(e.keluarga_id, [])
    own_quota = {k.kecamatan_id: k for k in tahap.kuota_kecamatan.select_related("kecamatan")}
    by_kecamatan: dict[str | None, list[EntriDaftar]] = defaultdict(list)
    by_kelurahan: dict[str, list[EntriDaftar]] = defaultdict(list)
    for e in entries:
        by_kecamatan[e.keluarga.kelurahan.induk_id].append(e)
        by_kelurahan[e.keluarga.kelurahan_id].append(e)
    for kecamatan_id, held in by_kecamatan.items():
        quota = own_quota.get(kecamatan_id or "")
        if quota is not None and len(held) > quota.kuota:
            message = _("Kuota Kecamatan %(nama)s (%(k)s) terlampaui: %(n)s penerima.") % {
                "nama": quota.kecamatan.nama.title(),
                "k": quota.kuota,
                "n": len(held),
            }
            for e in held:
                out[_kunci(e)].append(Tanda("kuota_kecamatan", message))
    on_list = {e.keluarga_id for e in entries}
    records = CatatanPmks.objects.filter(keluarga__kelurahan_id__in=list(by_kelurahan))
    unserved = layak_belum_menerima(records, tahap.program, tahap.tahun) - on_list
    profiles = profil_keluarga(unserved | on_list)
    for kelurahan_id, held in by_kelurahan.items():
        waiting = sorted(
            (
                profiles[k]
                for k in unserved
                if k in profiles and profiles[k].keluarga.kelurahan_id == kelurahan_id
            ),
            key=lambda p: (-p.skor.total, p.keluarga.no_kk),
        )
        least = sorted(held, key=lambda e: (profiles[e.keluarga_id].skor.total, e.keluarga.no_kk))
        for e, other in zip(least, waiting, strict=False):
            mine = profiles[e.keluarga_id].skor.total
            if other.skor.total <= mine:
                break
            out[_kunci(e)].append(
                Tanda(
                    "lebih_rentan",
                    _(
                        "KK %(kk)s (%(kepala)s, skor %(skor)s) di kelurahan ini lebih rentan, layak, dan "
                        "belum menerima bantuan apa pun tahun ini; skor KK ini %(mine)s."
                    )
                    % {
                        "kk": other.keluarga.no_kk,
                        "kepala": other.kepala,
                        "skor": other.skor.total,
                        "mine": mine,
                    },
                )
            )
    for e in entries:
        for seen in (Tanda(t["kode"], t["pesan"]) for t in e.tanda_verifikasi):
            if seen not in out[_kunci(e)]:
                out[_kunci(e)].append(seen)
    return {key: tanda for key, tanda in out.items() if tanda}


def dasar_persetujuan(entries: list[EntriDaftar], pengecualian: dict[int, list[Tanda]]) -> dict[int, dict]:
    """What justified each entry at approval, to be frozen on it: score and its parts, verified
    PMKS categories and the exceptions shown to the approver."""
    profiles = profil_keluarga({e.keluarga_id for e in entries})
    return {
        e.pk: {
            **profiles[e.keluarga_id].as_json(),
            "tanda": [t.as_json() for t in pengecualian.get(e.pk, [])],
        }
        for e in entries
    }


# -- Vulnerability score ---------------------------------------------------------------------------

# Monthly income per person under which a household counts as very poor / poor. Kota Probolinggo's
# official poverty line is not in DOMAIN.md: these are editable policy values, documented in README.
BATAS_SANGAT_MISKIN = 300_000
BATAS_MISKIN = 600_000


@dataclass
class Skor:
    total: int
    bagian: list[tuple[str, int]]


def skor_kerentanan(
    keluarga: Keluarga, anggota: list[AnggotaKeluarga], jumlah_pmks: int, today: datetime.date
) -> Skor:
    """Transparent vulnerability score (0–90): a sum of named parts a TKSK can explain."""
    parts: list[tuple[str, int]] = []

    def add(label: str, points: int) -> None:
        if points:
            parts.append((label, points))

    n = max(len(anggota), 1)
    if keluarga.penghasilan_bulanan is not None:
        per_orang = keluarga.penghasilan_bulanan / n
        if per_orang < BATAS_SANGAT_MISKIN:
            add(_("Penghasilan per orang < Rp300.000/bulan"), 20)
        elif per_orang < BATAS_MISKIN:
            add(_("Penghasilan per orang < Rp600.000/bulan"), 10)
    if keluarga.jenis_lantai in (JenisLantai.TANAH, JenisLantai.BAMBU):
        add(_("Lantai tanah/bambu"), 10)
    if keluarga.jenis_dinding in (JenisDinding.BAMBU, JenisDinding.KAYU):
        add(_("Dinding bambu/kayu"), 5)
    if keluarga.luas_lantai is not None and keluarga.luas_lantai / n < Decimal(8):
        add(_("Luas lantai < 8 m² per orang"), 5)
    if keluarga.sumber_air in (SumberAir.SUMUR_TIDAK_TERLINDUNG, SumberAir.SUNGAI):
        add(_("Air minum tidak layak"), 5)
    if keluarga.sanitasi == Sanitasi.TIDAK_ADA:
        add(_("Tidak ada jamban"), 5)
    if keluarga.listrik in (Listrik.TIDAK_ADA, Listrik.NON_PLN):
        add(_("Tanpa listrik PLN sendiri"), 5)
    lansia = sum(1 for a in anggota if _age(a.tanggal_lahir, today) >= 60)
    add(_("Lansia (%(n)s orang)") % {"n": lansia}, min(lansia * 5, 10))
    difabel = sum(1 for a in anggota if a.disabilitas != Disabilitas.TIDAK)
    add(_("Penyandang disabilitas (%(n)s orang)") % {"n": difabel}, min(difabel * 5, 10))
    head = next((a for a in anggota if a.hubungan == Hubungan.KEPALA), None)
    if head is not None and head.jenis_kelamin == "P":
        add(_("Kepala keluarga perempuan"), 5)
    anak = sum(1 for a in anggota if _age(a.tanggal_lahir, today) < 18)
    add(_("Anak (%(n)s orang)") % {"n": anak}, min(anak * 2, 6))
    add(_("Kategori PMKS terverifikasi (%(n)s)") % {"n": jumlah_pmks}, min(jumlah_pmks * 2, 4))
    return Skor(total=sum(p for _label, p in parts), bagian=parts)


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@dataclass
class ProfilKeluarga:
    """What a decision reads of a household: its head, verified PMKS categories and score."""

    keluarga: Keluarga
    kepala: str
    kategori: list[str]
    skor: Skor
    desil: int | None = None  # the latest DTSEN decile, when known

    def as_json(self) -> dict:
        return {
            "skor": self.skor.total,
            "bagian": self.skor.bagian,
            "kategori": self.kategori,
            "desil": self.desil,
        }


def profil_keluarga(keluarga_ids: Iterable[int]) -> dict[int, ProfilKeluarga]:
    """The profiles of many households in a fixed number of queries."""
    ids = list(keluarga_ids)
    households = (
        Keluarga.objects.filter(pk__in=ids)
        .select_related("kelurahan")
        .prefetch_related(
            Prefetch("anggota", queryset=AnggotaKeluarga.objects.all()),
            Prefetch(
                "catatan_pmks",
                queryset=CatatanPmks.objects.filter(status=StatusPmks.TERVERIFIKASI).select_related(
                    "kategori"
                ),
                to_attr="pmks_verified",
            ),
        )
    )
    counts = jumlah_pmks_terverifikasi(ids)
    desil = desil_terkini(ids)
    today = timezone.localdate()
    out = {}
    for k in households:
        members = list(k.anggota.all())
        head = next((a.nama for a in members if a.hubungan == Hubungan.KEPALA), "")
        kategori = sorted({c.kategori.singkatan or c.kategori.nama for c in k.pmks_verified})
        skor = skor_kerentanan(k, members, counts.get(k.pk, 0), today)
        d = desil.get(k.pk)
        out[k.pk] = ProfilKeluarga(k, head, kategori, skor, d.desil if d else None)
    return out


def menerima_tahun(keluarga_ids: Iterable[int], tahun: int) -> set[int]:
    """The households of ``keluarga_ids`` that receive any aid in the year: on an approved
    city list of the year, or in the external ledger for a period touching it."""
    ids = list(keluarga_ids)
    awal, akhir = datetime.date(tahun, 1, 1), datetime.date(tahun, 12, 31)
    city = EntriDaftar.objects.filter(
        aktif=True, daftar__status=StatusDaftar.DISETUJUI, daftar__tahap__tahun=tahun, keluarga_id__in=ids
    ).values_list("keluarga_id", flat=True)
    external = (
        PenerimaEksternal.objects.berlaku()
        .dalam_periode(awal, akhir)
        .filter(keluarga_id__in=ids)
        .values_list("keluarga_id", flat=True)
    )
    return set(city) | set(external)


# Where the national decile and the local score disagree sharply: a well-off decile with a
# score among the most vulnerable, or the poorest deciles with hardly any vulnerability. Policy
# values (README), not from a regulation.
DESIL_MAMPU, SKOR_TINGGI = 8, 40
DESIL_TERMISKIN, SKOR_RENDAH = 2, 10


def desil_bertentangan(desil: int | None, skor: int) -> str:
    """Why a household's decile and score disagree enough to check again in the field ('' if not)."""
    if desil is None:
        return ""
    if desil >= DESIL_MAMPU and skor >= SKOR_TINGGI:
        return _("Desil %(d)s (mampu) tetapi skor kerentanan %(s)s (tinggi).") % {"d": desil, "s": skor}
    if desil <= DESIL_TERMISKIN and skor <= SKOR_RENDAH:
        return _("Desil %(d)s (termiskin) tetapi skor kerentanan %(s)s (rendah).") % {"d": desil, "s": skor}
    return ""


def layak_belum_menerima(records: QuerySet[CatatanPmks], program: ProgramBantuan, tahun: int) -> set[int]:
    """Households holding a verified PMKS record (of ``records``) in the programme's target
    categories, within its decile range when it has one, that receive no aid at all in the
    year, city or external (``menerima_tahun``): the mirror of *tumpang tindih*."""
    kategori = list(program.kategori_sasaran.all())
    records = records.filter(status=StatusPmks.TERVERIFIKASI)
    if kategori:
        records = records.filter(kategori__in=kategori)
    eligible = set(records.values_list("keluarga_id", flat=True))
    if program.desil_min is not None or program.desil_maks is not None:
        eligible -= {k for k, row in desil_terkini(eligible).items() if program.di_luar_desil(row.desil)}
    return eligible - menerima_tahun(eligible, tahun)


def jumlah_pmks_terverifikasi(keluarga_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        CatatanPmks.objects.filter(keluarga_id__in=list(keluarga_ids), status=StatusPmks.TERVERIFIKASI)
        .values("keluarga_id")
        .annotate(n=Count("kategori", distinct=True))
    )
    return {r["keluarga_id"]: r["n"] for r in rows}
