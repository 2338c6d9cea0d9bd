"""An n-gram index of a model's search_text: which rows contain every term, found fast.

A term of two or more characters is the sequence of its overlapping bigrams; a single
character is a unigram. The index answers exactly what a substring scan of search_text
answers, on either database:

- SQLite: an FTS5 table per model (`<table>_ngram`), rowid = pk. Column `bigrams` holds the
  text's overlapping bigrams in order, each an opaque ASCII token (hex codepoints, so no
  character splits or drops one); a term is the phrase of its bigrams, which matches only
  where the term's characters stand side by side. Column `unigrams` holds each character
  once. The FTS table keeps no copy of the text (contentless), so `<table>_ngram_doc` keeps
  what was indexed, compressed, to take a row out again exactly.
- PostgreSQL: `<table>_ngram` (pk, grams int[]) with a GIN index: each distinct character
  and bigram of the text as an integer. A 1–2 character term is exact from the index alone;
  a longer one narrows the rows to those holding all its bigrams, which are then checked
  with strpos on their text in `<table>_ngram_doc` (pk, text): a narrow table, so a check
  reads the text alone, not a case's wide row (about a third of the time a row).

Every write of a search text goes through `save_texts`, which writes the text and its
n-grams in one transaction; `forget` takes deleted rows out.
"""

import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Model, Q

BATCH = 500
# PostgreSQL codes: a character is its codepoint, a bigram both codepoints in 32 bits. The
# few characters outside 1..0xFFFE share one code, so a term holding one is rechecked.
_SHARED = 0xFFFF


def _table(model: type[Model]) -> str:
    return f"{model._meta.db_table}_ngram"


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


# --- encoding -------------------------------------------------------------------------------


class _Hexes(dict):
    """A character's code point in hexadecimal, worked out once per character (up to a
    bound: texts posted by the public may hold any character)."""

    def __missing__(self, char: str) -> str:
        code = format(ord(char), "x")
        if len(self) < 20_000:
            self[char] = code
        return code


_HEXES = _Hexes()


def _hex(char: str) -> str:
    return _HEXES[char]


def _fts_columns(text: str) -> tuple[str, str]:
    """The bigram tokens of the text in order, and its distinct characters, as FTS5 text."""
    codes = list(map(_HEXES.__getitem__, text))  # a case's texts: thousands of characters
    bigrams = " ".join(map("x".join, zip(codes, codes[1:], strict=False)))
    return bigrams, " ".join(dict.fromkeys(codes))


def _code(char: str) -> int:
    point = ord(char)
    return point if 0 < point < _SHARED else _SHARED


def _bigrams(text: str) -> set[int]:
    """Codes of the text's bigrams, as signed 32-bit integers (above every character's)."""
    codes = [_code(c) for c in text]
    grams = (a << 16 | b for a, b in zip(codes, codes[1:], strict=False))
    return {g - (1 << 32) if g >= 1 << 31 else g for g in grams}


def _grams(text: str) -> list[int]:
    """Distinct codes of the text's characters and bigrams."""
    return sorted({_code(c) for c in text} | _bigrams(text))


def _query_grams(spelling: str) -> list[int]:
    """What a row must hold to contain the spelling: its character, or all its bigrams."""
    return [_code(spelling)] if len(spelling) == 1 else sorted(_bigrams(spelling))


def _spellings(term: str | tuple[str, ...]) -> tuple[str, ...]:
    return (term,) if isinstance(term, str) else tuple(term)


# --- schema ---------------------------------------------------------------------------------


def create(model: type[Model]) -> None:
    """Create the model's (empty) index; the migration that adds it then calls `rebuild`."""
    table = _table(model)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE {_qn(table)} USING fts5(bigrams, unigrams, "
                "content='', columnsize=0, detail=full, tokenize='ascii')"
            )
            cursor.execute(
                f"CREATE TABLE {_qn(table + '_doc')} (id integer PRIMARY KEY, text blob NOT NULL)"
            )
        else:
            cursor.execute(
                f"CREATE TABLE {_qn(table)} (id integer PRIMARY KEY, grams integer[] NOT NULL)"
            )
            _create_gin(cursor, table)
            _create_documents(cursor, table)


def _create_documents(cursor, table: str) -> None:
    doc = _qn(table + "_doc")
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {doc} (id integer PRIMARY KEY, text text NOT NULL)")


def add_documents(model: type[Model]) -> None:
    """PostgreSQL: the texts the index checks longer terms on, beside an index built before
    it had them (a migration's step)."""
    if connection.vendor != "postgresql":
        return
    table = _table(model)
    with connection.cursor() as cursor:
        _create_documents(cursor, table)
        cursor.execute(
            f"INSERT INTO {_qn(table + '_doc')} (id, text) SELECT {_qn(model._meta.pk.column)}, "
            f"search_text FROM {_qn(model._meta.db_table)} WHERE search_text <> '' "
            "ON CONFLICT (id) DO NOTHING"
        )


def _create_gin(cursor, table: str) -> None:
    # fastupdate off: a search never has to read a pending list of recent edits.
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {_qn(table + '_gin')} ON {_qn(table)} "
        "USING gin (grams) WITH (fastupdate = off)"
    )


def drop(model: type[Model]) -> None:
    table = _table(model)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_qn(table)}")
        cursor.execute(f"DROP TABLE IF EXISTS {_qn(table + '_doc')}")


# --- writes ---------------------------------------------------------------------------------


@transaction.atomic
def save_texts(model: type[Model], texts: dict[int, str]) -> None:
    """Write these rows' search texts and index them, together."""
    if not texts:
        return
    model._base_manager.bulk_update(
        [model(pk=pk, search_text=text) for pk, text in texts.items()],
        ["search_text"],
        batch_size=BATCH,
    )
    index(model, texts)


@transaction.atomic
def index(model: type[Model], texts: dict[int, str]) -> None:
    """Put these rows' texts in the index in place of what it held for them."""
    items = list(texts.items())
    for start in range(0, len(items), BATCH):
        batch = dict(items[start : start + BATCH])
        forget(model, list(batch))
        _insert(model, batch)


def _insert(model: type[Model], texts: dict[int, str]) -> None:
    table = _table(model)
    rows = [(pk, text) for pk, text in texts.items() if text]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(
                f"INSERT INTO {_qn(table)} (rowid, bigrams, unigrams) VALUES (%s, %s, %s)",
                [(pk, *_fts_columns(text)) for pk, text in rows],
            )
            cursor.executemany(
                f"INSERT INTO {_qn(table + '_doc')} (id, text) VALUES (%s, %s)",
                [(pk, zlib.compress(text.encode())) for pk, text in rows],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {_qn(table)} (id, grams) VALUES (%s, %s)",
                [(pk, _grams(text)) for pk, text in rows],
            )
            cursor.executemany(
                f"INSERT INTO {_qn(table + '_doc')} (id, text) VALUES (%s, %s)", rows
            )


@transaction.atomic
def forget(model: type[Model], pks: Iterable[int]) -> None:
    """Take these rows out of the index (they were deleted, or are about to be re-indexed)."""
    table = _table(model)
    pks = list(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), BATCH):
            batch = pks[start : start + BATCH]
            doc = _qn(table + "_doc")
            if connection.vendor != "sqlite":
                cursor.execute(f"DELETE FROM {_qn(table)} WHERE id = ANY(%s)", [batch])
                cursor.execute(f"DELETE FROM {doc} WHERE id = ANY(%s)", [batch])
                continue
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"SELECT id, text FROM {doc} WHERE id IN ({marks})", batch)
            indexed = cursor.fetchall()
            # A contentless FTS5 row is removed by repeating exactly what was inserted.
            cursor.executemany(
                f"INSERT INTO {_qn(table)} ({_qn(table)}, rowid, bigrams, unigrams) "
                "VALUES ('delete', %s, %s, %s)",
                [(pk, *_fts_columns(zlib.decompress(text).decode())) for pk, text in indexed],
            )
            cursor.execute(f"DELETE FROM {doc} WHERE id IN ({marks})", batch)


def rebuild(model: type[Model]) -> None:
    """Index every row's stored search text afresh (after a migration, a restore or a load)."""
    table = _table(model)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {_qn(table)} ({_qn(table)}) VALUES ('delete-all')")
            cursor.execute(f"DELETE FROM {_qn(table + '_doc')}")
        else:
            cursor.execute(f"TRUNCATE {_qn(table)}, {_qn(table + '_doc')}")
        with built_after(model):
            for texts in _stored_texts(model):
                _insert(model, texts)


def _stored_texts(model: type[Model]) -> Iterator[dict[int, str]]:
    rows = model._base_manager.exclude(search_text="").order_by("pk")
    last = 0
    while batch := list(rows.filter(pk__gt=last).values_list("pk", "search_text")[:2000]):
        yield dict(batch)
        last = batch[-1][0]


@contextmanager
def built_after(model: type[Model]):
    """Around a bulk load: on PostgreSQL the GIN index is built once at the end (keeping it up
    to date row by row is several times slower); on SQLite the FTS segments are merged."""
    table = _table(model)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {_qn(table + '_gin')}")
    done = False
    try:
        yield
        done = True
    finally:
        # After a failure inside a transaction, its rollback brings the dropped index back.
        if done or not connection.in_atomic_block:
            _after_bulk_load(table)


def _after_bulk_load(table: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _create_gin(cursor, table)
            cursor.execute(f"ANALYZE {_qn(table)}")
        else:
            cursor.execute(f"INSERT INTO {_qn(table)} ({_qn(table)}) VALUES ('optimize')")


# --- reads ----------------------------------------------------------------------------------


def matching(model: type[Model], terms: list[str | tuple[str, ...]]) -> list[int]:
    """Primary keys of rows whose search_text contains every term (any spelling of each)."""
    terms = [_spellings(t) for t in terms]
    if not terms:
        return list(model._base_manager.order_by("pk").values_list("pk", flat=True))
    if any(not spellings or "" in spellings for spellings in terms):
        return _scan(model, terms)  # matches every row: nothing for an index to narrow
    if connection.vendor == "sqlite":
        return _match_fts(model, terms)
    return _match_gin(model, terms)


def _scan(model: type[Model], terms: list[tuple[str, ...]]) -> list[int]:
    """The plain substring scan the index stands in for."""
    rows = model._base_manager.all()
    for spellings in terms:
        match = Q()
        for spelling in spellings:
            match |= Q(search_text__contains=spelling)
        rows = rows.filter(match)
    return list(rows.order_by("pk").values_list("pk", flat=True))


def _fts_phrase(spelling: str) -> str:
    if len(spelling) == 1:
        return f'unigrams : "{_hex(spelling)}"'
    bigrams, _ = _fts_columns(spelling)
    return f'bigrams : "{bigrams}"'


def _match_fts(model: type[Model], terms: list[tuple[str, ...]]) -> list[int]:
    query = " AND ".join(
        "(" + " OR ".join(f"({_fts_phrase(s)})" for s in spellings) + ")" for spellings in terms
    )
    table = _qn(_table(model))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid", [query])
        return [pk for (pk,) in cursor.fetchall()]


def _exact(spelling: str) -> bool:
    """Whether the index alone decides this spelling (else the text confirms it)."""
    return len(spelling) <= 2 and all(_code(c) != _SHARED for c in spelling)


# Planner settings for the lookups below (set for them only).
_GIN_ONLY = {"enable_seqscan": "off", "enable_indexscan": "off", "jit": "off"}


def _match_gin(model: type[Model], terms: list[tuple[str, ...]]) -> list[int]:
    table = _qn(_table(model))
    # Within a transaction of the caller's, the settings are put back afterwards; else they end
    # with the transaction opened here (two round trips fewer).
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        # Only the GIN index: the planner would otherwise often walk the primary key or the
        # table for a common gram, reading every row's large array (seconds at 100,000 rows).
        before = _set(cursor, _GIN_ONLY, keep=nested)
        try:
            # Per term, the rows the index alone decides (a 1–2 character spelling), and the
            # further rows that hold every bigram of a longer spelling: only those need their
            # text read, and only if every other term may match them too. A spelling variant
            # pairs a long spelling with its short normal form (子ども, 子供), so the rows of
            # a common long word mostly come from the index alone.
            found = []
            for spellings in terms:
                sure = _gin_ids(cursor, table, [s for s in spellings if _exact(s)])
                loose = [s for s in spellings if not _exact(s)]
                maybe = _gin_ids(cursor, table, loose) - sure
                found.append((sure, maybe, loose))
            matched = set.intersection(*(sure | maybe for sure, maybe, _ in found))
            for _, maybe, loose in found:
                unsure = maybe & matched
                if unsure:
                    confirmed = _confirmed(cursor, model, sorted(unsure), [tuple(loose)])
                    matched = matched - (unsure - set(confirmed))
        finally:
            if before:
                _set(cursor, before, keep=False)
    return sorted(matched)


def _gin_ids(cursor, table: str, spellings: list[str]) -> set[int]:
    """Rows holding every query gram of at least one of these spellings."""
    if not spellings:
        return set()
    where = " OR ".join(["grams @> %s::integer[]"] * len(spellings))
    # One array, not a row per id: a common word's 60,000 ids arrive a fifth sooner.
    query = f"SELECT array_agg(id) FROM {table} WHERE {where}"
    cursor.execute(query, [_query_grams(s) for s in spellings])
    return set(cursor.fetchone()[0] or ())


def _set(cursor, settings: dict[str, str], *, keep: bool) -> dict[str, str]:
    """Set these for the rest of the transaction; returns what they were (if `keep`)."""
    before = {}
    if keep:
        query = "SELECT " + ", ".join(["current_setting(%s)"] * len(settings))
        cursor.execute(query, list(settings))
        before = dict(zip(settings, cursor.fetchone(), strict=True))
    cursor.execute(
        "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(settings)),
        [value for item in settings.items() for value in item],
    )
    return before


def _confirmed(cursor, model: type[Model], pks: list[int], terms: list[tuple[str, ...]]):
    """Those of the rows (which hold every bigram of each term) whose text holds each term."""
    table = _qn(_table(model) + "_doc")
    holds = " AND ".join(
        "(" + " OR ".join(["strpos(text, %s) > 0"] * len(spellings)) + ")" for spellings in terms
    )
    params = [spelling for spellings in terms for spelling in spellings]
    cursor.execute(f"SELECT id FROM {table} WHERE id = ANY(%s) AND {holds}", [pks, *params])
    return [pk for (pk,) in cursor.fetchall()]
