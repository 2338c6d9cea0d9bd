"""Caching of what public pages compute from the catalogue, renewed whenever content changes.

Every cached value's key carries the catalogue version; any save or delete of a case, its
partners, photos or schedule, an organization or a taxonomy draws a new version, so nothing
stale is ever served and nothing needs to be deleted one by one.
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

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
