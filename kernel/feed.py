"""The change feed: every write to something the public sees records what changed, once, in the
writing transaction, and every derived artifact follows from it.

Apps declare, in their AppConfig.ready():

- `track(Model, ...)`: its rows are public. Any write through the model API (save, delete,
  many-to-many, QuerySet update and bulk writes of a `FeedQuerySet`, cascades) records typed
  changes (`kernel.models.Change`: "case:12"), whatever made it: a view, the admin, an import,
  a revert, a merge, a restore, a management command or the shell. `follows` names the kinds the
  model's rows depend on through which relations (a case prints its organizations' names); a
  deletion records the rows that followed the deleted one, since afterwards nothing links them.
- `artifact(name, depends_on=..., refresh=..., rebuild=...)`: something derived from public rows
  (search texts and n-grams, PDFs). It is refreshed with the changes of the kinds it depends on:
  in the writing transaction when cheap, or on the worker (`on_worker=True`), which reads the feed
  from its own cursor.

Version-keyed caches (pages, bitmaps, keyword matches, exports, PDF keys) follow `head()`: a new
change is a new version, and `between(old, new)` says what changed, to refresh rather than
rebuild.
"""

import datetime
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.dateparse import parse_datetime

EVERYTHING = "*"
# Every search text was written again (a reindex): keyword matches are looked up anew.
SEARCH = "search"
# Versions further apart than this many changes are rebuilt from scratch, not refreshed.
MAX_BETWEEN = 2000
# PostgreSQL: writers of the feed take this lock until they commit, so that changes commit in
# the order of their numbers and a reader of the feed never steps over one committed later.
_LOCK_ID = 0x636F6C6C61  # "colla"

Subjects = set[str]
Keys = Mapping[str, set[int | None]]  # kind: the keys of it that changed


@dataclass
class Source:
    """A public model: what a write of one of its rows changes."""

    model: type[models.Model]
    kind: str
    subjects: Callable[[models.Model], Iterable[str]]
    before: bool  # also what the stored row named (a moved foreign key changes both sides)
    follows: dict[str, tuple[str, ...]]  # kind: lookups from this model to a row of that kind

    def dependents(self, kind: str, keys: Iterable[int]) -> set[int]:
        """This model's rows that follow these rows of `kind`."""
        found: set[int] = set()
        keys = [k for k in keys if k is not None]
        for lookup in self.follows.get(kind, ()):
            rows = self.model._base_manager.filter(**{f"{lookup}__in": keys})
            found.update(rows.values_list("pk", flat=True))
        return found


@dataclass
class Artifact:
    """Something derived from public rows, refreshed from the changes of the kinds it reads."""

    name: str
    depends_on: frozenset[str]
    refresh: Callable[[Keys], None]
    rebuild: Callable[[], None]
    on_worker: bool = False


_sources: dict[type[models.Model], Source] = {}
_artifacts: dict[str, Artifact] = {}


def kind_of(model: type[models.Model]) -> str:
    return model._meta.model_name


def track(
    model: type[models.Model],
    subjects: Callable[[models.Model], Iterable[str]] | None = None,
    *,
    before: bool = False,
    follows: Mapping[str, Iterable[str]] | None = None,
    m2m: Iterable[str] = (),
) -> None:
    """Record a change whenever a row of `model` is written (see the module's docstring)."""
    kind = kind_of(model)
    source = Source(
        model=model,
        kind=kind,
        subjects=subjects or (lambda row: {f"{kind}:{row.pk}"}),
        before=before,
        follows={k: tuple(v) for k, v in (follows or {}).items()},
    )
    _sources[model] = source
    uid = f"feed-{model._meta.label}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(_post_save, sender=model, dispatch_uid=uid, weak=False)
    pre_delete.connect(_pre_delete, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid, weak=False)
    for name in m2m:
        through = model._meta.get_field(name).remote_field.through
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"{uid}-{name}", weak=False
        )


def artifact(
    name: str,
    *,
    depends_on: Iterable[str],
    refresh: Callable[[Keys], None],
    rebuild: Callable[[], None],
    on_worker: bool = False,
) -> Artifact:
    """Declare a derived artifact (see the module's docstring)."""
    made = Artifact(name, frozenset(depends_on), refresh, rebuild, on_worker)
    _artifacts[name] = made
    return made


def source(model: type[models.Model]) -> Source:
    """How a tracked model's writes are recorded (its kind, and what its rows follow)."""
    return _sources[model]


def artifacts() -> dict[str, Artifact]:
    return dict(_artifacts)


# --- recording ------------------------------------------------------------------------------


_state = threading.local()


def record(subjects: Iterable[str]) -> None:
    """These things changed ("case:12"; "*": anything may have): record them in the current
    transaction, and refresh the artifacts that follow them in the request (at the end of a
    `batch`, if one is open)."""
    subjects = set(subjects)
    if not subjects or getattr(_state, "bulk", False):
        return
    from kernel.models import Change

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])
        Change.objects.bulk_create([Change(**_parse(s)) for s in sorted(subjects)])
        if (held := _held_head.get()) is not None:
            held.clear()  # a new head: what was worked out under the old one goes
        pending = getattr(_state, "pending", None)
        if pending is not None:
            pending.update(subjects)
        else:
            _apply(subjects, in_request=True)
        _wake_worker_once()


@contextmanager
def batch():
    """One transaction whose changes refresh the request's artifacts once, at its end (an
    import, a merge, an admin page's save with its inlines), not after each write."""
    outer = getattr(_state, "pending", None) is None
    with transaction.atomic():
        if outer:
            _state.pending = set()
        try:
            yield
            if outer and _state.pending:
                _apply(_state.pending, in_request=True)
        finally:
            if outer:
                _state.pending = None


@contextmanager
def bulk(*models: type[models.Model]):
    """A bulk load (generated or demo data): nothing is recorded row by row; once it is all in,
    what follows these models (every artifact, if none is named) is rebuilt."""
    _state.bulk = True
    try:
        yield
    finally:
        _state.bulk = False
    record({kind_of(model) for model in models} if models else {EVERYTHING})


def rebuild() -> None:
    """Every artifact from scratch (after a restore or a bulk load), recorded as a change of
    everything."""
    record({EVERYTHING})


def _parse(subject: str) -> dict:
    kind, _, key = subject.partition(":")
    return {"kind": kind, "key": int(key) if key else None}


def grouped(subjects: Iterable[str]) -> dict[str, set[int | None]]:
    keys: dict[str, set[int | None]] = defaultdict(set)
    for subject in subjects:
        parsed = _parse(subject)
        keys[parsed["kind"]].add(parsed["key"])
    return keys


def affected(model: type[models.Model], subjects: Iterable[str]) -> set[int]:
    """The model's rows these changes concern: its own, and those that follow a changed row."""
    source = _sources[model]
    keys = grouped(subjects)
    rows = {pk for pk in keys.get(source.kind, ()) if pk is not None}
    for kind, changed in keys.items():
        if kind != source.kind:
            rows |= source.dependents(kind, changed)
    return rows


def _apply(subjects: Iterable[str], *, in_request: bool) -> None:
    keys = grouped(subjects)
    for made in _artifacts.values():
        if made.on_worker == in_request:
            continue
        if EVERYTHING in keys:
            made.rebuild()
            continue
        mine = {kind: keys[kind] for kind in made.depends_on if kind in keys}
        if mine:
            made.refresh(mine)


def _wake_worker_once() -> None:
    """Once the outermost transaction commits, the worker follows the feed (once for it)."""
    if not any(made.on_worker for made in _artifacts.values()):
        return
    outermost = connection.atomic_blocks[0] if connection.in_atomic_block else None
    if getattr(_state, "woken_for", None) is outermost and outermost is not None:
        return
    _state.woken_for = outermost
    transaction.on_commit(_wake_worker)


def _wake_worker() -> None:
    _state.woken_for = None
    if wake is not None:
        wake()


# Queues the worker's `follow_feed` (set by the kernel's AppConfig: kernel/tasks.py).
wake: Callable[[], object] | None = None


# --- what the model API writes -------------------------------------------------------------


def _stored_subjects(source: Source, instance) -> set[str]:
    if not source.before or instance.pk is None or instance._state.adding:
        return set()
    stored = source.model._base_manager.filter(pk=instance.pk).first()
    return set(source.subjects(stored)) if stored is not None else set()


def _pre_save(sender, instance, raw=False, **_) -> None:
    if not raw:
        instance._feed_before = _stored_subjects(_sources[sender], instance)


def _post_save(sender, instance, raw=False, **_) -> None:
    if raw:
        return  # loaddata (a restore, a fixture): its caller rebuilds once it is all in
    source = _sources[sender]
    before = getattr(instance, "_feed_before", set())
    instance._feed_before = set()
    record({*before, *source.subjects(instance)})


def _pre_delete(sender, instance, **_) -> None:
    instance._feed_before = {*_subjects_of(sender, instance), *_followers(sender, [instance.pk])}


def _subjects_of(model, instance) -> set[str]:
    try:
        return set(_sources[model].subjects(instance))
    except models.ObjectDoesNotExist:  # a parent deleted in the same cascade
        return {f"{_sources[model].kind}:{instance.pk}"}


def _post_delete(sender, instance, **_) -> None:
    record(getattr(instance, "_feed_before", None) or _subjects_of(sender, instance))


def _followers(model, keys: list[int]) -> set[str]:
    """The rows of tracked models that follow these rows: the relation goes with the rows."""
    kind = kind_of(model)
    found = set()
    for source in _sources.values():
        if kind in source.follows:
            found |= {f"{source.kind}:{pk}" for pk in source.dependents(kind, keys)}
    return found


def _links_changed(sender, instance, action, reverse, model, pk_set, **_) -> None:
    if action == "pre_clear" and reverse:
        # The rows about to lose their link to `instance`, while they can still be found.
        owner = model
        accessor = _accessor(sender, owner)
        instance._feed_cleared = set(
            owner._base_manager.filter(**{accessor: instance.pk}).values_list("pk", flat=True)
        )
        return
    if not action.startswith("post_"):
        return
    if not reverse:
        record(_subjects_of(type(instance), instance))
        return
    pks = pk_set if pk_set is not None else getattr(instance, "_feed_cleared", set())
    owner_kind = _sources[model].kind if model in _sources else kind_of(model)
    record({f"{owner_kind}:{pk}" for pk in pks})


def _accessor(through, owner) -> str:
    for f in owner._meta.many_to_many:
        if f.remote_field.through is through:
            return f.name
    raise LookupError(through)


class FeedQuerySet(models.QuerySet):
    """A public model's QuerySet: its bulk writes record their changes too (a QuerySet's
    delete already sends the signals the feed follows)."""

    def update(self, **kwargs) -> int:
        source = _sources.get(self.model)
        if source is None:
            return super().update(**kwargs)
        with transaction.atomic():
            rows = list(self.model._base_manager.filter(pk__in=self.values("pk")))
            before = {s for row in rows for s in source.subjects(row)}
            count = super().update(**kwargs)
            after = self.model._base_manager.filter(pk__in=[row.pk for row in rows])
            record(before | {s for row in after for s in source.subjects(row)})
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic():
            made = super().bulk_create(objs, *args, **kwargs)
            self._record(made)
        return made

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        with transaction.atomic():
            source = _sources.get(self.model)
            stored = self.model._base_manager.filter(pk__in=[o.pk for o in objs])
            if source is not None and source.before:
                record({s for row in stored for s in source.subjects(row)})
            count = super().bulk_update(objs, fields, *args, **kwargs)
            self._record(objs)
        return count

    bulk_update.alters_data = True

    def _record(self, rows) -> None:
        source = _sources.get(self.model)
        if source is not None:
            record({s for row in rows if row.pk is not None for s in source.subjects(row)})


# --- reading --------------------------------------------------------------------------------

# Within a request the head is read once (`head_held`): a page asks for it for its key, each
# cached part and each index.
_held_head: ContextVar[dict | None] = ContextVar("feed_head", default=None)


@contextmanager
def head_held():
    token = _held_head.set({})
    try:
        yield
    finally:
        _held_head.reset(token)


def request_memo() -> dict | None:
    """What this request has worked out under its head (None outside a request): a value
    asked twice in one request is computed, or fetched from a cache, once."""
    return _held_head.get()


def current() -> str:
    """The head, read once per request (`head_held`); a change the request records moves it."""
    held = _held_head.get()
    if held is None:
        return head()
    if "head" not in held:
        held["head"] = head()
    return held["head"]


def head() -> str:
    """The feed's newest change as a version ("number.microseconds"; "0" before any): a
    restored or rolled-back feed that reuses a number never reuses its version."""
    from kernel.models import Change

    # Every request asks this: one indexed row read in SQL, without the ORM's compiling.
    table = connection.ops.quote_name(Change._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, at FROM {table} ORDER BY id DESC LIMIT 1")
        newest = cursor.fetchone()
    if newest is None:
        return "0"
    return _version(*newest)


def versions_of(kinds: Iterable[str]) -> dict[str, str]:
    """The version of each of these kinds alone: its newest change, or "0" (a change of
    everything counts for every kind). A value read only from rows of those kinds can be kept
    under it across changes of other kinds. In a request, every tracked kind's version is read
    at the first call, in one query of one indexed row per kind."""
    memo = request_memo()
    known = memo.setdefault("versions_of", {}) if memo is not None else {}
    kinds = set(kinds)
    if missing := kinds - known.keys():
        if memo is not None:
            missing |= {source.kind for source in _sources.values()}
        known.update(_newest_of(missing))
    return {kind: known[kind] for kind in kinds}


def _newest_of(kinds: set[str]) -> dict[str, str]:
    from kernel.models import Change

    wanted = sorted({*kinds, EVERYTHING})
    table = connection.ops.quote_name(Change._meta.db_table)
    newest = " UNION ALL ".join(  # one row each, from the (kind, id) index
        f"SELECT * FROM (SELECT kind, id, at FROM {table} WHERE kind = %s"
        f" ORDER BY id DESC LIMIT 1) AS newest{n}"
        for n in range(len(wanted))
    )
    with connection.cursor() as cursor:
        cursor.execute(newest, wanted)
        found = dict.fromkeys(wanted) | {kind: (pk, at) for kind, pk, at in cursor.fetchall()}
    everything = found.pop(EVERYTHING)
    versions = {}
    for kind, row in found.items():
        rows = [r for r in (row, everything) if r is not None]
        versions[kind] = _version(*max(rows, key=lambda r: r[0])) if rows else "0"
    return versions


def _version(pk: int, at: datetime.datetime | str) -> str:
    if isinstance(at, str):  # SQLite's cursor gives the stored text (UTC)
        at = parse_datetime(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=datetime.UTC)
    return f"{pk}.{int(at.timestamp()) * 1_000_000 + at.microsecond}"


def position(version: str) -> int:
    return int(version.split(".", 1)[0])


def between(old: str, new: str) -> set[str] | None:
    """What changed after version `old` up to `new`, or None when that is not known (too far
    apart, another feed's, or a change of everything)."""

    first, last = position(old), position(new)
    if old == new:
        return set()
    if first == 0 or not 0 < last - first <= MAX_BETWEEN:
        return None
    rows = _rows(first, last)
    ends = {pk: _version(pk, at) for pk, at, _, _ in rows if pk in (first, last)}
    if ends.get(first) != old or ends.get(last) != new:
        return None
    changed = set()
    for pk, _, kind, key in rows:
        if pk == first:
            continue
        if kind == EVERYTHING or (key is None and kind != SEARCH):
            return None  # everything, or every row of a kind
        changed.add(kind if key is None else f"{kind}:{key}")
    return changed


def _rows(first: int, last: int) -> list[tuple]:
    """The feed's rows numbered first to last. In a request, the rows read are kept: the
    bitmaps and the keyword matches ask for ranges ending at the same head, each from the
    version it was built at, and the widest range read serves the narrower ones."""
    from kernel.models import Change

    memo = request_memo()
    kept = memo.get("feed-rows") if memo is not None else None
    if kept is not None and kept[0] <= first and last <= kept[1]:
        return [row for row in kept[2] if first <= row[0] <= last]
    table = connection.ops.quote_name(Change._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ("id", "at", "kind", "key"))
    between = f"SELECT {columns} FROM {table} WHERE id >= %s AND id <= %s ORDER BY id"
    with connection.cursor() as cursor:  # asked after every change: SQL, no ORM compiling
        if kept is not None and last == kept[1] and last - first <= MAX_BETWEEN:
            # the same head from further back: read only the rows before those kept
            cursor.execute(between, [first, kept[0] - 1])
            rows = [*cursor.fetchall(), *kept[2]]
        else:
            cursor.execute(between, [first, last])
            rows = cursor.fetchall()
    if memo is not None:
        memo["feed-rows"] = (first, last, rows)
    return rows
