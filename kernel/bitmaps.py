"""Facet counts, totals and pages of ids from roaring bitmaps, built once per catalogue version.

A `FacetIndex` holds the universe (the rows the public may see), one bitmap per facet value, the
columns the sort orders read, and per sort order the universe cut into consecutive blocks (each a
bitmap, in sort order): a page of any result is found by counting the result's members block by
block, then sorting the few members of the blocks that hold the page. The index is kept in the
shared cache as bytes under the catalogue version and, in each process, the last one in memory;
after a change it is refreshed from the previous version's index by re-reading only the rows that
changed (`catalogue.changes_between`), or rebuilt when that is not known.
"""

import bisect
import pickle
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.cache import cache
from pyroaring import BitMap

from kernel import catalogue, feed

BLOCK = 256
NULL = -(2**62)  # a column's value for "none": lowest, so last in a descending order

# A sort order: the columns it reads, each with True for descending.
Order = tuple[tuple[str, bool], ...]


@dataclass
class Rows:
    """What the index holds of some rows: ids, their facet values and their sort columns."""

    ids: Iterable[int]
    facets: Mapping[str, Iterable[tuple[int, str]]]  # facet name: (id, value) pairs
    # column name: {id: value}; integers (NULL for none) or, for ascending orders only, text
    columns: Mapping[str, Mapping[int, int | str]]


class FacetIndex:
    def __init__(self, universe, facets, columns, orders, blocks, bounds, stamp):
        self.universe: BitMap = universe
        self.facets: dict[str, dict[str, BitMap]] = facets
        # aligned with the universe's ascending ids: an array of integers, or a list of texts
        self.columns: dict[str, array | list[str]] = columns
        self.orders: dict[str, Order] = orders
        self.blocks: dict[str, list[BitMap]] = blocks
        self.bounds: dict[str, list[tuple]] = bounds  # per block its lowest and highest key
        self.stamp = stamp  # what else the index was built from (e.g. the year choices)

    @classmethod
    def build(cls, rows: Rows, orders: dict[str, Order], stamp=None) -> "FacetIndex":
        universe = BitMap(rows.ids)
        facets = {name: _bitmaps(pairs) for name, pairs in rows.facets.items()}
        columns = {
            name: _column(values[pk] for pk in universe) for name, values in rows.columns.items()
        }
        index = cls(universe, facets, columns, orders, {}, {}, stamp)
        ids = list(universe)  # in the columns' order
        for name, spec in orders.items():
            signed = [[-v for v in columns[c]] if desc else columns[c] for c, desc in spec]
            keys = list(zip(*signed, strict=True))
            positions = sorted(range(len(ids)), key=keys.__getitem__)
            starts = range(0, len(ids), BLOCK)
            index.blocks[name] = [
                BitMap([ids[p] for p in positions[i : i + BLOCK]]) for i in starts
            ]
            index.bounds[name] = [
                (keys[positions[i]], keys[positions[min(i + BLOCK, len(ids)) - 1]]) for i in starts
            ]
        return index

    def refreshed(self, changed: Iterable[int], rows: Rows) -> "FacetIndex":
        """A new index where the `changed` ids are what `rows` says (absent: not in it)."""
        changed = BitMap(changed)
        present = BitMap(rows.ids)
        gone = self.universe & changed
        universe = (self.universe - changed) | present
        facets = {}
        for name, bitmaps in self.facets.items():
            facets[name] = {
                value: bm - changed if bm.intersect(changed) else bm
                for value, bm in bitmaps.items()
            }
            for pk, value in rows.facets.get(name, ()):
                if value not in facets[name]:
                    facets[name][value] = BitMap()
                elif facets[name][value] is self.facets[name].get(value):
                    facets[name][value] = facets[name][value].copy()
                facets[name][value].add(pk)
        columns = {}
        for name, column in self.columns.items():
            column = column[:]
            for pk in list(gone)[::-1]:  # from the end: earlier positions stay put
                del column[self.universe.rank(pk) - 1]
            values = rows.columns[name]
            for pk in present:
                column.insert(universe.rank(pk) - 1, values[pk])
            columns[name] = column
        index = FacetIndex(universe, facets, columns, self.orders, {}, {}, self.stamp)
        for name in self.orders:
            index.blocks[name], index.bounds[name] = index._placed(
                name, self.blocks[name], self.bounds[name], changed, present
            )
        return index

    def _placed(self, order: str, blocks, bounds, changed: BitMap, present: BitMap):
        """The order's blocks without the changed ids, then with the present ones in place."""
        key = self._key(order)
        blocks = [b - changed if b.intersect(changed) else b for b in blocks]
        bounds = list(bounds)
        for pk in present:
            k = key(pk)
            i = min(bisect.bisect_left(bounds, k, key=lambda b: b[1]), len(blocks) - 1)
            if i < 0:  # no block yet
                blocks, bounds = [BitMap()], [(k, k)]
                i = 0
            blocks[i] = blocks[i] | BitMap([pk])
            bounds[i] = (min(bounds[i][0], k), max(bounds[i][1], k))
            if len(blocks[i]) > 2 * BLOCK:
                ordered = sorted(blocks[i], key=key)
                half = len(ordered) // 2
                blocks[i : i + 1] = [BitMap(ordered[:half]), BitMap(ordered[half:])]
                bounds[i : i + 1] = [
                    (key(ordered[0]), key(ordered[half - 1])),
                    (key(ordered[half]), key(ordered[-1])),
                ]
        emptied = [i for i, b in enumerate(blocks) if not b]
        for i in reversed(emptied):
            del blocks[i], bounds[i]
        return blocks, bounds

    def _key(self, order: str) -> Callable[[int], tuple]:
        spec = [(self.columns[name], descending) for name, descending in self.orders[order]]
        rank = self.universe.rank

        def key(pk: int) -> tuple:
            at = rank(pk) - 1
            return tuple(-column[at] if descending else column[at] for column, descending in spec)

        return key

    def union(self, facet: str, values: Iterable[str]) -> BitMap:
        """Rows with any of these values of the facet."""
        bitmaps = [self.facets[facet][v] for v in values if v in self.facets[facet]]
        return BitMap.union(*bitmaps) if bitmaps else BitMap()

    def match(
        self, selected: Mapping[str, Iterable[str]], within: BitMap | None = None
    ) -> tuple[BitMap, dict[str, dict[str, int]]]:
        """The rows matching every facet's selection (values OR-ed, facets AND-ed) and `within`,
        and per facet value the rows it would give with every other facet's selection."""
        base = self.universe if within is None else self.universe & within
        chosen = {name: self.union(name, values) for name, values in selected.items() if values}
        result = base
        for bitmap in sorted(chosen.values(), key=len):
            result = result & bitmap
        counts = {}
        for name, bitmaps in self.facets.items():
            others = result
            if name in chosen:
                others = base
                for other, bitmap in chosen.items():
                    if other != name:
                        others = others & bitmap
            counts[name] = {
                value: others.intersection_cardinality(bm) for value, bm in bitmaps.items()
            }
        return result, counts

    def page(self, result: BitMap, order: str, offset: int, limit: int) -> list[int]:
        """`limit` ids of the result from `offset` on, in the sort order."""
        found, skipped = [], 0
        for block in self.blocks[order]:
            n = result.intersection_cardinality(block)
            if skipped + n <= offset:
                skipped += n
                continue
            found += sorted(result & block, key=self._key(order))
            if skipped + len(found) >= offset + limit:
                break
        start = offset - skipped
        return found[start : start + limit]

    def to_bytes(self) -> bytes:
        return pickle.dumps(
            {
                "universe": self.universe.serialize(),
                "facets": {
                    name: {value: bm.serialize() for value, bm in bitmaps.items()}
                    for name, bitmaps in self.facets.items()
                },
                "columns": {
                    name: column.tobytes() if isinstance(column, array) else column
                    for name, column in self.columns.items()
                },
                "orders": self.orders,
                "blocks": {
                    name: [b.serialize() for b in blocks] for name, blocks in self.blocks.items()
                },
                "bounds": self.bounds,
                "stamp": self.stamp,
            },
            protocol=pickle.HIGHEST_PROTOCOL,
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> "FacetIndex":
        d = pickle.loads(data)  # noqa: S301 -- written by to_bytes into our own cache
        columns = {}
        for name, raw in d["columns"].items():
            if isinstance(raw, bytes):
                columns[name] = array("q")
                columns[name].frombytes(raw)
            else:
                columns[name] = raw
        return cls(
            BitMap.deserialize(d["universe"]),
            {
                name: {value: BitMap.deserialize(b) for value, b in bitmaps.items()}
                for name, bitmaps in d["facets"].items()
            },
            columns,
            d["orders"],
            {name: [BitMap.deserialize(b) for b in blocks] for name, blocks in d["blocks"].items()},
            d["bounds"],
            d["stamp"],
        )


def _column(values: Iterable[int | str]) -> array | list[str]:
    """Integers packed in an array; texts (or nothing yet, of either kind) in a list."""
    values = list(values)
    return array("q", values) if values and isinstance(values[0], int) else values


def _bitmaps(pairs: Iterable[tuple[int, str]]) -> dict[str, BitMap]:
    ids: dict[str, list[int]] = {}
    for pk, value in pairs:
        ids.setdefault(value, []).append(pk)
    return {value: BitMap(pks) for value, pks in ids.items()}


_held: dict[str, tuple[str, FacetIndex]] = {}  # per index, the last one this process used


def forget() -> None:
    """Drop the indexes this process holds (a test's database starts its feed again)."""
    _held.clear()


def current(
    name: str,
    stamp,
    build: Callable[[], FacetIndex],
    refresh: Callable[[FacetIndex, set[str]], FacetIndex],
) -> FacetIndex:
    """The index for the current catalogue version: this process's, refreshed with what the
    change feed says changed since (a few rows after an edit); else the last one built by any
    process (the shared cache), refreshed likewise; else built, and stored for the others.

    `stamp` is what else the index depends on: an index with another stamp is not used.
    """
    version = catalogue.version()  # read before the rows, so an index is never newer than it
    held = _held.get(name)
    if held and held[1].stamp == stamp:
        if held[0] == version:
            return held[1]
        index = _refreshed(held, version, refresh)
        if index is not None:
            _held[name] = (version, index)
            return index
    stored = _stored(name)
    if stored is not None and stored[1].stamp == stamp:
        index = stored[1] if stored[0] == version else _refreshed(stored, version, refresh)
        if index is not None:
            _held[name] = (version, index)
            return index
    index = build()
    # Only a build is stored: it is what costs; any process refreshes from it cheaply.
    cache.set(f"bitmaps:{name}:built", (version, index.to_bytes()), catalogue.TIMEOUT * 24)
    _held[name] = (version, index)
    return index


def _refreshed(base: tuple[str, FacetIndex], version: str, refresh) -> FacetIndex | None:
    """The index brought from its version to this one, or None when the feed cannot say
    what changed in between (too far apart, or everything)."""
    if feed.position(base[0]) > feed.position(version):
        return None
    changes = catalogue.changes_between(base[0], version)
    return None if changes is None else refresh(base[1], changes)


def _stored(name: str) -> tuple[str, FacetIndex] | None:
    found = cache.get(f"bitmaps:{name}:built")
    return None if found is None else (found[0], FacetIndex.from_bytes(found[1]))
