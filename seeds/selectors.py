"""Reads of seeds: the board, a seed's page with its matches, and the lists other pages show."""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.http import Http404, QueryDict
from pyroaring import BitMap

from cases.models import Case
from cases.selectors import case_index, cases_in_order
from directory.selectors import listed
from kernel import bitmaps, catalogue, facets
from kernel.facets import Chip, Facet, as_query_dict, chips
from lib.text import keyword_terms
from partners.models import Organization
from seeds.filters import SEED_FACETS, SeedFilter
from seeds.models import Resource, Seed, SeedQuerySet, StatusChange

PAGE_SIZE = 20
NO_DEADLINE = datetime.date.max.toordinal() + 1  # after every date: last when soonest first
SORTS = {
    "new": ("新着順", (("approved_on", True), ("pk", True))),
    "deadline": ("募集期限の近い順", (("deadline", False), ("pk", True))),
}
DEFAULT_SORT = "new"
MAX_KEYWORDS = 5
SAME_DOMAIN, SAME_AREA = "同じ分野", "同じ地域"


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


@dataclass
class Match:
    """A case or seed shown beside a seed, with why it was chosen."""

    item: object
    reasons: list[str]


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


def _keyword_sets(model, seed: Seed) -> list[tuple[str, BitMap]]:
    """Per keyword of the seed, the rows (any status) whose text holds it."""
    words = seed.keywords.replace("、", " ").split()[:MAX_KEYWORDS]
    found = []
    for word in words:
        terms = keyword_terms(word)
        if terms:
            found.append((word, BitMap(catalogue.matching_keys(model, terms))))
    return found


def _ranked(index, candidates: BitMap, tiers: list[BitMap], order: str, limit: int) -> list[int]:
    """Up to `limit` ids of the candidates, the best tier first, newest first within a tier."""
    found: list[int] = []
    for tier in [*tiers, candidates]:
        rest = (candidates & tier) - BitMap(found)
        found += index.page(rest, order, 0, limit - len(found))
        if len(found) >= limit:
            break
    return found


def _reasons(pk: int, domain: BitMap, area: BitMap, words: list[tuple[str, BitMap]]):
    reasons = []
    if pk in domain:
        reasons.append(SAME_DOMAIN)
    if pk in area:
        reasons.append(SAME_AREA)
    reasons += [f"キーワード「{word}」" for word, rows in words if pk in rows]
    return reasons


def similar_cases(seed: Seed, limit: int = 4) -> list[Match]:
    """Published cases on the seed's theme: the same 活動分野 or one of its keywords, those
    also in its area first; each with the reasons it matched."""

    def compute() -> list[tuple[int, list[str]]]:
        index = case_index()
        domain = index.union("domain", [str(d.pk) for d in seed.domains.all()])
        area = index.union("area", [str(seed.area_id)])
        words = _keyword_sets(Case, seed)
        keyword = BitMap.union(*[rows for _, rows in words]) if words else BitMap()
        candidates = index.universe & (domain | keyword)
        tiers = [domain & keyword & area, domain & keyword, (domain | keyword) & area]
        ids = _ranked(index, candidates, tiers, "new", limit)
        return [(pk, _reasons(pk, domain, area, words)) for pk in ids]

    found = catalogue.cached("seed-similar-cases", (seed.pk, limit), compute)
    cases = cases_in_order([pk for pk, _ in found])
    reasons = dict(found)
    return [Match(case, reasons[case.pk]) for case in cases]


COMPLEMENTS = {
    Seed.Kind.WISH: [Seed.Kind.OFFER, Seed.Kind.MENU],
    Seed.Kind.OFFER: [Seed.Kind.WISH, Seed.Kind.MENU],
    Seed.Kind.MENU: [Seed.Kind.WISH, Seed.Kind.OFFER],
}


def complementary_seeds(seed: Seed, limit: int = 4) -> list[Match]:
    """Approved seeds still looking for partners, in the same 活動分野, that offer what this
    one wants or want what it offers (a department's need beside groups' offers, and the
    reverse); those also in its area first. Each with the reasons it matched."""

    def compute() -> list[tuple[int, list[str]]]:
        index = seed_index()
        domain = index.union("domain", [str(d.pk) for d in seed.domains.all()])
        area = index.union("area", [str(seed.area_id)])
        seeking = index.union("status", [str(s) for s in Seed.SEEKING])
        other_kinds = index.union("kind", [str(k) for k in COMPLEMENTS[seed.kind]])
        gives = {r: index.union("offer", [r]) for r in seed.resources_wanted}
        takes = {r: index.union("want", [r]) for r in seed.resources_offered}
        fits = BitMap.union(*gives.values(), *takes.values()) if gives or takes else BitMap()
        words = _keyword_sets(Seed, seed)
        keyword = BitMap.union(*[rows for _, rows in words]) if words else BitMap()
        candidates = (index.universe & seeking & domain & (fits | other_kinds)) - BitMap([seed.pk])
        tiers = [fits & other_kinds & area, fits & area, fits & keyword, fits]
        ids = _ranked(index, candidates, tiers, "new", limit)
        labels = dict(Resource.choices)
        result = []
        for pk in ids:
            reasons = _reasons(pk, domain, area, words)
            reasons += [f"「{labels[r]}」を提供できる" for r, rows in gives.items() if pk in rows]
            reasons += [f"「{labels[r]}」を求めている" for r, rows in takes.items() if pk in rows]
            result.append((pk, reasons))
        return result

    found = catalogue.cached("seed-complements", (seed.pk, limit), compute)
    reasons = dict(found)
    return [Match(s, reasons[s.pk]) for s in seeds_in_order([pk for pk, _ in found])]


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


def seeds_on_theme(case: Case, limit: int = 3) -> list[Seed]:
    """Approved seeds looking for partners in one of the case's 活動分野, newest first."""

    def compute() -> list[int]:
        index = seed_index()
        domains = index.union("domain", [str(d.pk) for d in case.domains.all()])
        seeking = index.union("status", [str(s) for s in Seed.SEEKING])
        area = index.union("area", [str(case.area_id)])
        candidates = index.universe & domains & seeking
        return _ranked(index, candidates, [candidates & area], "new", limit)

    return seeds_in_order(catalogue.cached("case-seeds", (case.pk, limit), compute))
