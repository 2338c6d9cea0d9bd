"""Reads of organizations."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from partners.models import Organization


def public_organizations():
    """Organizations that lead or partner in at least one published case."""
    from cases.models import Case, CasePartner

    published = Case.objects.published()
    return Organization.objects.filter(
        Q(Exists(published.filter(lead_organization=OuterRef("pk"))))
        | Q(
            Exists(
                CasePartner.objects.filter(
                    organization=OuterRef("pk"), case__in=published.values("pk")
                )
            )
        )
    )


def organization_for_viewer(pk: int) -> Organization:
    organization = (
        public_organizations().select_related("area").prefetch_related("records").filter(pk=pk)
    ).first()
    if organization is None:
        raise Http404("団体が見つかりません")
    return organization


def organization_cases(organization: Organization) -> dict:
    """Its published cases: those it leads, and those it partners in with its role."""
    from cases.models import Case, CasePartner
    from cases.selectors import with_card_data

    led = with_card_data(Case.objects.published().filter(lead_organization=organization))
    partnered = (
        CasePartner.objects.filter(organization=organization, case__status=Case.Status.PUBLISHED)
        .select_related("case", "case__area")
        .order_by("-case__published_on")
    )
    return {"led": list(led), "partnered": list(partnered)}
