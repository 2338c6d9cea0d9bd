"""The case search's facets, each declared once, and what each GET parameter means."""

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Award, BudgetBand, Case, CasePartner, CaseQuerySet, Domain, Method
from kernel import prepared
from kernel.facets import FacetSpec
from lib.years import fiscal_year_of
from partners.models import KIND_TO_PARTNER_TYPE, Area, PartnerType


def fiscal_year(today=None) -> int:
    """Japanese fiscal years start in April."""
    return fiscal_year_of(today or timezone.localdate())


def year_choices() -> list[tuple[str, str]]:
    """From this fiscal year (or the latest start) back to the earliest start of a case."""
    # Two reads of the (status, start_year) index: MIN and MAX in one query scan its range.
    starts = [
        prepared.fixed(f"cases:{end}-start", lambda order=order: _starts().order_by(order)[:1])
        for end, order in (("latest", "-start_year"), ("earliest", "start_year"))
    ]
    latest, earliest = [found[0][0] if found else None for found in starts]
    last = max(fiscal_year(), latest or 0)
    first = earliest or last
    return [(str(y), f"{y}年度") for y in range(last, first - 1, -1)]


def _starts() -> QuerySet:
    return Case.objects.published().values_list("start_year")


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values]


def _linked(through, column: str):
    def members(cases: CaseQuerySet) -> QuerySet:
        return through.objects.filter(case__in=cases.values("pk")).values_list("case_id", column)

    return members


def _partner_members(cases: CaseQuerySet) -> QuerySet:
    partners = CasePartner.objects.filter(case__in=cases.values("pk"))
    return partners.values_list("case_id", "organization__kind")


def _partner_types(options: dict, kind: str) -> tuple[str, ...]:
    return (KIND_TO_PARTNER_TYPE[kind],) if kind in KIND_TO_PARTNER_TYPE else ()


AWARDED = "yes"


def _award_members(cases: CaseQuerySet) -> QuerySet:
    return Award.objects.filter(case__in=cases.values("pk")).values_list("case_id", "case_id")


def _years(options: dict, start: int, end: int | None) -> list[str]:
    """A case is in every fiscal year from its start to its end; an ongoing one up to the
    latest year offered."""
    last = int(options["year"][0][0])
    return [str(year) for year in range(start, min(last, end if end is not None else last) + 1)]


CASE_FACETS = [
    FacetSpec(
        "domain",
        "活動分野",
        options=lambda: [(str(d.pk), d.name) for d in Domain.objects.all()],
        reads=("domain",),
        filter=lambda qs, values: qs.in_domains(_ints(values)),
        members=_linked(Case.domains.through, "domain_id"),
    ),
    FacetSpec(
        "partner",
        "協働パートナーの種別",
        options=lambda: PartnerType.choices,
        filter=lambda qs, values: qs.with_partner_types(values),
        members=_partner_members,
        values=_partner_types,
    ),
    FacetSpec(
        "method",
        "事業の手法",
        options=lambda: [(str(m.pk), m.name) for m in Method.objects.all()],
        reads=("method",),
        filter=lambda qs, values: qs.with_methods(_ints(values)),
        members=_linked(Case.methods.through, "method_id"),
    ),
    FacetSpec(
        "award",
        "表彰事例",
        options=lambda: [(AWARDED, "表彰を受けた事例")],
        filter=lambda qs, values: qs.with_awards() if AWARDED in values else qs,
        members=_award_members,
        values=lambda options, case: (AWARDED,),
    ),
    FacetSpec(
        "budget",
        "事業費",
        options=lambda: BudgetBand.choices,
        filter=lambda qs, values: qs.in_budget_bands(values),
        fields=("budget",),
        values=lambda options, budget: (BudgetBand.of(budget).value,),
    ),
    FacetSpec(
        "area",
        "地域",
        options=lambda: [(str(a.pk), a.name) for a in Area.objects.all()],
        reads=("area",),
        filter=lambda qs, values: qs.in_areas(_ints(values)),
        fields=("area_id",),
    ),
    FacetSpec(
        "year",
        "実施年度",
        options=year_choices,
        reads=("case",),
        filter=lambda qs, values: qs.active_in_years(_ints(values)),
        fields=("start_year", "end_year"),
        values=_years,
    ),
]
