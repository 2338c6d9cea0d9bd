"""The organization directory's filters, built like the case search's."""

import django_filters

from collanavi.facets import FacetFilter, FacetFilterSet
from collanavi.lib.text import keyword_terms
from partners.models import Organization, OrganizationQuerySet


class OrganizationFilter(FacetFilterSet):
    q = django_filters.CharFilter(method="filter_keyword", label="キーワード")
    kind = FacetFilter(
        field_name="kind", label="団体の種別", choices=Organization.Kind.choices, distinct=False
    )
    area = FacetFilter(method="filter_area", label="地域")
    domain = FacetFilter(method="filter_domain", label="事例の活動分野")

    def filter_keyword(self, qs: OrganizationQuerySet, name: str, value: str):
        return qs.matching(keyword_terms(value))

    def filter_area(self, qs: OrganizationQuerySet, name: str, value: list[str]):
        return qs.filter(area__in=[int(v) for v in value])

    def filter_domain(self, qs: OrganizationQuerySet, name: str, value: list[str]):
        return qs.in_case_domains([int(v) for v in value])
