"""Writes to cases that touch several models."""

from django.db import transaction
from django.utils import timezone

from cases.models import Case


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


@transaction.atomic
def archive_cases(cases) -> int:
    """Take cases off the public site; each change is saved, so history records it."""
    count = 0
    for case in cases.select_for_update():
        case.status = Case.Status.ARCHIVED
        case.save(update_fields=["status", "updated_at"])
        count += 1
    return count


@transaction.atomic
def mark_verified_today(cases) -> int:
    """「確認済みにする」: the content was checked with the organization today."""
    today = timezone.localdate()
    count = 0
    for case in cases.select_for_update():
        case.verified_on = today
        case.save(update_fields=["verified_on", "updated_at"])
        count += 1
    return count
