"""``field__in_array=[...]``: ``__in`` for the long lists of an import (10,000 NIKs per look-up).

``__in`` makes one SQL parameter per value and prepares each through the field, which for a
100,000-row file costs seconds; this sends the list as ONE parameter: ``= ANY(%s)`` with an
array on PostgreSQL, ``IN (SELECT value FROM json_each(%s))`` on SQLite. Plain values only
(strings, numbers): no expressions, no querysets."""

from __future__ import annotations

import json

from django.db.models import CharField, Lookup


class InArray(Lookup):
    lookup_name = "in_array"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        if isinstance(value, (str, bytes)):
            raise TypeError("in_array takes a list of values, not one string")
        return "%s", [list(value)]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(rhs_params[0])]

    def as_sql(self, compiler, connection):
        raise NotImplementedError(f"in_array: PostgreSQL and SQLite only, not {connection.vendor}")


CharField.register_lookup(InArray)
