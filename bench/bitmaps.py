"""Uncached case search with the facet bitmaps, against the former SQL counting.

Usage: DATABASE_URL=... .venv/bin/python bench/bitmaps.py [rounds]
On a database filled by `manage.py generate_cases N`. Prints the index's build time and size,
then p50/p95 of `CASES.search` for no filter, two facets and four facets: uncached with the index
built, the first search after an edit of one case (the index refreshed), the first after a bump
with no known change (the index rebuilt), and the former SQL computation.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collanavi.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402

from cases.models import Case  # noqa: E402
from cases.selectors import CASES  # noqa: E402
from directory.selectors import ORGANIZATIONS  # noqa: E402
from kernel import bitmaps, catalogue, feed  # noqa: E402
from partners.models import Organization  # noqa: E402
from tests.cases.test_bitmaps import _sql_search  # noqa: E402

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
rnd = random.Random(7)
uncached = catalogue.cached


def cached_but_searches(name, key, compute):
    searches = ("cases-search", "organizations-search")
    return compute() if name in searches else uncached(name, key, compute)


catalogue.cached = cached_but_searches  # every search computed, the index kept


def params(facets: int) -> dict:
    choices = CASES.choices()
    names = rnd.sample(["domain", "partner", "method", "budget", "area", "year"], facets)
    found = {name: [rnd.choice(choices[name])[0]] for name in names}
    return {**found, "sort": rnd.choice(list(CASES.sorts)), "page": str(rnd.randint(1, 3))}


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def row(label: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(len(times) * 0.95) - 1)]
    print(f"{label:<44} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")


def main() -> None:
    published = list(Case.objects.published().values_list("pk", flat=True))
    print(f"{len(published)} published cases, {os.environ.get('DATABASE_URL', 'sqlite')}")
    cache.clear()
    bitmaps._held.clear()
    CASES.choices()
    build = timed(CASES.index)
    data = CASES.index().to_bytes()
    load = timed(lambda: bitmaps.FacetIndex.from_bytes(data))
    print(f"build {build:.0f} ms, {len(data) / 1e6:.2f} MB, from bytes {load:.1f} ms")

    for facets in (0, 2, 4):
        combos = [params(facets) for _ in range(ROUNDS)]
        row(
            f"{facets} facets, uncached",
            [timed(lambda p=p: CASES.search(p)) for p in combos],
        )

        def after_edit(p) -> float:
            case = Case.objects.get(pk=rnd.choice(published))
            case.budget = rnd.choice([None, 300_000, 2_000_000])
            case.save(update_fields=["budget"])
            return timed(lambda: CASES.search(p))

        row(f"{facets} facets, first after an edit", [after_edit(p) for p in combos])

        def after_guide_edit(p) -> float:
            feed.record({"guidepage:0"})  # a change the index does not follow
            return timed(lambda: CASES.search(p))

        row(f"{facets} facets, first after a guide edit", [after_guide_edit(p) for p in combos[:5]])
        sql = [timed(lambda p=p: CASES.in_order(_sql_search(p)["ids"])) for p in combos[:10]]
        row(f"{facets} facets, former SQL", sql)

    build = timed(ORGANIZATIONS.index)
    print(f"organization directory: index built in {build:.0f} ms")
    kinds = [{"kind": [k], "page": str(rnd.randint(1, 3))} for k in Organization.Kind.values]
    row("directory, uncached", [timed(lambda p=p: ORGANIZATIONS.search(p)) for p in kinds])

    def directory_after_edit(p) -> float:
        case = Case.objects.get(pk=rnd.choice(published))
        case.lead_organization = Organization.objects.order_by("?").first()
        case.save(update_fields=["lead_organization"])
        return timed(lambda: ORGANIZATIONS.search(p))

    row("directory, first after a lead changed", [directory_after_edit(p) for p in kinds])


if __name__ == "__main__":
    main()
