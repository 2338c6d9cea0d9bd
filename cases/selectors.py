"""Reads of cases: the faceted search, a case page, the top page."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, F, Max, Min, Prefetch, Q, Value, When
from django.http import Http404, QueryDict
from django.utils import timezone

from cases.filters import CaseFilter
from cases.models import (
    BudgetBand,
    Case,
    CasePartner,
    CaseQuerySet,
    Domain,
    Method,
    Photo,
    active_in_year_q,
)
from collanavi import catalogue
from collanavi.facets import Chip, Facet, as_query_dict, chips, facet
from collanavi.lib.text import MAX_QUERY_LENGTH
from partners.models import KIND_TO_PARTNER_TYPE, Area, PartnerType

PAGE_SIZE = 20

SORTS = {
    "new": ("新着順", [F("published_on").desc(nulls_last=True), "-number"]),
    "number": ("事例No.順", ["number"]),
    "budget": ("事業費の大きい順", [F("budget").desc(nulls_last=True), "-number"]),
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
        return [(key, label) for key, (label, _) in SORTS.items()]


def fiscal_year(today=None) -> int:
    """Japanese fiscal years start in April."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def with_card_data(qs: CaseQuerySet) -> CaseQuerySet:
    """What a result card shows, in a fixed number of queries."""
    return qs.select_related("area", "lead_organization").prefetch_related(
        "domains",
        "methods",
        Prefetch("partners", CasePartner.objects.select_related("organization")),
        "photos",
    )


def _year_choices() -> list[tuple[str, str]]:
    bounds = Case.objects.published().aggregate(first=Min("start_year"), last=Max("start_year"))
    last = max(fiscal_year(), bounds["last"] or 0)
    first = bounds["first"] or last
    return [(str(y), f"{y}年度") for y in range(last, first - 1, -1)]


def _case_filter(params: QueryDict) -> tuple[CaseFilter, dict[str, list]]:
    """The search's filters over published cases, with each facet's possible values."""

    def compute() -> dict[str, list]:
        return {
            "domain": [(str(d.pk), d.name) for d in Domain.objects.all()],
            "method": [(str(m.pk), m.name) for m in Method.objects.all()],
            "area": [(str(a.pk), a.name) for a in Area.objects.all()],
            "year": _year_choices(),
        }

    choices = catalogue.cached("case-facet-choices", fiscal_year(), compute)
    return CaseFilter(params, queryset=Case.objects.published(), choices=choices), choices


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

    notices = []
    query = (filterset.form.cleaned_data.get("q") or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH]
        notices.append(f"キーワードが長すぎるため、先頭の{MAX_QUERY_LENGTH}文字で検索しました。")
    sort = params.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT

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
    base = filterset.queryset
    results = filterset.filter_except(base, exclude=None).order_by(*SORTS[sort][1])
    paginator = Paginator(results.values_list("pk", flat=True), PAGE_SIZE)
    page = paginator.get_page(params.get("page"))

    def counted(name: str, label: str, options, counts: dict) -> Facet:
        return facet(name, label, options, counts, filterset.selected(name))

    def others(name: str) -> CaseQuerySet:
        return filterset.filter_except(base, exclude=name)

    domain_counts = _through_counts(Case.domains.through, "domain_id", others("domain"))
    method_counts = _through_counts(Case.methods.through, "method_id", others("method"))
    area_counts = {
        str(row["area_id"]): row["n"]
        for row in others("area").order_by().values("area_id").annotate(n=Count("pk"))
    }
    partner_counts = _partner_type_counts(others("partner"))
    budget_counts = others("budget").aggregate(
        **{band.value: Count("pk", filter=band.condition) for band in BudgetBand}
    )
    year_counts = others("year").aggregate(
        **{f"y{y}": Count("pk", filter=active_in_year_q(int(y))) for y, _ in choices["year"]}
    )
    years = {y: year_counts[f"y{y}"] for y, _ in choices["year"]}
    return {
        "total": paginator.count,
        "page": page.number,
        "ids": list(page.object_list),
        "facets": [
            counted("domain", "活動分野", choices["domain"], domain_counts),
            counted("partner", "協働パートナーの種別", PartnerType.choices, partner_counts),
            counted("method", "事業の手法", choices["method"], method_counts),
            counted("budget", "事業費", BudgetBand.choices, budget_counts),
            counted("area", "地域", choices["area"], area_counts),
            counted("year", "実施年度", choices["year"], years),
        ],
    }


def _partner_type_counts(cases: CaseQuerySet) -> dict[str, int]:
    """Cases per partner type, in one pass over the partner rows of these cases."""
    partner_type = models.Case(
        *[When(organization__kind=kind, then=Value(t)) for kind, t in KIND_TO_PARTNER_TYPE.items()]
    )
    rows = (
        CasePartner.objects.filter(case__in=cases.order_by().values("pk"))
        .annotate(partner_type=partner_type)
        .values("partner_type")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    return {row["partner_type"]: row["n"] for row in rows if row["partner_type"]}


def _through_counts(through, column: str, cases: CaseQuerySet) -> dict[str, int]:
    rows = (
        through.objects.filter(case__in=cases.order_by().values("pk"))
        .values(column)
        .annotate(n=Count("case_id"))
        .order_by()
    )
    return {str(row[column]): row["n"] for row in rows}


def newest_cases(limit: int = 6, exclude: list[int] = ()) -> list[Case]:
    qs = Case.objects.published().exclude(pk__in=exclude).order_by(*SORTS["new"][1])
    return list(with_card_data(qs)[:limit])


def featured_cases(limit: int = 3) -> list[Case]:
    qs = Case.objects.published().filter(featured=True).order_by(*SORTS["new"][1])
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
        "lead_organization__records",
    )
    case = qs.filter(number=number).first()
    if case is None:
        raise Http404("事例が見つかりません")
    return case


def related_cases(case: Case, limit: int = 4) -> list[Case]:
    """Published cases sharing a domain and a method with this one, then either, newest first."""
    ids = catalogue.cached("related-cases", (case.pk, limit), lambda: _related_ids(case, limit))
    return cases_in_order(ids)


def _related_ids(case: Case, limit: int) -> list[int]:
    domain_ids = [d.pk for d in case.domains.all()]
    method_ids = [m.pk for m in case.methods.all()]
    others = Case.objects.published().exclude(pk=case.pk).order_by(*SORTS["new"][1])
    found = list(others.in_domains(domain_ids).with_methods(method_ids)[:limit])
    if len(found) < limit:
        either = others.filter(
            Q(pk__in=Case.domains.through.objects.filter(domain__in=domain_ids).values("case_id"))
            | Q(pk__in=Case.methods.through.objects.filter(method__in=method_ids).values("case_id"))
        ).exclude(pk__in=[c.pk for c in found])
        found += list(either[: limit - len(found)])
    return [c.pk for c in found]


def cases_by_numbers(numbers: list[int], *, prefetch=None) -> tuple[list[Case], list[int]]:
    """The published cases with these numbers, in that order, and the numbers left out."""
    prefetch = prefetch or with_card_data
    found = {c.number: c for c in prefetch(Case.objects.published().filter(number__in=numbers))}
    return [found[n] for n in numbers if n in found], [n for n in numbers if n not in found]
