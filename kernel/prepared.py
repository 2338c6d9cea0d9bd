"""Reads of a few rows by id whose SQL is made once per process, then run with other ids.

Building and compiling a QuerySet costs about 0.7 ms of Python; running its SQL for a handful of
ids on SQLite, a tenth of that. An uncached page reads by id again and again: the cards of its
twenty rows, the rows an edit changed for the bitmap index, the texts a keyword is re-checked
in. `rows("name", build, ids)` makes `build(ids)` (a QuerySet whose only use of the ids is
`pk__any_of` lookups) once per process and database connection, keeps its SQL and the compiler
that converts its values, and afterwards runs that SQL with the new ids as the one parameter.

The first use checks what it relies on: built with two different sets of ids, the SQL is the
same and only the ids' parameters differ (else it raises, naming the read). Every other
parameter is kept as the first build made it: a read whose filters change with time or with
the request (today's date, the user) must not be prepared; the public rows' filters are
constants (`status = 'published'`, `review = 'approved'`).
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


Read = tuple[str, Callable[[list[int]], QuerySet], Iterable[int]]  # name, build, ids


def rows(name: str, build: Callable[[list[int]], QuerySet], ids: Iterable[int]) -> list[tuple]:
    """The rows `build(ids)` gives, as `values_list` gives them: tuples, values converted."""
    return rows_each([(name, build, ids)])[0]


def rows_each(reads: list[Read]) -> list[list[tuple]]:
    """`rows` of several reads. PostgreSQL gets them in one round trip (psycopg's pipeline
    mode): a page's cards, or the rows an edit changed, are five reads, each otherwise a wait
    of half a millisecond or more for the database to answer."""
    found: list[list[tuple] | None] = [None] * len(reads)
    runs = []  # (position, compiled, connection, params)
    for position, (name, build, ids) in enumerate(reads):
        ids = list(ids)
        if not ids:
            found[position] = []
            continue
        connection, compiled = _compiled_for(name, build)
        params = list(compiled.params)
        for at in compiled.at:
            params[at] = AnyOf.param(connection, ids)
        runs.append((position, compiled, connection, params))
    by_connection: dict[Any, list] = {}
    for run in runs:
        by_connection.setdefault(run[2], []).append(run)
    for connection, each in by_connection.items():
        answers = _execute(connection, [(run[1].sql, run[3]) for run in each])
        for (position, compiled, _, _), answer in zip(each, answers, strict=True):
            found[position] = _converted(compiled, answer)
    return found


def fixed(name: str, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows `build()` gives (a read that takes no ids, asked again after each change)."""
    connection, compiled = _compiled_for(name, lambda ids: build(), fixed=True)
    return _converted(compiled, _execute(connection, [(compiled.sql, compiled.params)])[0])


def _compiled_for(name: str, build, fixed: bool = False):
    alias = _aliases.get(name)
    if alias is None:  # the database the read goes to (a router's answer), once
        alias = _aliases[name] = build(_PROBES[0]).db
    connection = connections[alias]
    with _lock:
        per_connection = _compiled.setdefault(connection, {})
        compiled = per_connection.get(name)
    if compiled is None:
        compiled = _compile_fixed(build, connection) if fixed else _compile(name, build, connection)
        with _lock:
            per_connection[name] = compiled
    return connection, compiled


def _execute(connection, queries: list[tuple[str, list]]) -> list[list[tuple]]:
    """Each query's rows, through Django's cursor (its query log and wrappers see each)."""
    if len(queries) == 1 or connection.vendor != "postgresql":
        answers = []
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                answers.append(cursor.fetchall())
        return answers
    connection.ensure_connection()
    cursors = [connection.cursor() for _ in queries]
    try:
        with connection.connection.pipeline():
            for cursor, (sql, params) in zip(cursors, queries, strict=True):
                cursor.execute(sql, params)
        return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


def _converted(compiled: "_Compiled", found: list[tuple]) -> list[tuple]:
    if found and len(found[0]) > compiled.columns:  # columns only the database's ORDER BY reads
        found = [row[: compiled.columns] for row in found]
    return list(compiled.compiler.results_iter([found], tuple_expected=True))


def forget() -> None:
    """Drop the SQL this process made (a test that changes what a read's SQL would be)."""
    with _lock:
        _compiled.clear()
        _aliases.clear()


def _compile_fixed(build, connection) -> "_Compiled":
    compiler = build(None).query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    return _Compiled(sql, list(params), [], compiler, compiler.col_count)


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
