"""The board's facets, each declared once, on the shared facet machinery (kernel.facets)."""

from django.db.models import QuerySet

from cases.models import Domain
from kernel.facets import FacetSpec, each
from partners.models import Area, PartnerType
from seeds.models import Resource, Seed, SeedQuerySet


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values]


def _domain_members(seeds: SeedQuerySet) -> QuerySet:
    rows = Seed.domains.through.objects.filter(seed__in=seeds.values("pk"))
    return rows.values_list("seed_id", "domain_id")


SEED_FACETS = [
    FacetSpec(
        "kind",
        "種類",
        options=lambda: Seed.Kind.choices,
        filter=lambda qs, values: qs.of_kinds(values),
        fields=("kind",),
    ),
    FacetSpec(
        "domain",
        "活動分野",
        options=lambda: [(str(d.pk), d.name) for d in Domain.objects.all()],
        reads=("domain",),
        filter=lambda qs, values: qs.in_domains(_ints(values)),
        members=_domain_members,
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
        "partner",
        "求める協働相手",
        options=lambda: PartnerType.choices,
        filter=lambda qs, values: qs.having_any("partner_types_wanted", values),
        fields=("partner_types_wanted",),
        values=each,
    ),
    FacetSpec(
        "want",
        "求めているもの",
        options=lambda: Resource.choices,
        filter=lambda qs, values: qs.having_any("resources_wanted", values),
        fields=("resources_wanted",),
        values=each,
    ),
    FacetSpec(
        "offer",
        "提供できるもの",
        options=lambda: Resource.choices,
        filter=lambda qs, values: qs.having_any("resources_offered", values),
        fields=("resources_offered",),
        values=each,
    ),
    FacetSpec(
        "status",
        "進み具合",
        options=lambda: Seed.Status.choices,
        filter=lambda qs, values: qs.in_statuses(values),
        fields=("status",),
    ),
]
