"""Reads of a few rows by id whose SQL is made once per process, then run with other ids.

Building and compiling a QuerySet costs about 0.7 ms of Python; running its SQL for a handful of
ids on SQLite, a tenth of that. An uncached page reads by id again and again: the cards of its
twenty rows, the rows an edit changed for the bitmap index, the texts a keyword is re-checked
in. `rows("name", build, ids)` makes `build(ids)` (a QuerySet whose only use of the ids is
`pk__any_of` lookups) once per process and database connection, keeps its SQL and the compiler
that converts its values, and afterwards runs that SQL with the new ids as the one parameter.

The first use checks what it relies on: built with two different sets of ids, the SQL is the
same and only the ids' parameters differ (else it raises, naming the read).
"""

import json
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.models import Lookup, QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Two sets of ids no read would ask for: their parameters differ, their SQL must not.
_PROBES = ([-7_300_000_001], [-7_300_000_002, -7_300_000_003])


@dataclass
class _Compiled:
    sql: str
    params: list
    at: list[int]  # the positions of the ids' parameter (a union names them in each part)
    compiler: SQLCompiler
    columns: int


_compiled: "weakref.WeakKeyDictionary[Any, dict[str, _Compiled]]" = weakref.WeakKeyDictionary()
_aliases: dict[str, str] = {}
_lock = threading.Lock()


def rows(name: str, build: Callable[[list[int]], QuerySet], ids: Iterable[int]) -> list[tuple]:
    """The rows `build(ids)` gives, as `values_list` gives them: tuples, values converted."""
    ids = list(ids)
    if not ids:
        return []
    alias = _aliases.get(name)
    if alias is None:  # the database the read goes to (a router's answer), once
        alias = _aliases[name] = build(_PROBES[0]).db
    connection = connections[alias]
    with _lock:
        per_connection = _compiled.setdefault(connection, {})
        compiled = per_connection.get(name)
    if compiled is None:
        compiled = _compile(name, build, connection)
        with _lock:
            per_connection[name] = compiled
    params = list(compiled.params)
    for at in compiled.at:
        params[at] = AnyOf.param(connection, ids)
    return _run(compiled, connection, params)


def fixed(name: str, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows `build()` gives (a read that takes no ids, asked again after each change)."""
    alias = _aliases.get(name)
    if alias is None:
        alias = _aliases[name] = build().db
    connection = connections[alias]
    with _lock:
        per_connection = _compiled.setdefault(connection, {})
        compiled = per_connection.get(name)
    if compiled is None:
        compiler = build().query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        compiled = _Compiled(sql, list(params), [], compiler, compiler.col_count)
        with _lock:
            per_connection[name] = compiled
    return _run(compiled, connection, compiled.params)


def _run(compiled: "_Compiled", connection, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        found = cursor.fetchall()
    if found and len(found[0]) > compiled.columns:  # columns only the database's ORDER BY reads
        found = [row[: compiled.columns] for row in found]
    return list(compiled.compiler.results_iter([found], tuple_expected=True))


def forget() -> None:
    """Drop the SQL this process made (a test that changes what a read's SQL would be)."""
    with _lock:
        _compiled.clear()
        _aliases.clear()


def _compile(name: str, build, connection) -> _Compiled:
    made = []
    for queryset in (build(_PROBES[0]), build(_PROBES[1])):
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        made.append((compiler, sql, list(params)))
    (compiler, sql, params), (_, other_sql, other_params) = made
    probe = AnyOf.param(connection, _PROBES[0])
    same_shape = sql == other_sql and len(params) == len(other_params)
    differ = [i for i, (a, b) in enumerate(zip(params, other_params, strict=False)) if a != b]
    if not same_shape or not differ or any(params[i] != probe for i in differ):
        raise ValueError(f"{name}: the ids must reach the SQL as pk__any_of parameters only")
    return _Compiled(sql, params, differ, compiler, compiler.col_count)


@models.IntegerField.register_lookup
class AnyOf(Lookup):
    """Like `__in`, without one query parameter per value: tens of thousands of ids stay one
    array (PostgreSQL) or one JSON text (SQLite), below every limit on parameters."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        keys = self.param(connection, self.rhs)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, keys]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*params, self.param(connection, self.rhs)]

    @staticmethod
    def param(connection, keys: Iterable[int]):
        """The one query parameter the keys are passed as (a prepared read passes others)."""
        return list(keys) if connection.vendor == "postgresql" else json.dumps(list(keys))
