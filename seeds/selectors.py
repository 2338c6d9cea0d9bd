"""Reads of seeds: the board, a seed's page, the lists other pages show; matches: matching.py."""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.http import Http404, QueryDict

from cases.models import Case
from directory.selectors import listed
from kernel import bitmaps, catalogue, facets
from kernel.facets import Chip, Facet, as_query_dict, chips
from partners.models import Organization
from seeds.filters import SEED_FACETS, SeedFilter
from seeds.models import Seed, SeedQuerySet, StatusChange

PAGE_SIZE = 20
NO_DEADLINE = datetime.date.max.toordinal() + 1  # after every date: last when soonest first
SORTS = {
    "new": ("新着順", (("approved_on", True), ("pk", True))),
    "deadline": ("募集期限の近い順", (("deadline", False), ("pk", True))),
}
DEFAULT_SORT = "new"


@dataclass
class BoardResult:
    page: Page
    total: int
    facets: list[Facet]
    chips: list[Chip]
    query: str
    sort: str
    notices: list[str] = field(default_factory=list)
    cache_key: str = ""

    @property
    def sorts(self) -> list[tuple[str, str]]:
        return [(key, label) for key, (label, _) in SORTS.items()]


def with_card_data(qs: SeedQuerySet) -> SeedQuerySet:
    return (
        qs.select_related("area", "organization")
        .prefetch_related("domains")
        .defer("search_text", "staff_notes", "organization__search_text")
    )


def seeds_in_order(ids: list[int]) -> list[Seed]:
    by_pk = with_card_data(Seed.objects.filter(pk__in=ids)).in_bulk()
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _choices() -> dict[str, list]:
    return facets.options("seeds", SEED_FACETS)


def _seed_filter(params: QueryDict) -> tuple[SeedFilter, dict]:
    choices = _choices()
    return SeedFilter(params, queryset=Seed.objects.public(), choices=choices), choices


def canonical_query(params: QueryDict) -> list[tuple[str, str]]:
    """The parameters of a board search that change its results (for one cache entry each)."""
    filterset, _ = _seed_filter(params)
    return facets.canonical(filterset, params, sort=lambda v: v in SORTS, page=facets.page_number)


def matching_seeds(params: QueryDict | dict) -> SeedQuerySet:
    """Approved seeds that match the board's parameters, newest first (feeds, open data)."""
    filterset, _ = _seed_filter(as_query_dict(params))
    return filterset.filter_except(filterset.queryset, exclude=None).order_by("-approved_on", "-pk")


def search_seeds(params: QueryDict | dict) -> BoardResult:
    """Approved seeds matching the GET parameters, one page of them, and the facet counts."""
    params = as_query_dict(params)
    filterset, choices = _seed_filter(params)
    query, sort, notices = facets.keyword_and_sort(filterset, params, SORTS, DEFAULT_SORT)

    def search() -> dict:
        return facets.faceted_search(
            seed_index(choices),
            SEED_FACETS,
            filterset,
            choices,
            order=sort,
            page=params.get("page"),
            per_page=PAGE_SIZE,
        )

    key = (sorted(filterset.form.cleaned_data.items()), sort, params.get("page"))
    found = catalogue.cached("seed-search", key, search)
    page = Paginator(range(found["total"]), PAGE_SIZE).get_page(found["page"])
    page.object_list = seeds_in_order(found["ids"])
    return BoardResult(
        page=page,
        total=found["total"],
        facets=found["facets"],
        chips=chips(params, query, found["facets"]),
        query=query,
        sort=sort,
        notices=notices,
        cache_key=catalogue.key_for((sorted(filterset.form.cleaned_data.items()), sort)),
    )


def seed_index(choices: dict[str, list] | None = None) -> bitmaps.FacetIndex:
    """The bitmaps of the approved seeds for the current catalogue version."""
    choices = choices or _choices()
    orders = {name: order for name, (_, order) in SORTS.items()}

    def build() -> bitmaps.FacetIndex:
        return bitmaps.FacetIndex.build(_index_rows(Seed.objects.public(), choices), orders)

    def refresh(index: bitmaps.FacetIndex, changes: set[str]) -> bitmaps.FacetIndex:
        changed = catalogue.named(changes, "seed")
        rows = _index_rows(Seed.objects.public().filter(pk__any_of=changed), choices)
        return index.refreshed(changed, rows)

    return bitmaps.current("seeds", None, build, refresh)


def _index_rows(seeds: SeedQuerySet, choices: dict[str, list]) -> bitmaps.Rows:
    ids, pks, approved, deadline = [], {}, {}, {}
    for pk, approved_on, until in seeds.values_list("pk", "approved_on", "deadline"):
        ids.append(pk)
        pks[pk] = pk
        approved[pk] = approved_on.toordinal() if approved_on else bitmaps.NULL
        deadline[pk] = until.toordinal() if until else NO_DEADLINE
    return bitmaps.Rows(
        ids=ids,
        facets=facets.index_members(seeds, SEED_FACETS, choices),
        columns={"pk": pks, "approved_on": approved, "deadline": deadline},
    )


def seed_for_viewer(pk: int, *, preview: bool) -> Seed:
    """An approved seed; staff may preview the others."""
    qs = Seed.objects.all() if preview else Seed.objects.public()
    seed = (
        qs.select_related("area", "organization", "case")
        .prefetch_related("domains")
        .filter(pk=pk)
        .first()
    )
    if seed is None:
        raise Http404("協働の種が見つかりません")
    return seed


@dataclass
class Step:
    label: str
    date: datetime.date | None
    current: bool
    reached: bool


def timeline(seed: Seed) -> list[Step]:
    """募集中 → 相談中 → 協議中 → 実践中 → 事例化 or 終了, with the date each was last reached.

    Notes are staff-only and never read here."""
    reached: dict[str, datetime.date] = {}
    for to, date in StatusChange.objects.filter(seed=seed).values_list("to_status", "date"):
        reached[to] = date
    if not reached and seed.approved_on:
        reached[Seed.Status.OPEN] = seed.approved_on
    order = [
        Seed.Status.OPEN,
        Seed.Status.CONSULTING,
        Seed.Status.DISCUSSING,
        Seed.Status.PRACTICING,
    ]
    order.append(Seed.Status.CLOSED if seed.status == Seed.Status.CLOSED else Seed.Status.CASE)
    position = order.index(seed.status)
    return [
        Step(
            Seed.Status(status).label,
            reached.get(status) if i <= position else None,
            i == position,
            i <= position,
        )
        for i, status in enumerate(order)
    ]


def public_case(seed: Seed) -> Case | None:
    """The case that came of the seed, once it is published."""
    case = seed.case
    return case if case is not None and case.is_published else None


def poster_page(seed: Seed) -> Organization | None:
    """The poster's organization, when the directory lists it (its page would 404 otherwise)."""
    if seed.organization_id is None:
        return None
    return listed().filter(pk=seed.organization_id).first()


def newest_open_seeds(limit: int = 3) -> list[Seed]:
    """For the top page: the newest approved seeds still at 募集中."""
    qs = Seed.objects.public().filter(status=Seed.Status.OPEN).order_by("-approved_on", "-pk")
    return list(with_card_data(qs)[:limit])


def organization_seeds(organization: Organization) -> list[Seed]:
    """An organization's approved seeds and menus that still look for partners."""
    qs = Seed.objects.public().seeking().filter(organization=organization)
    return list(with_card_data(qs.order_by("-approved_on", "-pk"))[:20])


def poster_seeds(name: str) -> tuple[list[Seed], list[Seed]]:
    """A department's (or a group's named) approved seeds and menus: those still looking for
    partners, and the rest (in practice, made a case, closed); newest first, 50 of each."""
    qs = with_card_data(Seed.objects.public().filter(poster_name=name)).order_by(
        "-approved_on", "-pk"
    )
    seeking = list(qs.filter(status__in=Seed.SEEKING)[:50])
    return seeking, list(qs.exclude(status__in=Seed.SEEKING)[:50])
