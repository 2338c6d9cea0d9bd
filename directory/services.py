"""Writes to organizations that reach into their cases: merging duplicates."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, DELETION, LogEntry

from cases.models import Case, CasePartner
from kernel import feed
from partners.models import Organization, OrganizationRecord, OrganizationRedirect

# The fields a merge compares side by side and takes, each, from the organization chosen.
CHOSEN_FIELDS = [
    "name",
    "kana",
    "kind",
    "area",
    "corporate_number",
    "is_public",
    "address",
    "website",
    "contact",
    "founded_year",
    "members",
    "mission",
    "activities",
]


def shown_value(organization: Organization, field: str) -> str:
    """A field's value as the merge page shows it; "" when it is empty."""
    if field == "kind":
        return organization.get_kind_display()
    if field == "is_public":
        return "掲載する" if organization.is_public else ""
    value = getattr(organization, field)
    return "" if value is None else str(value)


def default_sources(keep: Organization, organizations: list[Organization]) -> dict[str, int]:
    """Per field, the ID of the organization whose value is taken unless the clerk says
    otherwise: the kept one's, when it has one; else the first other one that does."""
    others = [o for o in organizations if o.pk != keep.pk]
    sources = {}
    for field in CHOSEN_FIELDS:
        filled = [o for o in [keep, *others] if shown_value(o, field)]
        sources[field] = (filled[0] if filled else keep).pk
    return sources


@dataclass
class SharedCase:
    """A case in which several of the organizations merged are partners: one role stays."""

    case: Case
    partnerships: list[CasePartner]
    kept: CasePartner  # the partnership that stays, with the role kept by default


def shared_cases(keep: Organization, organizations: list[Organization]) -> list[SharedCase]:
    """The cases two or more of them are partners of (and none of them leads)."""
    ids = [o.pk for o in organizations]
    by_case = defaultdict(list)
    for partnership in (
        CasePartner.objects.filter(organization__in=ids)
        .exclude(case__lead_organization__in=ids)
        .select_related("case", "organization")
        .order_by("case__number", "order", "pk")
    ):
        by_case[partnership.case].append(partnership)
    return [
        SharedCase(
            case,
            partnerships,
            next((p for p in partnerships if p.organization_id == keep.pk), partnerships[0]),
        )
        for case, partnerships in by_case.items()
        if len(partnerships) > 1
    ]


def partner_of_own_case(organizations: list[Organization]) -> list[CasePartner]:
    """Partnerships on cases one of them leads: once merged, the lead would be its own
    partner, so these roles go (the merge page lists them)."""
    ids = [o.pk for o in organizations]
    return list(
        CasePartner.objects.filter(organization__in=ids, case__lead_organization__in=ids)
        .select_related("case", "organization")
        .order_by("case__number", "order", "pk")
    )


@feed.batch()
def merge_organizations(
    *,
    keep: Organization,
    duplicates: list[Organization],
    user,
    sources: Mapping[str, Organization] | None = None,
    roles: Mapping[int, str] | None = None,
) -> int:
    """Move every case link, record and seed of the duplicates to `keep`, take each field from
    the organization `sources` names, give each case they share the role `roles` says (by
    case ID), then delete the duplicates, leaving a redirect from each to `keep`.

    A field or a shared case not named keeps the defaults the merge page offers: the kept
    organization's value when it has one, and the kept partner's role. No text is joined.
    Returns how many case links moved. Recorded in the history and admin log of both sides.
    """
    ids = {keep.pk} | {d.pk for d in duplicates}
    if len(ids) < 2:
        raise ValueError("統合する団体がありません")
    keep = Organization.objects.select_for_update().get(pk=keep.pk)
    duplicates = list(Organization.objects.select_for_update().filter(pk__in=ids - {keep.pk}))
    everyone = {o.pk: o for o in [keep, *duplicates]}
    chosen = default_sources(keep, list(everyone.values()))
    for field, source in (sources or {}).items():
        if field not in chosen or source.pk not in everyone:
            raise ValueError(f"{field} の値は統合する団体から選んでください")
        chosen[field] = source.pk
    organizations = list(everyone.values())
    shared = shared_cases(keep, organizations)
    roles = dict(roles or {})
    if set(roles) - {s.case.pk for s in shared}:
        raise ValueError("役割を選べるのは、統合する団体が共に協働パートナーである事例だけです")
    own = partner_of_own_case(organizations)
    notes = [_role_note(s, roles.get(s.case.pk, s.kept.role)) for s in shared]
    notes += [
        f"事例No.{p.case.number}で運営団体と重なる協働パートナー「{p.organization.name}」の"
        f"役割（{p.role}）を削除"
        for p in own
    ]

    moved = _move_case_links(keep, duplicates, shared, own, roles)
    for duplicate in duplicates:
        duplicate.seeds.update(organization=keep)  # its 協働の種 (seeds app) follow it
        known = set(keep.records.values_list("year", "kind", "title"))
        for record in duplicate.records.all():
            if (record.year, record.kind, record.title) not in known:
                OrganizationRecord.objects.filter(pk=record.pk).update(organization=keep)
        OrganizationRedirect.objects.filter(to=duplicate).update(to=keep)
        OrganizationRedirect.objects.create(old_pk=duplicate.pk, to=keep)

    field_notes = []
    for field in CHOSEN_FIELDS:
        source = everyone[chosen[field]]
        attname = Organization._meta.get_field(field).attname
        setattr(keep, attname, getattr(source, attname))
        if source.pk != keep.pk:
            label = Organization._meta.get_field(field).verbose_name
            field_notes.append(f"{label}は「{source.name}」（ID {source.pk}）の値")
    names = "、".join(f"「{d.name}」（ID {d.pk}）" for d in duplicates)
    chosen_text = "、".join(field_notes) or "項目はすべて残す団体の値"
    message = f"重複する団体{names}を統合しました。{chosen_text}。"
    if notes:
        message += "、".join(notes) + "。"
    keep.full_clean()
    keep._change_reason = message
    keep._history_user = user
    keep.save()

    for duplicate in duplicates:
        reason = f"「{keep.name}」（ID {keep.pk}）に統合"
        LogEntry.objects.log_actions(
            user.pk, [duplicate], DELETION, f"{reason}して削除しました。", single_object=True
        )
        duplicate._change_reason = reason
        duplicate._history_user = user
        duplicate.delete()
    LogEntry.objects.log_actions(
        user.pk,
        [keep],
        CHANGE,
        f"{message}（事例との関係 {moved}件を移動）",
        single_object=True,
    )
    return moved


def _move_case_links(
    keep: Organization,
    duplicates: list[Organization],
    shared: list[SharedCase],
    own: list[CasePartner],
    roles: Mapping[int, str],
) -> int:
    """The duplicates' cases led and partnered, now `keep`'s; returns how many moved."""
    reason = f"団体の統合（「{keep.name}」へ）"[:100]
    dup_ids = [d.pk for d in duplicates]
    moved = Case.objects.filter(lead_organization__in=dup_ids).update(lead_organization=keep)
    dropped = own + [p for s in shared for p in s.partnerships if p is not s.kept]
    for partnership in dropped:
        moved += partnership.organization_id != keep.pk
        partnership._change_reason = reason
        partnership.delete()
    for case in shared:
        partnership = case.kept
        moved += partnership.organization_id != keep.pk
        partnership.organization = keep
        partnership.role = roles.get(case.case.pk, partnership.role)
        partnership._change_reason = reason
        partnership.save(update_fields=["organization", "role"])
    for partnership in CasePartner.objects.filter(organization__in=dup_ids):
        partnership.organization = keep
        partnership._change_reason = reason
        partnership.save(update_fields=["organization"])
        moved += 1
    return moved


def _role_note(shared: SharedCase, role: str) -> str:
    """Whose role text a shared case keeps, for the history."""
    number = shared.case.number
    for partnership in shared.partnerships:
        if partnership.role == role:
            organization = partnership.organization
            return f"事例No.{number}の役割は「{organization.name}」（ID {organization.pk}）のもの"
    return f"事例No.{number}の役割は編集した文章（{role}）"
