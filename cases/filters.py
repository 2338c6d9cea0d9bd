"""The case search's filters: what each GET parameter means."""

import django_filters

from cases.models import BudgetBand, CaseQuerySet
from collanavi.facets import FacetFilter, FacetFilterSet
from collanavi.lib.text import keyword_terms
from partners.models import PartnerType


class CaseFilter(FacetFilterSet):
    """Keyword and facets; values within a facet are OR-ed, facets are AND-ed."""

    q = django_filters.CharFilter(method="filter_keyword", label="キーワード")
    domain = FacetFilter(method="filter_domain", label="活動分野")
    partner = FacetFilter(
        method="filter_partner", label="協働パートナーの種別", choices=PartnerType.choices
    )
    method = FacetFilter(method="filter_method", label="事業の手法")
    budget = FacetFilter(method="filter_budget", label="事業費", choices=BudgetBand.choices)
    area = FacetFilter(method="filter_area", label="地域")
    year = FacetFilter(method="filter_year", label="実施年度")

    def filter_keyword(self, qs: CaseQuerySet, name: str, value: str) -> CaseQuerySet:
        return qs.matching(keyword_terms(value))

    def filter_domain(self, qs: CaseQuerySet, name: str, value: list[str]) -> CaseQuerySet:
        return qs.in_domains([int(v) for v in value])

    def filter_partner(self, qs: CaseQuerySet, name: str, value: list[str]) -> CaseQuerySet:
        return qs.with_partner_types(value)

    def filter_method(self, qs: CaseQuerySet, name: str, value: list[str]) -> CaseQuerySet:
        return qs.with_methods([int(v) for v in value])

    def filter_budget(self, qs: CaseQuerySet, name: str, value: list[str]) -> CaseQuerySet:
        return qs.in_budget_bands(value)

    def filter_area(self, qs: CaseQuerySet, name: str, value: list[str]) -> CaseQuerySet:
        return qs.in_areas([int(v) for v in value])

    def filter_year(self, qs: CaseQuerySet, name: str, value: list[str]) -> CaseQuerySet:
        return qs.active_in_years([int(v) for v in value])
