"""Writing many new rows, with their django-simple-history rows, as fast as the database allows.

On PostgreSQL the rows go in with ``COPY``: primary keys are drawn from the table's own sequence
first (so the people can point at their households before either is written), and the history
rows ('+', who, when) are copied the same way. Django's ``bulk_create`` spends most of its time
turning every value into SQL parameters; ``COPY`` takes CSV text. Elsewhere (SQLite)
``bulk_create_with_history`` does it. Both write the same rows: tests/test_impor_salin.py.

Only for new rows whose values have already passed every rule (the models' NOT NULL ones too):
nothing here validates, and COPY's CSV would store a missing value in a NOT NULL text column as
an empty string. History is always written (this project never sets SIMPLE_HISTORY_ENABLED).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Model
from simple_history.utils import bulk_create_with_history

BATCH = 20_000  # rows per COPY: a few MB of text


def create_with_history(
    model: type[Model], rows: Sequence[dict[str, Any]], *, user: Any, now: datetime.datetime
) -> list[int]:
    """Insert ``rows`` (field attname -> value; the primary key left out) and a '+' history row
    for each; returns the new primary keys in the order of ``rows``."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return bulk_create_rows(model, rows, user=user, now=now)
    return copy_rows(model, rows, user=user, now=now)


def create_rows(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (field attname -> value; the primary key left out) of a model that keeps
    no history (the external ledger: its extract is its record). COPY on PostgreSQL."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=1000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    values = itemgetter(*[f.attname for f in fields])
    _copy(model, fields, [values(_complete(fields, dict(row))) for row in rows])


def bulk_create_rows(
    model: type[Model], rows: Sequence[dict[str, Any]], *, user: Any, now: datetime.datetime
) -> list[int]:
    objs = [model(**row) for row in rows]
    created = bulk_create_with_history(objs, model, batch_size=1000, default_user=user, default_date=now)
    return [obj.pk for obj in created]


def copy_rows(
    model: type[Model], rows: Sequence[dict[str, Any]], *, user: Any, now: datetime.datetime
) -> list[int]:
    """PostgreSQL only."""
    ids = _next_ids(model, len(rows))
    pk = model._meta.pk.attname
    fields = list(model._meta.concrete_fields)
    # What pre_save would set: auto_now(_add) fields take the moment of writing (formatted
    # once here, not once per row by the csv writer).
    now_text = str(now)
    stamped = {
        f.attname: now_text
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    values = itemgetter(*[f.attname for f in fields])
    full = [
        values(_complete(fields, {**row, pk: new_id, **stamped}))
        for row, new_id in zip(rows, ids, strict=True)
    ]
    _copy(model, fields, full)
    # The history rows: the tracked fields' values as written, then who, when and how.
    history = model.history.model  # type: ignore[attr-defined]  # django-simple-history adds it
    position = {f.attname: i for i, f in enumerate(fields)}
    tracked = itemgetter(*[position[f.attname] for f in history.tracked_fields])
    history_fields = [history._meta.get_field(f.attname) for f in history.tracked_fields] + [
        history._meta.get_field(name)
        for name in ("history_date", "history_user", "history_change_reason", "history_type")
    ]
    # history_change_reason None: as bulk_create_with_history leaves it.
    extra = (now_text, getattr(user, "pk", None), None, "+")
    _copy(history, history_fields, [tracked(row) + extra for row in full])
    return ids


def _next_ids(model: type[Model], count: int) -> list[int]:
    table, column = connection.ops.quote_name(model._meta.db_table), model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(nextval(pg_get_serial_sequence(%s, %s))) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return sorted(cursor.fetchone()[0])


def _complete(fields: list, row: dict[str, Any]) -> dict[str, Any]:
    """The row with a field it leaves out set to the field's default, as Model(**row) would."""
    if len(row) < len(fields):
        for f in fields:
            if f.attname not in row:
                row[f.attname] = f.get_default()
    return row


def _copy(model: type[Model], fields: list, rows: Sequence[tuple]) -> None:
    """COPY ``rows`` (tuples of values in the order of ``fields``) into the model's table, as
    CSV: the csv module formats a row in C. An empty field is NULL except in the NOT NULL
    columns (FORCE_NOT_NULL), where it is the empty string; so a nullable text column must not
    be given an empty string to keep (none of the imported models has one: checked below)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    not_null = ", ".join(quote(f.column) for f in fields if not f.null)
    sql = (
        f"COPY {quote(model._meta.db_table)} ({columns}) "
        f"FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"
    )
    nullable_text = [
        i for i, f in enumerate(fields) if f.null and f.empty_strings_allowed and not f.is_relation
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            if any(row[i] == "" for row in batch for i in nullable_text):
                raise ValueError(
                    f"{model.__name__}: an empty string in a nullable text column would become NULL"
                )
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(batch)
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
