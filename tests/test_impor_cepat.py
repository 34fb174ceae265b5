"""The import's speed-ups keep its meaning: the check step's parse is reused by the import step
only for the same file, date and rules; the one-parameter IN look-up finds what __in finds."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, connections

from impor import jobs, urai
from impor.models import DuplikatImpor, ModeImpor
from impor.tulis import write
from impor.validasi import validate
from pmks.models import AnggotaKeluarga, Keluarga
from tests import factories as f
from tests.test_impor import HEADER, household, person, upload, xlsx_file

pytestmark = pytest.mark.django_db


def _save(tmp_path, rows, header=HEADER):
    path = tmp_path / "unggahan.dat"
    path.write_bytes(xlsx_file(rows, header=header).read())
    return path


def test_import_step_reads_the_check_steps_parse(city, tmp_path, monkeypatch):
    path = _save(tmp_path, household("Cache Satu"))
    checked = validate(user=city.tksk_kanigaran, path=path, duplikat=DuplikatImpor.TOLAK)
    assert checked.baris == 2 and not checked.galat
    assert path.with_name(path.name + ".urai.csv").exists()

    def no_second_parse(*args, **kwargs):
        raise AssertionError("the cells were parsed again")

    monkeypatch.setattr(urai, "rows_of", no_second_parse)
    written = write(user=city.tksk_kanigaran, path=path, mode=ModeImpor.SEMUA, duplikat=DuplikatImpor.TOLAK)
    assert (written.keluarga_baru, written.anggota_baru) == (1, 2)
    istri = AnggotaKeluarga.objects.get(nama="Istri Cache Satu")
    assert istri.tanggal_lahir == datetime.date(1984, 2, 3) and istri.keluarga.rt == "001"


def test_cached_parse_keeps_errors_and_values(city, tmp_path):
    kk = f.no_kk_for(f.KEL_KANIGARAN)
    rows = [
        person(kk, "Luas Lantai", luas_lantai="24,5"),
        person(kk, "Tanggal Salah", tanggal_lahir="31/02/1990", hubungan="anak"),
    ]
    path = _save(tmp_path, rows, header=[*HEADER, "luas_lantai"])
    first = validate(user=city.tksk_kanigaran, path=path, duplikat=DuplikatImpor.TOLAK)
    again = validate(user=city.tksk_kanigaran, path=path, duplikat=DuplikatImpor.TOLAK)
    assert [(g.baris, g.kolom, g.pesan) for g in again.galat] == [
        (g.baris, g.kolom, g.pesan) for g in first.galat
    ]
    assert any("31/02/1990" in g.pesan for g in again.galat)
    cached = list(urai.parsed_rows(path))
    assert cached[0][1][0]["luas_lantai"] == Decimal("24.5") and cached[0][1][0]["rt"] == "001"
    assert cached[1][1] is None and cached[1][3] == kk


def test_cache_is_not_reused_for_a_changed_file_or_another_day(city, tmp_path, monkeypatch):
    path = _save(tmp_path, household("Versi Lama"))
    list(urai.parsed_rows(path))
    cache = path.with_name(path.name + ".urai.csv")
    # The same upload name with other content, written later: parsed afresh.
    path.write_bytes(xlsx_file(household("Versi Baru")).read())
    os.utime(path, (cache.stat().st_mtime + 5, cache.stat().st_mtime + 5))
    assert next(r[1][1]["nama"] for r in urai.parsed_rows(path)) == "Versi Baru"
    # Another day: "born in the future" may have changed, so the cells are parsed again.
    monkeypatch.setattr(urai.timezone, "localdate", lambda: datetime.date(2099, 1, 1))
    calls = []
    real = urai.rows_of
    monkeypatch.setattr(urai, "rows_of", lambda p: calls.append(p) or real(p))
    list(urai.parsed_rows(path))
    assert calls == [path]


def test_in_array_finds_what_in_finds(city):
    niks = [*AnggotaKeluarga.objects.values_list("nik", flat=True)[:3], "0000000000000000"]
    found = set(AnggotaKeluarga.objects.filter(nik__in_array=niks).values_list("nik", flat=True))
    assert found == set(AnggotaKeluarga.objects.filter(nik__in=niks).values_list("nik", flat=True))
    assert len(found) == 3
    kks = [city.k_in.no_kk, "9999999999999999"]
    assert list(Keluarga.objects.filter(no_kk__in_array=kks).values_list("pk", flat=True)) == [city.k_in.pk]
    assert not Keluarga.objects.filter(no_kk__in_array=[]).exists()


@pytest.mark.django_db(transaction=True)
def test_import_progress_is_visible_while_the_import_transaction_runs(city, login, monkeypatch):
    """The page polls the job from another connection: it must see progress mid-import."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: progress shows when the import ends")
    job = upload(login(city.tksk_kanigaran), xlsx_file(household("Progres Satu"))).context["job"]
    seen = []
    real_write = jobs.write

    def watched_write(**kwargs):
        def progress(done):
            kwargs["progress"](done)
            other = connections.create_connection("default")
            with other.cursor() as cursor:
                cursor.execute("SELECT baris_selesai FROM impor_imporberkas WHERE id = %s", [job.pk])
                seen.append((done, cursor.fetchone()[0]))
                cursor.execute("SELECT count(*) FROM pmks_anggotakeluarga WHERE nama = 'Progres Satu'")
                seen.append(("belum terlihat", cursor.fetchone()[0]))
            other.close()

        return real_write(**{**kwargs, "progress": progress})

    monkeypatch.setattr(jobs, "write", watched_write)
    jobs.run_import(job.pk)
    job.refresh_from_db()
    assert seen == [(2, 2), ("belum terlihat", 0)]  # progress shown, rows not yet committed
    assert (job.status, job.baris_selesai) == ("diimpor", 2)
    assert AnggotaKeluarga.objects.filter(nama="Progres Satu").count() == 1


def test_an_unfinished_cache_is_never_trusted(city, tmp_path):
    path = _save(tmp_path, household("Setengah"))
    rows = urai.parsed_rows(path)
    next(rows)  # the check stops half-way (an error, a worker killed)
    rows.close()
    assert not list(tmp_path.glob("*.urai.csv*"))  # the half-written file is gone
    list(urai.parsed_rows(path))
    cache = path.with_name(path.name + ".urai.csv")
    lines = cache.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "akhir,2"
    cache.write_text("\n".join(lines[:-2]) + "\n", encoding="utf-8")  # cut short: end line lost
    with pytest.raises(RuntimeError, match="incomplete"):
        list(urai.parsed_rows(path))


def test_the_import_removes_the_cached_parse(city, login):
    job = upload(login(city.tksk_kanigaran), xlsx_file(household("Bersih"))).context["job"]
    cache = Path(job.berkas.path + ".urai.csv")
    assert cache.exists()  # left by the check step
    jobs.run_import(job.pk)
    assert not cache.exists() and AnggotaKeluarga.objects.filter(nama="Bersih").exists()


def test_in_array_refuses_a_single_string():
    with pytest.raises(TypeError, match="list"):
        list(AnggotaKeluarga.objects.filter(nik__in_array="3574040101000001"))
