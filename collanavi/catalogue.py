"""The catalogue's version and everything public pages cache under it: one home.

Every cached value's key carries the catalogue version; any save or delete of a case, its
partners, photos or schedule, an organization or a taxonomy draws a new version (the signals in
cases/signals.py), so nothing stale is ever served and nothing needs to be deleted one by one.
Keyword matches are cached here too, and looked up with `pk__any_of`.
"""

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import models
from django.db.models import Lookup, Q, QuerySet

VERSION_KEY = "catalogue-version"
TIMEOUT = 60 * 60


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        current = cache.get(VERSION_KEY)
    return current


def bump(**_) -> None:
    """Content changed: every cached page computation is out of date."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def key_for(key: Any) -> str:
    """A short cache key for this value under the current catalogue version."""
    return f"{version()}:{hashlib.sha256(repr(key).encode()).hexdigest()[:32]}"


def cached(name: str, key: Any, compute: Callable[[], Any]) -> Any:
    full_key = f"{name}:{key_for(key)}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def containing_all(queryset: QuerySet, terms: list[str | tuple[str, ...]]) -> QuerySet:
    """Rows whose search_text contains every term (normalised; a tuple: any of its spellings).

    The texts are scanned once for a set of terms: the matching keys are cached under the
    catalogue version, so the several queries of a search (results and each facet's counts)
    and later pages or facets of the same keyword look up keys instead of scanning again.
    """
    if not terms:
        return queryset
    model = queryset.model

    def scan() -> list[int]:
        rows = model._base_manager.all()
        for spellings in terms:
            match = Q()
            for spelling in (spellings,) if isinstance(spellings, str) else spellings:
                match |= Q(search_text__contains=spelling)
            rows = rows.filter(match)
        return list(rows.order_by().values_list("pk", flat=True))

    return queryset.filter(pk__any_of=cached(f"matches:{model._meta.label}", terms, scan))


@models.IntegerField.register_lookup
class AnyOf(Lookup):
    """Like `__in`, without one query parameter per value: tens of thousands of ids stay one
    array (PostgreSQL) or one JSON text (SQLite), below every limit on parameters."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.rhs)]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*params, list(self.rhs)]
