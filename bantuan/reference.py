"""The aid programmes named in the field study, shipped as data (bantuan/data/program_bantuan.json).

Values the sources do not confirm are marked as such in each programme's note; staff edit them
and add programmes in the admin."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

PROGRAM_JSON = Path(__file__).resolve().parent / "data" / "program_bantuan.json"


def program_bantuan_load(program_model: Any = None, kategori_model: Any = None) -> int:
    """Create the shipped programmes that are missing (existing ones are left as staff set them)."""
    if program_model is None:
        from bantuan.models import ProgramBantuan as program_model
    if kategori_model is None:
        from pmks.models import KategoriPmks as kategori_model
    rows = json.loads(PROGRAM_JSON.read_text(encoding="utf-8"))
    created = {}
    for row in rows:
        # Only the fields the model has at this point of its migrations (an early migration
        # loads this file with the model as it was then).
        known = {f.name for f in program_model._meta.concrete_fields}
        fields = {k: v for k, v in row.items() if k in known and k != "kode"}
        if "nilai_barang_jumlah" in fields:
            fields["nilai_barang_jumlah"] = Decimal(fields["nilai_barang_jumlah"])
        program, was_created = program_model.objects.get_or_create(kode=row["kode"], defaults=fields)
        if was_created:
            program.kategori_sasaran.set(kategori_model.objects.filter(singkatan__in=row["kategori_sasaran"]))
            created[row["kode"]] = (program, row["tidak_bersama"])
    for program, others in created.values():
        program.tidak_bersama.add(*program_model.objects.filter(kode__in=others))
    return len(created)


def program_bantuan_fill(program_model: Any, names: tuple[str, ...]) -> int:
    """Give the shipped programmes the values of fields added after they were created, where
    staff left them at the default. A programme becomes external only while it has no stages
    (an office that already keeps lists for it decides itself)."""
    rows = json.loads(PROGRAM_JSON.read_text(encoding="utf-8"))
    changed = 0
    for row in rows:
        program = program_model.objects.filter(kode=row["kode"]).first()
        if program is None:
            continue
        updates = {}
        for name in names:
            if name not in row or getattr(program, name) != program_model._meta.get_field(name).get_default():
                continue
            if name == "asal" and program.tahap.exists():
                continue
            updates[name] = row[name]
        if updates:
            program_model.objects.filter(pk=program.pk).update(**updates)
            changed += 1
    return changed
