"""Reads of organizations with their cases: the directory and an organization's page."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from cases.models import Case, CasePartner
from cases.selectors import case_cards
from directory.filters import ORGANIZATION_FACETS
from kernel import catalogue
from kernel.listing import Column, Listing, Sort
from partners.models import Organization, OrganizationQuerySet, OrganizationRedirect


def listed() -> OrganizationQuerySet:
    """Those the public sees: marked public by a 管理者, or in at least one published case
    (not one an editor added that no 管理者 has checked: Organization.listing_checked)."""
    published = Case.Status.PUBLISHED
    return Organization.objects.filter(
        Q(is_public=True)
        | Q(listing_checked=True)
        & (
            Q(Exists(Case.objects.filter(status=published, lead_organization=OuterRef("pk"))))
            | Q(
                Exists(
                    CasePartner.objects.filter(organization=OuterRef("pk"), case__status=published)
                )
            )
        )
    )


def in_changed_cases(changes: set[str]) -> set[int]:
    """The organizations whose place in the directory changed cases may move: those in the
    cases named, and those that gained or lost a case ("cases-of:N", the one a case no longer
    holds included)."""
    cases = catalogue.named(changes, "case")
    leads = Case.objects.filter(pk__any_of=cases).values_list("lead_organization", flat=True)
    partners = CasePartner.objects.filter(case__in=cases).values_list("organization", flat=True)
    return {*catalogue.named(changes, "cases-of"), *leads, *partners}


ORGANIZATIONS = Listing(
    name="organizations",
    rows=listed,
    facets=ORGANIZATION_FACETS,
    sorts={"kana": Sort("50音順", (("kana", False),), ("kana", "name", "pk"))},
    # "\0" sorts below every character: kana first, then name, as ORDER BY kana, name
    columns={"kana": Column("kana", "name", value=lambda kana, name: f"{kana}\0{name}")},
    cards=lambda ids: Organization.objects.filter(pk__in=ids).select_related("area"),
    page_size=30,
    also_affected=in_changed_cases,
)


def organization_for_viewer(pk: int) -> Organization:
    organization = listed().select_related("area").prefetch_related("records").filter(pk=pk).first()
    if organization is None:
        raise Http404("団体が見つかりません")
    return organization


def merged_into(pk: int) -> Organization | None:
    """The organization that one with this ID was merged into, if it was."""
    redirect = OrganizationRedirect.objects.filter(old_pk=pk).select_related("to").first()
    return redirect.to if redirect else None


def organization_cases(organization: Organization) -> dict:
    """Its published cases: those it leads, and those it partners in with its role."""
    led = case_cards(Case.objects.published().filter(lead_organization=organization))
    partnered = (
        CasePartner.objects.filter(organization=organization, case__status=Case.Status.PUBLISHED)
        .select_related("case", "case__area")
        .prefetch_related("case__awards")
        .order_by("-case__published_on")
    )
    return {"led": list(led), "partnered": list(partnered)}
