"""The organization directory's facets, each declared once, like the case search's."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.models import Case, CasePartner, Domain
from kernel.facets import FacetSpec
from partners.models import Area, Organization, OrganizationQuerySet


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values]


def _domain_options() -> list[tuple[str, str]]:
    return [(str(d.pk), d.name) for d in Domain.objects.all()]


def _domain_members(organizations: OrganizationQuerySet) -> QuerySet:
    """An organization is under each domain of a published case it leads or partners in."""
    published = Case.Status.PUBLISHED
    ids = organizations.values("pk")
    led = Case.objects.filter(status=published, lead_organization__in=ids)
    partnered = CasePartner.objects.filter(case__status=published, organization__in=ids)
    return (
        led.values_list("lead_organization", "domains")
        .order_by()
        .union(partnered.values_list("organization", "case__domains").order_by())
    )


def in_case_domains(domains: list[int]) -> Q:
    """Organizations leading or partnering in a published case of one of these domains."""
    published = Case.Status.PUBLISHED
    led = Case.objects.filter(
        status=published, lead_organization=OuterRef("pk"), domains__in=domains
    )
    partnered = CasePartner.objects.filter(
        organization=OuterRef("pk"), case__status=published, case__domains__in=domains
    )
    return Q(Exists(led)) | Q(Exists(partnered))


ORGANIZATION_FACETS = [
    FacetSpec(
        "kind",
        "団体の種別",
        options=lambda: Organization.Kind.choices,
        filter=lambda qs, values: qs.filter(kind__in=values),
        fields=("kind",),
    ),
    FacetSpec(
        "area",
        "地域",
        options=lambda: [(str(a.pk), a.name) for a in Area.objects.all()],
        reads=("area",),
        filter=lambda qs, values: qs.filter(area__in=_ints(values)),
        fields=("area_id",),
    ),
    FacetSpec(
        "domain",
        "事例の活動分野",
        options=_domain_options,
        reads=("domain",),
        filter=lambda qs, values: qs.filter(in_case_domains(_ints(values))),
        members=_domain_members,
    ),
]
