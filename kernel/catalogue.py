"""The catalogue's version and everything public pages cache under it: one home.

Every cached value's key carries the catalogue version, the head of the change feed
(kernel.feed): any write to public content moves it on, so nothing stale is ever served and
nothing needs to be deleted one by one. The feed says what changed between two versions
("case:12", "organization:3", "cases-of:3" when an organization gained or lost a case), so an
index built for an older version can be refreshed instead of rebuilt (`changes_between`).
Keyword matches are cached here too, and looked up with `pk__any_of` (kernel.prepared).
"""

import hashlib
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from pyroaring import BitMap

from kernel import feed, ngram, prepared

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60
# More changed rows than this are looked up in the index again rather than re-checked.
MAX_RECHECKED = 500


class VersionPerRequest:
    """Middleware: one catalogue version for the whole of a request (a change the request
    itself makes moves it on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with feed.head_held():
            return self.get_response(request)


def version() -> str:
    """The change feed's head: every write to public content moves it on (kernel.feed)."""
    return feed.current()


def changes_between(old: str, new: str) -> set[str] | None:
    """What changed after version `old` up to `new`, or None when that is not known."""
    return feed.between(old, new)


def named(changes: Iterable[str], kind: str) -> list[int]:
    """The keys of the rows of one kind ("case") these changes name ("case:12")."""
    prefix = f"{kind}:"
    return sorted({int(c.removeprefix(prefix)) for c in changes if c.startswith(prefix)})


def digest(key: Any) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def key_for(key: Any) -> str:
    """A short cache key for this value under the current catalogue version."""
    return f"{version()}:{digest(key)}"


def cached(name: str, key: Any, compute: Callable[[], Any], reads: Iterable[str] = ()) -> Any:
    """The value under this name and key for the current version (or, given the kinds of the
    feed it `reads`, theirs alone): from this request's memo, the cache, or computed (and kept
    in both)."""
    if reads:
        versions = feed.versions_of(reads)
        full_key = f"{name}:{'-'.join(versions[k] for k in sorted(versions))}:{digest(key)}"
        # Read on every page (the guide menus) and changed seldom: kept in the process too.
        return kept(full_key, lambda: _shared(full_key, compute))
    return _shared(f"{name}:{key_for(key)}", compute)


def _shared(full_key: str, compute: Callable[[], Any]) -> Any:
    memo = feed.request_memo()
    if memo is not None and full_key in memo:
        return memo[full_key]
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    if memo is not None:
        memo[full_key] = value
    return value


# Small values each process keeps under keys naming the versions they were made from.
KEPT = 512
_kept: OrderedDict[str, Any] = OrderedDict()
_kept_lock = threading.Lock()


def kept(key: str, compute: Callable[[], Any]) -> Any:
    """The value under `key`, kept by this process (the least recently used of KEPT go).
    The key must name every version the value was made from: it is never stale then."""
    with _kept_lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    value = compute()
    with _kept_lock:
        _kept[key] = value
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


def forget() -> None:
    """Drop what this process keeps (a test's database starts its feed again)."""
    with _kept_lock:
        _kept.clear()


# Files kept per directory of EXPORT_CACHE_DIR (an older version's file of the same output goes
# once the new one is complete).
MAX_FILES = 64
CHUNK = 64 * 1024


def cached_file(name: str, key: Any) -> Path:
    """Where the output named `name` for `key` under the current version is kept (on this
    server's disk: a big document streams from there with constant memory)."""
    folder = Path(settings.EXPORT_CACHE_DIR) / name
    return folder / f"{version()}-{hashlib.sha256(repr(key).encode()).hexdigest()[:32]}"


def stream_file(path: Path, produce: Callable[[], Iterator[str]]) -> Iterator[bytes]:
    """The text `produce` yields, encoded, written to `path` as it goes out; once complete the
    file is kept for the next request (the same output's older files are deleted)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as out:
            buffer = []
            size = 0
            for text in produce():
                data = text.encode()
                buffer.append(data)
                size += len(data)
                if size >= CHUNK:
                    chunk = b"".join(buffer)
                    out.write(chunk)
                    yield chunk
                    buffer, size = [], 0
            chunk = b"".join(buffer)
            out.write(chunk)
        os.replace(temporary, path)
        _prune(path)
        yield chunk
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)  # the client went away: nothing half-written is kept


def _prune(kept: Path) -> None:
    """Once `kept` is complete: older versions' files of the same output go, and beyond
    MAX_FILES the least recently written; half-written files left by a failure after an hour."""
    same = "-" + kept.name.split("-", 1)[1]
    files = sorted(kept.parent.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
    hour_ago = time.time() - 3600
    for n, other in enumerate(files):
        part = other.name.startswith(".part-")
        stale_part = part and other.stat().st_mtime < hour_ago
        replaced = not part and other != kept and other.name.endswith(same)
        if stale_part or replaced or (not part and n >= MAX_FILES):
            other.unlink(missing_ok=True)


def newest_file(path: Path) -> Path | None:
    """The file of the same output written for an earlier version, if one is kept."""
    if not path.parent.is_dir():
        return None
    same = "-" + path.name.split("-", 1)[1]
    found = [p for p in path.parent.iterdir() if p.name.endswith(same) and p != path]
    found = [p for p in found if not p.name.startswith(".part-")]
    return max(found, key=lambda p: p.stat().st_mtime, default=None)


def matching_keys(model, terms: list[str | tuple[str, ...]]) -> BitMap:
    """Keys of the rows (any status) whose search_text contains every term (a tuple: any of
    its spellings).

    Asked of the n-gram index once, then kept across catalogue changes: a new version
    re-checks only the rows its changes name ("case:12"), so a common term is slow at most
    once. A change that names nothing, or too much, asks the index again. Kept as a roaring
    bitmap: a word most cases hold stays a few kilobytes, read and written in microseconds.
    """
    return matching_keys_each(model, [terms])[0]


def matching_keys_each(model, searches: list[list[str | tuple[str, ...]]]) -> list[BitMap]:
    """`matching_keys` of several searches (a seed's keywords), in one read of the cache."""
    now = version()
    keys = [f"matched:{model._meta.label}:{digest(terms)}" for terms in searches]
    held_by_key = cache.get_many(keys)
    found, fresh = [], {}
    for key, terms in zip(keys, searches, strict=True):
        held = held_by_key.get(key)
        if held is not None and held[0] == now:
            found.append(BitMap.deserialize(held[1]))
            continue
        rows = None
        if held is not None and (changes := changes_between(held[0], now)) is not None:
            rows = _rechecked(model, terms, BitMap.deserialize(held[1]), changes)
        if rows is None:
            rows = BitMap(ngram.matching(model, terms))
        fresh[key] = (now, rows.serialize())
        found.append(rows)
    if fresh:
        cache.set_many(fresh, TIMEOUT)
    return found


def _rechecked(model, terms, keys: BitMap, changes: set[str]) -> BitMap | None:
    """The keys again, with the rows these changes name checked against the terms."""
    if feed.SEARCH in changes:  # every search text rebuilt (reindex)
        return None
    changed = feed.affected(model, changes)  # its rows, and those printing a changed row
    if len(changed) > MAX_RECHECKED:
        return None
    texts = prepared.rows(
        f"{model._meta.label}:search-texts",
        lambda keys: model._base_manager.filter(pk__any_of=keys).values_list("pk", "search_text"),
        changed,
    )
    found = BitMap(pk for pk, text in texts if holds(text, terms))
    return (keys - BitMap(changed)) | found


def holds(text: str, terms: list[str | tuple[str, ...]]) -> bool:
    """The substring test the n-gram index answers, on one text."""
    return all(any(s in text for s in ((t,) if isinstance(t, str) else t)) for t in terms)


def containing_all(queryset: QuerySet, terms: list[str | tuple[str, ...]]) -> QuerySet:
    """Rows of the queryset that hold every term: the several queries of a search (results
    and each facet's counts) and later pages of the same keyword reuse one lookup."""
    if not terms:
        return queryset
    return queryset.filter(pk__any_of=matching_keys(queryset.model, terms))
