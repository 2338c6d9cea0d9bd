"""Writes to organizations that touch several models."""

from kernel import ngram
from partners.models import Organization


def refresh_search_text(organization: Organization) -> None:
    """Its own search text, and that of every case it is in (its name is part of theirs)."""
    from cases.models import Case  # a higher app: the cases that print its name
    from cases.services import refresh_search_text as refresh_case_search_text

    ngram.save_texts(Organization, {organization.pk: organization.build_search_text()})
    cases = Case.objects.filter(lead_organization=organization) | Case.objects.filter(
        partners__organization=organization
    )
    for case in cases.distinct().select_related("area", "lead_organization"):
        refresh_case_search_text(case)
    from seeds.services import refresh_search_text as refresh_seed_search_text  # a higher app

    for seed in organization.seeds.select_related("area", "organization"):
        refresh_seed_search_text(seed)
