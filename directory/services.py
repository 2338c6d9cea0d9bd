"""Writes to organizations that reach into their cases: merging duplicates."""

from django.contrib.admin.models import CHANGE, DELETION, LogEntry

from cases.models import Case, CasePartner
from kernel import feed
from partners.models import Organization, OrganizationRecord

# Profile fields a merge copies from a duplicate when the kept organization leaves them blank.
FILLABLE_FIELDS = [
    "kana",
    "area",
    "address",
    "website",
    "contact",
    "founded_year",
    "members",
    "mission",
    "activities",
    "corporate_number",
]


@feed.batch()
def merge_organizations(*, keep: Organization, duplicates: list[Organization], user) -> int:
    """Move every case link and record of the duplicates to `keep`, then delete them.

    Returns how many case links moved. Recorded in the admin log of `keep`.
    """
    duplicates = [d for d in duplicates if d.pk != keep.pk]
    if not duplicates:
        raise ValueError("統合する団体がありません")
    keep = Organization.objects.select_for_update().get(pk=keep.pk)
    moved = 0
    for duplicate in duplicates:
        moved += Case.objects.filter(lead_organization=duplicate).update(lead_organization=keep)
        for partnership in CasePartner.objects.filter(organization=duplicate).select_related(
            "case"
        ):
            existing = CasePartner.objects.filter(case=partnership.case, organization=keep).first()
            if partnership.case.lead_organization_id == keep.pk:
                partnership.delete()  # already the lead of that case
            elif existing:
                if partnership.role and partnership.role not in existing.role:
                    existing.role = f"{existing.role}\n{partnership.role}".strip()
                    existing.save(update_fields=["role"])
                partnership.delete()
            else:
                partnership.organization = keep
                partnership.save(update_fields=["organization"])
            moved += 1
        duplicate.seeds.update(organization=keep)  # its 協働の種 (seeds app) follow it
        known = set(keep.records.values_list("year", "kind", "title"))
        for record in duplicate.records.all():
            if (record.year, record.kind, record.title) not in known:
                OrganizationRecord.objects.filter(pk=record.pk).update(organization=keep)
        for field in FILLABLE_FIELDS:
            if not getattr(keep, field) and getattr(duplicate, field):
                setattr(keep, field, getattr(duplicate, field))
        keep.is_public = keep.is_public or duplicate.is_public
    keep.full_clean()
    keep.save()
    names = "、".join(d.name for d in duplicates)
    for duplicate in duplicates:
        LogEntry.objects.log_actions(
            user.pk,
            [duplicate],
            DELETION,
            f"「{keep.name}」（ID {keep.pk}）に統合して削除しました。",
            single_object=True,
        )
        duplicate.delete()
    LogEntry.objects.log_actions(
        user.pk,
        [keep],
        CHANGE,
        f"重複する団体「{names}」を統合しました（事例との関係 {moved}件を移動）。",
        single_object=True,
    )
    return moved
