"""COPY (PostgreSQL) and bulk_create write the same rows and the same history rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from impor.salin import bulk_create_rows, copy_rows, create_with_history
from pmks.models import AnggotaKeluarga, Keluarga
from tests import factories as f

# Keys differ by nature; the auto_now stamps are "now" in both (bulk_create takes its own moment).
SKIP = {"id", "history_id", "no_kk", "nik", "keluarga_id", "dibuat_pada", "diubah_pada"}


def _household(no_kk: str, alamat: str, **extra) -> dict:
    return {
        "no_kk": no_kk,
        "kelurahan_id": f.KEL_KANIGARAN,
        "alamat": alamat,
        "rt": "001",
        "rw": "002",
        "jenis_lantai": "tanah",
        **extra,
    }


def _person(nik: str, keluarga_id: int) -> dict:
    return {
        "nik": nik,
        "keluarga_id": keluarga_id,
        "nama": "Siti\tAminah \\ 'kutip' é",
        "tempat_lahir": "Probolinggo",
        "tanggal_lahir": datetime.date(1980, 8, 17),
        "jenis_kelamin": "P",
        "hubungan": "kepala",
        "status_perkawinan": "kawin",
        "pendidikan": "",
        "pekerjaan": "Buruh",
        "disabilitas": "tidak",
    }


def _write(writer, user, now, tag: str) -> tuple[list[int], list[int]]:
    stamps = {"dibuat_pada": now, "diubah_pada": now}
    houses = [
        {
            **_household(f.no_kk_for(f.KEL_KANIGARAN), f"Jl. {tag}\nbaris dua", **stamps),
            "dibuat_oleh_id": user.pk,
        },
        {
            **_household(f.no_kk_for(f.KEL_KANIGARAN), "Jl. Angka", luas_lantai=Decimal("24.5"), **stamps),
            "penghasilan_bulanan": 1500000,
            "dibuat_oleh_id": user.pk,
        },
    ]
    house_ids = writer(Keluarga, houses, user=user, now=now)
    people = [
        {**_person(f.nik_for(f.KEL_KANIGARAN, datetime.date(1980, 8, 17), "P"), pk), **stamps}
        for pk in house_ids
    ]
    return house_ids, writer(AnggotaKeluarga, people, user=user, now=now)


def _rows(model, ids) -> list[dict]:
    rows = list(model.objects.filter(pk__in=ids).order_by("pk").values())
    return [{k: v for k, v in row.items() if k not in SKIP} for row in rows]


def _history(model, ids) -> list[dict]:
    rows = list(model.history.filter(id__in=ids).order_by("id").values())
    return [{k: v for k, v in row.items() if k not in SKIP} for row in rows]


@pytest.mark.django_db
def test_copy_writes_what_bulk_create_writes(city):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite always uses bulk_create")
    now = timezone.now()
    bulk_houses, bulk_people = _write(bulk_create_rows, city.dinsos, now, "X")
    copy_houses, copy_people = _write(copy_rows, city.dinsos, now, "X")
    assert len(set(copy_houses)) == 2 and not set(copy_houses) & set(bulk_houses)
    assert _rows(Keluarga, copy_houses) == _rows(Keluarga, bulk_houses)
    assert _rows(AnggotaKeluarga, copy_people) == _rows(AnggotaKeluarga, bulk_people)
    assert _history(Keluarga, copy_houses) == _history(Keluarga, bulk_houses)
    assert _history(AnggotaKeluarga, copy_people) == _history(AnggotaKeluarga, bulk_people)
    person = AnggotaKeluarga.objects.get(pk=copy_people[0])
    assert person.nama == "Siti\tAminah \\ 'kutip' é" and person.keluarga_id == copy_houses[0]
    house = Keluarga.objects.get(pk=copy_houses[0])
    assert house.alamat == "Jl. X\nbaris dua" and house.dibuat_pada == house.diubah_pada == now
    assert Keluarga.objects.get(pk=copy_houses[1]).luas_lantai == Decimal("24.5")
    history = AnggotaKeluarga.history.get(id=copy_people[0])
    assert (history.history_type, history.history_user_id, history.history_date) == ("+", city.dinsos.pk, now)
    # The sequence moved past the copied keys: an ordinary save gets a fresh one.
    assert f.make_keluarga(city.dinsos, f.KEL_KANIGARAN).pk > max(copy_houses)


@pytest.mark.django_db
def test_create_with_history_returns_keys_in_order(city):
    now = timezone.now()
    houses, people = _write(create_with_history, city.dinsos, now, "Y")
    assert [AnggotaKeluarga.objects.get(pk=pk).keluarga_id for pk in people] == houses
    assert Keluarga.history.filter(id__in=houses, history_type="+").count() == 2
    assert create_with_history(Keluarga, [], user=city.dinsos, now=now) == []
