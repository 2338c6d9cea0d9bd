"""Reads of organizations with their cases: the directory and an organization's page."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, QueryDict

from cases.models import Case, CasePartner
from cases.selectors import with_card_data
from directory.filters import ORGANIZATION_FACETS, OrganizationFilter
from kernel import bitmaps, catalogue, facets
from kernel.facets import Chip, Facet, as_query_dict, chips
from partners.models import Organization, OrganizationQuerySet

PAGE_SIZE = 30
ORDERS = {"kana": (("kana", False),)}  # 50音 order: kana, then name, then id


@dataclass
class DirectoryResult:
    page: Page
    total: int
    facets: list[Facet]
    chips: list[Chip]
    query: str


def listed() -> OrganizationQuerySet:
    """Those the public sees: in at least one published case, or marked public by staff."""
    published = Case.Status.PUBLISHED
    return Organization.objects.filter(
        Q(is_public=True)
        | Q(Exists(Case.objects.filter(status=published, lead_organization=OuterRef("pk"))))
        | Q(Exists(CasePartner.objects.filter(organization=OuterRef("pk"), case__status=published)))
    )


def canonical_query(params: QueryDict) -> list[tuple[str, str]]:
    """The parameters of a directory search that change its results."""
    choices = facets.options("organizations", ORGANIZATION_FACETS)
    filterset = OrganizationFilter(params, queryset=listed(), choices=choices)
    return facets.canonical(filterset, params, page=facets.page_number)


def search_organizations(params: QueryDict | dict) -> DirectoryResult:
    """Listed organizations in 50音 order, filtered by the GET parameters, with facet counts."""
    params = as_query_dict(params)
    choices = facets.options("organizations", ORGANIZATION_FACETS)
    filterset = OrganizationFilter(params, queryset=listed(), choices=choices)
    query = (filterset.form.cleaned_data.get("q") or "").strip()[:200]

    def search() -> dict:
        return facets.faceted_search(
            organization_index(choices),
            ORGANIZATION_FACETS,
            filterset,
            choices,
            order="kana",
            page=params.get("page"),
            per_page=PAGE_SIZE,
        )

    key = (sorted(filterset.form.cleaned_data.items()), params.get("page"))
    found = catalogue.cached("org-search", key, search)
    paginator = Paginator(range(found["total"]), PAGE_SIZE)
    page = paginator.get_page(found["page"])
    by_pk = Organization.objects.select_related("area").in_bulk(found["ids"])
    page.object_list = [by_pk[pk] for pk in found["ids"] if pk in by_pk]
    return DirectoryResult(
        page, found["total"], found["facets"], chips(params, query, found["facets"]), query
    )


def organization_index(choices: dict[str, list] | None = None) -> bitmaps.FacetIndex:
    """The bitmaps of the listed organizations for the current catalogue version."""
    choices = choices or facets.options("organizations", ORGANIZATION_FACETS)

    def build() -> bitmaps.FacetIndex:
        return bitmaps.FacetIndex.build(_index_rows(listed(), choices), ORDERS)

    def refresh(index: bitmaps.FacetIndex, changes: set[str]) -> bitmaps.FacetIndex:
        affected = _affected(changes)
        rows = _index_rows(listed().filter(pk__any_of=affected), choices)
        return index.refreshed(affected, rows)

    return bitmaps.current("organizations", None, build, refresh)


def _index_rows(organizations: OrganizationQuerySet, choices: dict[str, list]) -> bitmaps.Rows:
    organizations = organizations.order_by()  # the index sorts for itself
    rows = organizations.values_list("pk", "kana", "name")
    # "\0" sorts below every character: kana first, then name, as ORDER BY kana, name
    kana = {pk: f"{kana}\0{name}" for pk, kana, name in rows}
    return bitmaps.Rows(
        ids=list(kana),
        facets=facets.index_members(organizations, ORGANIZATION_FACETS, choices),
        columns={"kana": kana},
    )


def _affected(changes: set[str]) -> list[int]:
    """The organizations whose place in the directory these changes may move: those named, and
    those in the cases named (the signals also name an organization a case no longer holds)."""
    cases = catalogue.named(changes, "case")
    leads = Case.objects.filter(pk__any_of=cases).values_list("lead_organization", flat=True)
    partners = CasePartner.objects.filter(case__in=cases).values_list("organization", flat=True)
    named = [*catalogue.named(changes, "organization"), *catalogue.named(changes, "cases-of")]
    return sorted({*named, *leads, *partners})


def organization_for_viewer(pk: int) -> Organization:
    organization = listed().select_related("area").prefetch_related("records").filter(pk=pk).first()
    if organization is None:
        raise Http404("団体が見つかりません")
    return organization


def organization_cases(organization: Organization) -> dict:
    """Its published cases: those it leads, and those it partners in with its role."""
    led = with_card_data(Case.objects.published().filter(lead_organization=organization))
    partnered = (
        CasePartner.objects.filter(organization=organization, case__status=Case.Status.PUBLISHED)
        .select_related("case", "case__area")
        .prefetch_related("case__awards")
        .order_by("-case__published_on")
    )
    return {"led": list(led), "partnered": list(partnered)}
