"""Writes to cases that touch several models."""

from django.db import transaction
from django.utils import timezone

from cases.models import Case


def refresh_search_text(case: Case) -> None:
    """Rebuild the case's normalised search text from its fields, partners and photos."""
    Case.objects.filter(pk=case.pk).update(search_text=case.build_search_text())


@transaction.atomic
def publish_cases(cases) -> int:
    """Publish the given cases; a first publication gets today's date."""
    today = timezone.localdate()
    count = 0
    for case in cases.select_for_update():
        case.status = Case.Status.PUBLISHED
        case.published_on = case.published_on or today
        case.save(update_fields=["status", "published_on", "updated_at"])
        count += 1
    return count


def archive_cases(cases) -> int:
    return cases.update(status=Case.Status.ARCHIVED, updated_at=timezone.now())


def mark_verified_today(cases) -> int:
    return cases.update(verified_on=timezone.localdate(), updated_at=timezone.now())
