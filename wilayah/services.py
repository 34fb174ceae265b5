"""Writes to the region table: loading official region lists from CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wilayah.kode import kode_error, kode_induk

KOTA_PROBOLINGGO_CSV = Path(__file__).resolve().parent / "data" / "wilayah_kota_probolinggo.csv"
REQUIRED_COLUMNS = ("kode", "nama", "tingkat")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _parse_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError("Kolom wajib tidak ada: %(kolom)s", params={"kolom": ", ".join(missing)})
    rows = []
    errors = []
    for number, raw in enumerate(reader, start=2):  # row 1 is the header
        row = {k: (v or "").strip().replace("\xa0", "") for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        tingkat = row["tingkat"].lower()
        error = kode_error(row["kode"], tingkat)
        if error:
            errors.append(_("Baris %(n)s: %(e)s") % {"n": number, "e": error})
            continue
        if not row["nama"]:
            errors.append(_("Baris %(n)s: nama kosong.") % {"n": number})
            continue
        row["tingkat"] = tingkat
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows


def wilayah_load_csv(*, text: str, model: Any = None, berlaku_mulai: Any = None) -> LoadResult:
    """Create or update regions from a CSV (kode,nama,tingkat[,kode_bps]); all or nothing.

    Parents are derived from the codes; a parent must be in the file or already loaded.
    ``model`` lets data migrations pass their historical model.
    """
    if model is None:
        from wilayah.models import Wilayah as model
    rows = sorted(_parse_rows(text), key=lambda r: len(r["kode"].split(".")))
    result = LoadResult()
    with transaction.atomic():
        known = set(model.objects.values_list("kode", flat=True))
        errors = []
        for row in rows:
            kode = row["kode"]
            induk = kode_induk(kode)
            if induk and induk not in known:
                errors.append(
                    _("Kode %(kode)s: wilayah induk %(induk)s tidak ada.") % {"kode": kode, "induk": induk}
                )
                continue
            values = {
                "nama": row["nama"].upper(),
                "tingkat": row["tingkat"],
                "induk_id": induk,
                "kode_bps": row.get("kode_bps", ""),
            }
            obj = model.objects.filter(kode=kode).first()
            if obj is None:
                model.objects.create(kode=kode, berlaku_mulai=berlaku_mulai, **values)
                result.created += 1
            elif any(getattr(obj, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(obj, k, v)
                obj.save(update_fields=list(values))
                result.updated += 1
            else:
                result.unchanged += 1
            known.add(kode)
        if errors:
            raise ValidationError(errors)
    return result
