"""Reads of cases: the faceted search, a case page, the top page."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F, Max, Prefetch
from django.http import Http404, QueryDict
from pyroaring import BitMap

from cases.filters import CASE_FACETS, CaseFilter, fiscal_year
from cases.models import Case, CasePartner, CaseQuerySet, Photo
from kernel import bitmaps, catalogue, facets
from kernel.facets import Chip, Facet, as_query_dict, chips

PAGE_SIZE = 20


@dataclass(frozen=True)
class Sort:
    label: str
    order_by: list  # for SQL
    key: bitmaps.Order  # the same order over the bitmap index's columns


SORTS = {
    "new": Sort(
        "新着順",
        [F("published_on").desc(nulls_last=True), "-number"],
        (("published_on", True), ("number", True)),
    ),
    "number": Sort("事例No.順", ["number"], (("number", False),)),
    "budget": Sort(
        "事業費の大きい順",
        [F("budget").desc(nulls_last=True), "-number"],
        (("budget", True), ("number", True)),
    ),
}
DEFAULT_SORT = "new"


@dataclass
class SearchResult:
    page: Page
    total: int
    facets: list[Facet]
    chips: list[Chip]
    query: str
    sort: str
    notices: list[str] = field(default_factory=list)
    cache_key: str = ""  # names the rendered facet form in the fragment cache

    @property
    def sorts(self) -> list[tuple[str, str]]:
        return [(key, sort.label) for key, sort in SORTS.items()]


def with_card_data(qs: CaseQuerySet) -> CaseQuerySet:
    """What a result card shows, in a fixed number of queries: of the partners only their
    kind (the card's partner types), none of the organizations' long texts."""
    partners = CasePartner.objects.select_related("organization").only(
        "case_id", "order", "organization__kind"
    )
    return qs.select_related("area", "lead_organization").prefetch_related(
        "domains", Prefetch("partners", partners), "photos", "awards"
    )


def with_full_data(qs: CaseQuerySet) -> CaseQuerySet:
    """Everything a case's page or PDF shows of its taxonomies and partners."""
    return qs.select_related("area", "lead_organization").prefetch_related(
        "domains",
        "methods",
        Prefetch("partners", CasePartner.objects.select_related("organization")),
        "photos",
        "awards",
    )


def _choices() -> dict[str, list]:
    """Each facet's options, read once per catalogue version (and fiscal year)."""
    return facets.options("cases", CASE_FACETS, fiscal_year())


def _case_filter(params: QueryDict) -> tuple[CaseFilter, dict[str, list]]:
    """The search's filters over published cases, with each facet's possible values."""
    choices = _choices()
    return CaseFilter(params, queryset=Case.objects.published(), choices=choices), choices


def canonical_query(params: QueryDict) -> list[tuple[str, str]]:
    """The parameters of a case search that change its results (for one cache entry each)."""
    filterset, _ = _case_filter(params)
    return facets.canonical(filterset, params, sort=lambda v: v in SORTS, page=facets.page_number)


def matching_cases(params: QueryDict | dict) -> CaseQuerySet:
    """Published cases that match the search parameters, in 事例No. order (open data)."""
    filterset, _ = _case_filter(as_query_dict(params))
    return filterset.filter_except(filterset.queryset, exclude=None).order_by("number")


def search_cases(params: QueryDict | dict) -> SearchResult:
    """Published cases matching the GET parameters, one page of them, and the facet counts.

    The counts and the page's case numbers are cached until the catalogue changes.
    """
    params = as_query_dict(params)
    filterset, choices = _case_filter(params)
    query, sort, notices = facets.keyword_and_sort(filterset, params, SORTS, DEFAULT_SORT)

    key = (sorted(filterset.form.cleaned_data.items()), sort, params.get("page"))
    found = catalogue.cached("case-search", key, lambda: _search(filterset, choices, sort, params))
    facets_key = catalogue.key_for((sorted(filterset.form.cleaned_data.items()), sort))
    paginator = Paginator(range(found["total"]), PAGE_SIZE)
    page = paginator.get_page(found["page"])
    page.object_list = cases_in_order(found["ids"])
    return SearchResult(
        page=page,
        total=found["total"],
        facets=found["facets"],
        chips=chips(params, query, found["facets"]),
        query=query,
        sort=sort,
        notices=notices,
        cache_key=facets_key,
    )


def catalogue_facets() -> tuple[int, list[Facet]]:
    """The number of published cases and every facet's counts, exactly as /cases/ shows them
    unfiltered (the same cached search)."""
    params = QueryDict()
    filterset, choices = _case_filter(params)
    key = (sorted(filterset.form.cleaned_data.items()), DEFAULT_SORT, None)
    found = catalogue.cached(
        "case-search", key, lambda: _search(filterset, choices, DEFAULT_SORT, params)
    )
    return found["total"], found["facets"]


# Long texts a result card never shows: not loaded for cards.
CARD_DEFERRED = [
    "search_text", "background", "activities", "lead_role", "outcomes", "tips", "future_plans",
    "lead_organization__search_text", "lead_organization__mission",
    "lead_organization__activities",
]  # fmt: skip


def cases_in_order(ids: list[int]) -> list[Case]:
    """Cards for these cases, in this order, in a fixed number of queries."""
    cards = with_card_data(Case.objects.filter(pk__in=ids)).defer(*CARD_DEFERRED)
    by_pk = {c.pk: c for c in cards}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _search(filterset: CaseFilter, choices: dict, sort: str, params: QueryDict) -> dict:
    return facets.faceted_search(
        case_index(choices),
        CASE_FACETS,
        filterset,
        choices,
        order=sort,
        page=params.get("page"),
        per_page=PAGE_SIZE,
    )


def case_index(choices: dict[str, list] | None = None) -> bitmaps.FacetIndex:
    """The bitmaps of the published cases for the current catalogue version."""
    choices = choices or _choices()
    last_year = choices["year"][0][0]  # ongoing cases count up to it: a new one means a rebuild
    orders = {name: sort.key for name, sort in SORTS.items()}

    def build() -> bitmaps.FacetIndex:
        return bitmaps.FacetIndex.build(
            _index_rows(Case.objects.published(), choices), orders, last_year
        )

    def refresh(index: bitmaps.FacetIndex, changes: set[str]) -> bitmaps.FacetIndex:
        cases = catalogue.named(changes, "case")
        organizations = catalogue.named(changes, "organization")
        # an organization's kind is the partner type of the cases it partners in; ids first,
        # as an OR with a subquery would make PostgreSQL scan every case
        partnered = CasePartner.objects.filter(organization__in=organizations)
        cases = sorted({*cases, *partnered.values_list("case_id", flat=True)})
        rows = _index_rows(Case.objects.published().filter(pk__any_of=cases), choices)
        return index.refreshed([*cases, *rows.ids], rows)

    return bitmaps.current("cases", last_year, build, refresh)


def _index_rows(cases: CaseQuerySet, choices: dict[str, list]) -> bitmaps.Rows:
    cases = cases.order_by()  # the index sorts for itself: no sort in the database
    ids, number, published, budget = [], {}, {}, {}
    for pk, n, published_on, amount in cases.values_list("pk", "number", "published_on", "budget"):
        ids.append(pk)
        number[pk] = n
        published[pk] = published_on.toordinal() if published_on else bitmaps.NULL
        budget[pk] = bitmaps.NULL if amount is None else amount
    return bitmaps.Rows(
        ids=ids,
        facets=facets.index_members(cases, CASE_FACETS, choices),
        columns={"number": number, "published_on": published, "budget": budget},
    )


def newest_cases(limit: int = 6, exclude: list[int] = ()) -> list[Case]:
    qs = Case.objects.published().exclude(pk__in=exclude).order_by(*SORTS["new"].order_by)
    return list(with_card_data(qs)[:limit])


def featured_cases(limit: int = 3) -> list[Case]:
    qs = Case.objects.published().filter(featured=True).order_by(*SORTS["new"].order_by)
    return list(with_card_data(qs)[:limit])


def award_cases(limit: int = 3) -> list[Case]:
    """Published cases that received an award, the most recent award first."""
    qs = (
        Case.objects.published()
        .with_awards()
        .annotate(last_award=Max("awards__year"))
        .order_by("-last_award", *SORTS["new"].order_by)
    )
    return list(with_card_data(qs)[:limit])


def case_for_viewer(number: int, *, preview: bool) -> Case:
    """A published case; staff may preview drafts and archived ones."""
    qs = Case.objects.all() if preview else Case.objects.published()
    qs = qs.select_related("area", "lead_organization", "lead_organization__area")
    qs = qs.prefetch_related(
        "domains",
        "methods",
        "schedule",
        Prefetch("partners", CasePartner.objects.select_related("organization")),
        Prefetch("photos", Photo.objects.all()),
        "awards",
        "lead_organization__records",
    )
    case = qs.filter(number=number).first()
    if case is None:
        raise Http404("事例が見つかりません")
    return case


def archived_case(number: int) -> Case | None:
    """An archived case, for the page saying its listing has ended (drafts stay unknown)."""
    return (
        Case.objects.filter(number=number, status=Case.Status.ARCHIVED)
        .select_related("area")
        .prefetch_related("domains", "methods")
        .first()
    )


def related_cases(case: Case, limit: int = 4) -> list[Case]:
    """Published cases sharing a domain and a method with this one, then either, newest first."""
    ids = catalogue.cached("related-cases", (case.pk, limit), lambda: _related_ids(case, limit))
    return cases_in_order(ids)


def _related_ids(case: Case, limit: int) -> list[int]:
    index = case_index()
    domains = index.union("domain", [str(d.pk) for d in case.domains.all()])
    methods = index.union("method", [str(m.pk) for m in case.methods.all()])
    others = index.universe - BitMap([case.pk])
    found = index.page(others & domains & methods, "new", 0, limit)
    if len(found) < limit:
        either = (others & (domains | methods)) - BitMap(found)
        found += index.page(either, "new", 0, limit - len(found))
    return found


def cases_by_numbers(numbers: list[int], *, prefetch=None) -> tuple[list[Case], list[int]]:
    """The published cases with these numbers, in that order, and the numbers left out."""
    prefetch = prefetch or with_card_data
    found = {c.number: c for c in prefetch(Case.objects.published().filter(number__in=numbers))}
    return [found[n] for n in numbers if n in found], [n for n in numbers if n not in found]
