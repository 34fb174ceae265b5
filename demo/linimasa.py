"""The demo's timeline, in order. The generators write through the services, which stamp every
record with the moment the demo is loaded; afterwards this module dates each record as it would
have happened: a household registered before its PMKS condition was identified, a record verified
after that, a proposal before its list, a list submitted, verified and decided in that order,
aid handed over after the decree, an activity on its own day. Nothing is dated after today."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Model
from django.utils import timezone

from bantuan.models import (
    AmandemenDaftar,
    DaftarPenerima,
    EkstrakBantuan,
    EntriDaftar,
    MasalahBantuanEksternal,
    Pemantauan,
    Penyaluran,
    RiwayatDaftar,
    Usulan,
)
from kabar.choices import Peristiwa
from kabar.models import Notifikasi
from musyawarah.models import KeluargaDibahas, Musyawarah, PesertaMusyawarah
from pmks.models import AnggotaKeluarga, CatatanPmks, DesilKeluarga, Keluarga
from tksk.models import Kegiatan, LaporanBulanan, Psks

START = datetime.date(2024, 1, 1)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """A moment of a working day, never later than now."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


def _history(model: type[Model], dates: dict[int, datetime.datetime]) -> None:
    """The '+' history row of each record dated like the record itself."""
    history = model.history.model  # type: ignore[attr-defined]  # django-simple-history
    for pk, moment in dates.items():
        history.objects.filter(id=pk, history_type="+").update(history_date=moment)


def _stamp(model: type[Model], dates: dict[int, datetime.datetime], fields: Iterable[str]) -> None:
    for pk, moment in dates.items():
        model._default_manager.filter(pk=pk).update(**dict.fromkeys(fields, moment))
    if hasattr(model, "history"):
        _history(model, dates)


def _registry() -> None:
    first = dict(
        CatatanPmks.objects.values("keluarga_id")
        .annotate(m=Min("tanggal_identifikasi"))
        .values_list("keluarga_id", "m")
    )
    registered = {
        pk: _at(
            max(
                START,
                first.get(pk, START + datetime.timedelta(days=200)) - datetime.timedelta(days=pk % 30 + 1),
            )
        )
        for pk in Keluarga.objects.values_list("pk", flat=True)
    }
    _stamp(Keluarga, registered, ("dibuat_pada", "diubah_pada"))
    members = {pk: registered[k] for pk, k in AnggotaKeluarga.objects.values_list("pk", "keluarga_id")}
    _stamp(AnggotaKeluarga, members, ("dibuat_pada", "diubah_pada"))
    history = CatatanPmks.history.model
    for c in CatatanPmks.objects.all():
        made = _at(c.tanggal_identifikasi, 10)
        decided = _at(c.tanggal_identifikasi + datetime.timedelta(days=c.pk % 14 + 3), 11)
        closed = _at(c.tanggal_identifikasi + datetime.timedelta(days=c.pk % 60 + 90), 11)
        CatatanPmks.objects.filter(pk=c.pk).update(
            dibuat_pada=made,
            diubah_pada=closed if c.ditutup_pada else decided if c.diverifikasi_pada else made,
            diverifikasi_pada=decided if c.diverifikasi_pada else None,
            ditutup_pada=closed if c.ditutup_pada else None,
        )
        for moment, row in zip(
            (made, decided, closed), history.objects.filter(id=c.pk).order_by("history_id"), strict=False
        ):
            history.objects.filter(pk=row.pk).update(history_date=moment)


def _aid() -> None:
    for daftar in DaftarPenerima.objects.select_related("tahap"):
        start = daftar.tahap.periode_mulai
        steps = {
            "dibuat": _at(start - datetime.timedelta(days=20)),
            "diajukan": _at(start - datetime.timedelta(days=18)),
            "diverifikasi": _at(start - datetime.timedelta(days=15)),
            "diputuskan": _at(daftar.tanggal_sk or start - datetime.timedelta(days=10), 14),
        }
        DaftarPenerima.objects.filter(pk=daftar.pk).update(
            dibuat_pada=steps["dibuat"],
            diubah_pada=steps["diputuskan"] if daftar.diputuskan_oleh_id else steps["diverifikasi"],
            diajukan_pada=steps["diajukan"] if daftar.diajukan_pada else None,
            diverifikasi_pada=steps["diverifikasi"] if daftar.diverifikasi_pada else None,
            diputuskan_pada=steps["diputuskan"] if daftar.diputuskan_pada else None,
        )
        _history(DaftarPenerima, {daftar.pk: steps["dibuat"]})
        for r in RiwayatDaftar.objects.filter(daftar=daftar):
            key = {
                "diajukan": "diajukan",
                "diverifikasi": "diverifikasi",
                "disetujui": "diputuskan",
                "ditolak": "diputuskan",
            }
            RiwayatDaftar.objects.filter(pk=r.pk).update(
                pada=steps.get(key.get(r.tindakan, ""), steps["dibuat"])
            )
        proposed = {
            pk: _at(start - datetime.timedelta(days=30 - pk % 7))
            for pk in Usulan.objects.filter(tahap=daftar.tahap).values_list("pk", flat=True)
        }
        _stamp(Usulan, proposed, ("dibuat_pada", "diubah_pada"))
        entries = dict.fromkeys(
            EntriDaftar.objects.filter(daftar=daftar).values_list("pk", flat=True), steps["dibuat"]
        )
        _stamp(EntriDaftar, entries, ("dibuat_pada", "diubah_pada"))
        for a in AmandemenDaftar.objects.filter(daftar=daftar):
            AmandemenDaftar.objects.filter(pk=a.pk).update(dibuat_pada=steps["diputuskan"])
    for p in Penyaluran.objects.all():
        _stamp(Penyaluran, {p.pk: _at(p.tanggal, 13)}, ("dibuat_pada", "diubah_pada"))
        checks = {
            pk: _at(p.tanggal, 13)
            for pk in Pemantauan.objects.filter(penyaluran=p).values_list("pk", flat=True)
        }
        _stamp(Pemantauan, checks, ("dibuat_pada",))


def _tksk() -> None:
    for k in Kegiatan.objects.all():
        _stamp(Kegiatan, {k.pk: _at(k.tanggal, 15)}, ("dibuat_pada", "diubah_pada"))
    for p in Psks.objects.all():
        _stamp(Psks, {p.pk: _at(START + datetime.timedelta(days=p.pk % 90))}, ("dibuat_pada", "diubah_pada"))
    for laporan in LaporanBulanan.objects.all():
        next_month = (laporan.bulan + datetime.timedelta(days=32)).replace(day=1)
        submitted = _at(next_month + datetime.timedelta(days=3))
        decided = _at(next_month + datetime.timedelta(days=8))
        LaporanBulanan.objects.filter(pk=laporan.pk).update(
            dibuat_pada=submitted,
            diubah_pada=decided if laporan.diputuskan_oleh_id else submitted,
            diajukan_pada=submitted if laporan.diajukan_pada else None,
            diputuskan_pada=decided if laporan.diputuskan_pada else None,
        )
        _history(LaporanBulanan, {laporan.pk: submitted})


def _external() -> None:
    """Extracts imported a few days after their date; deciles likewise; problems reported
    after the period they are about."""
    for e in EkstrakBantuan.objects.all():
        EkstrakBantuan.objects.filter(pk=e.pk).update(
            dibuat_pada=_at(e.tanggal_ekstrak + datetime.timedelta(days=3)),
            diubah_pada=_at(e.tanggal_ekstrak + datetime.timedelta(days=3)),
        )
    for tanggal in DesilKeluarga.objects.values_list("tanggal", flat=True).distinct():
        DesilKeluarga.objects.filter(tanggal=tanggal).update(
            dibuat_pada=_at(tanggal + datetime.timedelta(days=3))
        )
    for m in MasalahBantuanEksternal.objects.select_related("penerima"):
        reported = _at(m.penerima.periode_selesai + datetime.timedelta(days=10))
        _stamp(MasalahBantuanEksternal, {m.pk: reported}, ("dibuat_pada",))
        MasalahBantuanEksternal.objects.filter(pk=m.pk).update(
            diubah_pada=_at(m.penerima.periode_selesai + datetime.timedelta(days=15))
            if m.selesai
            else reported
        )


def date_notifications() -> None:
    """Each notification dated at the step it announces; those older than two weeks were read
    a day or three later, the recent ones wait in the inbox."""
    ct = ContentType.objects.get_for_model
    catatan = dict(CatatanPmks.objects.values_list("pk", "diverifikasi_pada"))
    daftar: dict[int, dict[str, Any]] = {d.pk: vars(d) for d in DaftarPenerima.objects.all()}
    laporan: dict[int, dict[str, Any]] = {r.pk: vars(r) for r in LaporanBulanan.objects.all()}
    penyaluran = dict(Penyaluran.objects.values_list("pk", "dibuat_pada"))
    step = {
        Peristiwa.USULAN_MASUK_DAFTAR: "dibuat_pada",
        Peristiwa.DAFTAR_DIAJUKAN: "diajukan_pada",
        Peristiwa.DAFTAR_DIVERIFIKASI: "diverifikasi_pada",
        Peristiwa.DAFTAR_DISETUJUI: "diputuskan_pada",
        Peristiwa.USULAN_DISETUJUI: "diputuskan_pada",
        Peristiwa.DAFTAR_DITOLAK: "diputuskan_pada",
        Peristiwa.LAPORAN_DIAJUKAN: "diajukan_pada",
        Peristiwa.LAPORAN_DITERIMA: "diputuskan_pada",
        Peristiwa.LAPORAN_DIKEMBALIKAN: "diputuskan_pada",
    }
    sources = {
        ct(CatatanPmks).pk: lambda pk, jenis: catatan.get(pk),
        ct(DaftarPenerima).pk: lambda pk, jenis: daftar[pk][step[jenis]] if jenis in step else None,
        ct(LaporanBulanan).pk: lambda pk, jenis: laporan[pk][step[jenis]] if jenis in step else None,
        ct(Penyaluran).pk: lambda pk, jenis: penyaluran.get(pk),
    }
    now = timezone.now()
    for pk, jenis, jenis_objek, objek_id in Notifikasi.objects.values_list(
        "pk", "jenis", "objek_jenis", "objek_id"
    ):
        source = sources.get(jenis_objek)
        moment = source(objek_id, jenis) if source else None
        if moment is None:
            continue
        moment = min(moment + datetime.timedelta(minutes=5), now)
        read = moment + datetime.timedelta(days=pk % 3 + 1)
        Notifikasi.objects.filter(pk=pk).update(
            dibuat_pada=moment, dibaca_pada=read if read < now - datetime.timedelta(days=14) else None
        )


def _musyawarah() -> None:
    """A held musyawarah recorded on its day (its minutes, attendees and households with it); a
    scheduled one keeps the moment it was scheduled."""
    for m in Musyawarah.objects.filter(status="selesai"):
        moment = _at(m.tanggal, 13)
        _stamp(Musyawarah, {m.pk: moment}, ("dibuat_pada", "diubah_pada"))
        for model in (PesertaMusyawarah, KeluargaDibahas):
            _history(
                model, dict.fromkeys(model.objects.filter(musyawarah=m).values_list("pk", flat=True), moment)
            )


def set_timeline() -> None:
    _registry()
    _musyawarah()
    _external()
    _aid()
    _tksk()
    date_notifications()
