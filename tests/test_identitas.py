"""NIK and No. KK rules (pmks/identitas.py): the examples of DOMAIN.md and Excel's damage."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from pmks.identitas import (
    make_nik,
    nik_consistency_errors,
    normalise_nomor,
    parse_nik,
    validate_nik,
    validate_no_kk,
)


def test_domain_example_is_a_man_born_5_august_1968():
    parts = parse_nik("3515140508680001")
    assert (parts.kode_wilayah, parts.hari, parts.bulan, parts.tahun2) == ("351514", 5, 8, 68)
    assert parts.perempuan is False
    assert nik_consistency_errors("3515140508680001", datetime.date(1968, 8, 5), "L") == {}


def test_woman_has_forty_added_to_the_day():
    nik = "3515144508680001"
    assert parse_nik(nik).perempuan is True
    assert parse_nik(nik).hari == 5
    assert nik_consistency_errors(nik, datetime.date(1968, 8, 5), "P") == {}


def test_sex_disagreeing_with_nik_is_reported_on_jenis_kelamin():
    errors = nik_consistency_errors("3515144508680001", datetime.date(1968, 8, 5), "L")
    assert set(errors) == {"jenis_kelamin"}
    assert "perempuan" in errors["jenis_kelamin"]


def test_birth_date_disagreeing_with_nik_names_what_the_nik_says():
    errors = nik_consistency_errors("3515140508680001", datetime.date(1968, 8, 6), "L")
    assert set(errors) == {"tanggal_lahir"}
    assert "05-08-68" in errors["tanggal_lahir"]


def test_century_is_not_part_of_the_nik():
    assert nik_consistency_errors("3515140508680001", datetime.date(1868, 8, 5), "L") == {}
    assert "tanggal_lahir" in nik_consistency_errors("3515140508680001", datetime.date(1969, 8, 5), "L")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("351514050868000", "16 digit"),
        ("35151405086800011", "16 digit"),
        ("35151405O8680001", "16 digit"),
        ("", "16 digit"),
        ("3.57404E+15", "sebagai angka"),
        ("3574041505800000.0", "sebagai angka"),
        ("3515149908680001", "bukan tanggal"),  # day 99
        ("3515140513680001", "bukan tanggal"),  # month 13
        ("3515140508680000", "0000"),
    ],
)
def test_malformed_nik_is_refused_with_a_reason(value, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_nik(value)
    assert fragment in " ".join(exc.value.messages)


def test_kk_must_be_sixteen_digits():
    validate_no_kk("3574040101200001")
    with pytest.raises(ValidationError, match="16 digit"):
        validate_no_kk("357404010120001")


def test_spaces_and_non_breaking_spaces_are_trimmed():
    assert normalise_nomor("\xa03574 0401 0120 0001 ") == "3574040101200001"


def test_make_nik_round_trips():
    nik = make_nik("357404", datetime.date(1990, 2, 28), "P", 12)
    assert nik == "3574046802900012"
    validate_nik(nik)
    assert nik_consistency_errors(nik, datetime.date(1990, 2, 28), "P") == {}
