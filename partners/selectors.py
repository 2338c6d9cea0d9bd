"""Reads of organizations: the directory and an organization's page."""

from collections import Counter
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.http import Http404, QueryDict

from collanavi import catalogue
from collanavi.facets import Chip, Facet, as_query_dict, chips, facet
from partners.filters import OrganizationFilter
from partners.models import Area, Organization

PAGE_SIZE = 30


@dataclass
class DirectoryResult:
    page: Page
    total: int
    facets: list[Facet]
    chips: list[Chip]
    query: str


def search_organizations(params: QueryDict | dict) -> DirectoryResult:
    """Listed organizations in 50音 order, filtered by the GET parameters, with facet counts."""
    from cases.models import Domain  # a higher app: the directory's domain facet

    params = as_query_dict(params)
    domains = list(Domain.objects.all())
    choices = {
        "kind": Organization.Kind.choices,
        "area": [(str(a.pk), a.name) for a in Area.objects.all()],
        "domain": [(str(d.pk), d.name) for d in domains],
    }
    base = Organization.objects.listed()
    filterset = OrganizationFilter(params, queryset=base, choices=choices)
    key = (sorted(filterset.form.cleaned_data.items()), params.get("page"))
    found = catalogue.cached("org-search", key, lambda: _search(filterset, base, choices, params))
    paginator = Paginator(range(found["total"]), PAGE_SIZE)
    page = paginator.get_page(found["page"])
    by_pk = Organization.objects.select_related("area").in_bulk(found["ids"])
    page.object_list = [by_pk[pk] for pk in found["ids"] if pk in by_pk]
    query = (filterset.form.cleaned_data.get("q") or "").strip()[:200]
    facets = found["facets"]
    return DirectoryResult(page, found["total"], facets, chips(params, query, facets), query)


def _search(filterset: OrganizationFilter, base, choices: dict, params: QueryDict) -> dict:
    results = filterset.filter_except(base, exclude=None)
    paginator = Paginator(
        results.order_by("kana", "name", "pk").values_list("pk", flat=True), PAGE_SIZE
    )
    page = paginator.get_page(params.get("page"))

    def counts_by(name: str, column: str) -> dict[str, int]:
        rows = filterset.filter_except(base, exclude=name).order_by().values(column)
        return {str(row[column]): row["n"] for row in rows.annotate(n=Count("pk"))}

    domain_counts = _domain_counts(filterset.filter_except(base, exclude="domain"))
    selected = filterset.selected
    return {
        "total": paginator.count,
        "page": page.number,
        "ids": list(page.object_list),
        "facets": [
            facet(
                "kind", "団体の種別", choices["kind"], counts_by("kind", "kind"), selected("kind")
            ),
            facet("area", "地域", choices["area"], counts_by("area", "area_id"), selected("area")),
            facet("domain", "事例の活動分野", choices["domain"], domain_counts, selected("domain")),
        ],
    }


def _domain_counts(organizations) -> dict[str, int]:
    """How many of these organizations are in a published case of each domain."""
    from cases.models import Case, CasePartner  # a higher app: counts over cases

    published = Case.Status.PUBLISHED
    # Plain pair lists, intersected in Python: SQLite plans an IN (… EXISTS …) here badly.
    ids = set(organizations.order_by().values_list("pk", flat=True))
    led = Case.objects.filter(status=published).values_list("domains", "lead_organization")
    partnered = CasePartner.objects.filter(case__status=published).values_list(
        "case__domains", "organization"
    )
    pairs = set(led.order_by().distinct()) | set(partnered.order_by().distinct())
    return dict(Counter(str(d) for d, org in pairs if d is not None and org in ids))


def organization_for_viewer(pk: int) -> Organization:
    organization = (
        Organization.objects.listed()
        .select_related("area")
        .prefetch_related("records")
        .filter(pk=pk)
        .first()
    )
    if organization is None:
        raise Http404("団体が見つかりません")
    return organization


def organization_cases(organization: Organization) -> dict:
    """Its published cases: those it leads, and those it partners in with its role."""
    from cases.models import Case, CasePartner  # a higher app: its cases
    from cases.selectors import with_card_data

    led = with_card_data(Case.objects.published().filter(lead_organization=organization))
    partnered = (
        CasePartner.objects.filter(organization=organization, case__status=Case.Status.PUBLISHED)
        .select_related("case", "case__area")
        .order_by("-case__published_on")
    )
    return {"led": list(led), "partnered": list(partnered)}
