"""The case search's filters: what each GET parameter means."""

import django_filters
from django import forms

from cases.models import BudgetBand, CaseQuerySet
from collanavi.lib.text import search_terms
from partners.models import PartnerType

MAX_VALUES_PER_FACET = 50


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values of a list and drops the rest, so a stale or edited URL still works."""

    def clean(self, value):
        if not isinstance(value, list | tuple):
            value = [value] if value else []
        known = {str(k) for k, _ in self.choices}
        return list(dict.fromkeys(str(v) for v in value if str(v) in known))[:MAX_VALUES_PER_FACET]


class FacetFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


class CaseFilter(django_filters.FilterSet):
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

    def __init__(self, data, *, queryset: CaseQuerySet, choices: dict[str, list]):
        super().__init__(data, queryset=queryset)
        for name, facet_choices in choices.items():
            self.filters[name].extra["choices"] = facet_choices

    def filter_keyword(self, qs: CaseQuerySet, name: str, value: str) -> CaseQuerySet:
        return qs.matching(search_terms(value))

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

    def filter_except(self, queryset: CaseQuerySet, exclude: str | None) -> CaseQuerySet:
        """Apply every active filter but one facet's: the base of that facet's counts."""
        for name, value in self.form.cleaned_data.items():
            if name != exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset
