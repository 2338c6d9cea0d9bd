"""Writes to cases that touch several models."""

from django.db import transaction
from django.utils import timezone

from cases.models import Case

# What a case needs before the public sees it, in the words of the form's fields.
REQUIRED_TO_PUBLISH = {
    "methods": "事業の手法",
    "partners": "協働パートナー（1団体以上）",
    "verified_on": "情報確認日",
}


def publish_problems(case: Case) -> list[str]:
    """What the case lacks to be published (none: ready), as the form names the fields."""
    missing = []
    if not case.methods.exists():
        missing.append(REQUIRED_TO_PUBLISH["methods"])
    if not case.partners.exists():
        missing.append(REQUIRED_TO_PUBLISH["partners"])
    if case.verified_on is None:
        missing.append(REQUIRED_TO_PUBLISH["verified_on"])
    return missing


@transaction.atomic
def publish_cases(cases) -> int:
    """Publish the given cases, each ready (`publish_problems`); a first publication gets
    today's date. A case that is not ready is refused (ValueError), none is published."""
    today = timezone.localdate()
    count = 0
    for case in cases.select_for_update():
        if problems := publish_problems(case):
            raise ValueError(f"事例No.{case.number}：{'、'.join(problems)}が未入力です。")
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
