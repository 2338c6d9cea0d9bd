"""The board's facets, each declared once, on the shared facet machinery (kernel.facets)."""

from cases.models import Domain
from kernel.facets import FacetSpec
from partners.models import Area, PartnerType
from seeds.models import Resource, Seed, SeedQuerySet


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values]


def _column(column: str):
    def members(seeds: SeedQuerySet, options: dict) -> list[tuple[int, str]]:
        return [(pk, str(value)) for pk, value in seeds.values_list("pk", column)]

    return members


def _listed(field: str):
    """Each value of a list field (partner types, resources) a seed holds."""

    def members(seeds: SeedQuerySet, options: dict) -> list[tuple[int, str]]:
        return [(pk, v) for pk, values in seeds.values_list("pk", field) for v in values]

    return members


def _domain_members(seeds: SeedQuerySet, options: dict) -> list[tuple[int, str]]:
    rows = Seed.domains.through.objects.filter(seed__in=seeds.values("pk"))
    return [(pk, str(domain)) for pk, domain in rows.values_list("seed_id", "domain_id")]


SEED_FACETS = [
    FacetSpec(
        "kind",
        "種類",
        options=lambda: Seed.Kind.choices,
        filter=lambda qs, values: qs.of_kinds(values),
        members=_column("kind"),
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
        members=_column("area_id"),
    ),
    FacetSpec(
        "partner",
        "求める協働相手",
        options=lambda: PartnerType.choices,
        filter=lambda qs, values: qs.having_any("partner_types_wanted", values),
        members=_listed("partner_types_wanted"),
    ),
    FacetSpec(
        "want",
        "求めているもの",
        options=lambda: Resource.choices,
        filter=lambda qs, values: qs.having_any("resources_wanted", values),
        members=_listed("resources_wanted"),
    ),
    FacetSpec(
        "offer",
        "提供できるもの",
        options=lambda: Resource.choices,
        filter=lambda qs, values: qs.having_any("resources_offered", values),
        members=_listed("resources_offered"),
    ),
    FacetSpec(
        "status",
        "進み具合",
        options=lambda: Seed.Status.choices,
        filter=lambda qs, values: qs.in_statuses(values),
        members=_column("status"),
    ),
]
