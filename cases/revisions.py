"""Revisions of the whole case: one revision holds a case with everything its page prints.

A revision is a snapshot (`snapshot`): the case's fields, its 活動分野 and 手法, partners and
their roles, schedule rows, photos with their alt texts, awards, and (shown, not restored) the
lead organization's 活動実績. Every change to a case, by any path (the admin, a proposal, an
import, a merge, the shell), leaves an approved revision: the change feed's `cases.revisions`
artifact snapshots each changed case at the end of the writing page or transaction, naming
where the change came from (the admin's clerk, or the `text` a service
gives). A 事例編集者's edit of a published case is not applied:
the admin saves it as a pending revision (`CaseAdmin`), which a 管理者 approves (`approve`:
the snapshot is applied through the models, so the feed refreshes everything that follows) or
returns with a comment. Reverting applies an older revision the same way (`revert`).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone
from django.utils.html import format_html

from cases.models import (
    Award,
    Case,
    CasePartner,
    Domain,
    Method,
    Photo,
    Revision,
    ScheduleItem,
    rows_of_cases,
    taxonomy_of_cases,
)
from kernel import feed, prepared
from kernel.admin import staff_name as admin_staff_name
from lib.diff import paragraphs_html

# Fields a revision neither holds nor restores: identity, bookkeeping, and what only publishing
# changes (a revert restores the content; 公開・アーカイブ are their own decision).
NOT_HELD = {"id", "number", "search_text", "created_at", "updated_at"}
NOT_RESTORED = {"status", "published_on"}
ROWS = {
    "partners": (CasePartner, ["organization_id", "role", "order"]),
    "schedule": (ScheduleItem, ["period", "activity", "order"]),
    "photos": (Photo, ["image", "alt_text", "caption", "credit", "order", "width", "height"]),
    "awards": (Award, ["name", "category", "year", "awarding_body"]),
}
ROW_LABELS = {
    "partners": "協働パートナー",
    "schedule": "年間スケジュール",
    "photos": "写真",
    "awards": "表彰",
    "records": "運営団体の活動実績",
}


def staff_name(user) -> str:
    """姓 名 when set, else the login name (kernel.admin.staff_name), 「不明」 for none."""
    return admin_staff_name(user) if user else "不明"


def _fields() -> list[models.Field]:
    return [f for f in Case._meta.concrete_fields if f.name not in NOT_HELD]


def _json(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if hasattr(value, "name") and not isinstance(value, str):  # a file
        return value.name
    return value


def snapshot(case: Case) -> dict:
    """The case with everything its page prints, as JSON-able data (as stored)."""
    return snapshots([case.pk])[case.pk]


def snapshots(pks: list[int]) -> dict[int, dict]:
    """`snapshot` of each of these cases, read together: a few queries for any number, whose
    SQL is made once per process, in two round trips (kernel.prepared): every edit of a case
    reads its snapshot."""
    from partners.models import OrganizationRecord

    attnames = [f.attname for f in _fields()]
    reads = [
        (
            "cases",
            lambda keys: Case.objects.filter(pk__any_of=keys).values_list(
                "pk", "area__name", "lead_organization__name", *attnames
            ),
        ),
        *(
            (name, lambda keys, name=name: taxonomy_of_cases(name, keys, "id", "name"))
            for name in ("domain", "method")
        ),
        *(
            (
                name,
                lambda keys, model=model, columns=columns: rows_of_cases(model, keys, *columns),
            )
            for name, (model, columns) in ROWS.items()
        ),
        (
            "partner-names",
            lambda keys: rows_of_cases(CasePartner, keys, "organization__name"),
        ),
    ]
    answers = dict(
        zip(
            [name for name, _ in reads],
            prepared.rows_each([(f"revisions:{name}", build, pks) for name, build in reads]),
            strict=True,
        )
    )
    cases = {row[0]: row for row in answers["cases"]}
    taxonomies = {}
    for key in ("domain", "method"):
        found = defaultdict(list)
        for case_id, pk, name in answers[key]:
            found[case_id].append((pk, name))
        taxonomies[key] = found
    rows = {}
    for name, (_, columns) in ROWS.items():
        found = defaultdict(list)
        for case_id, *values in answers[name]:
            found[case_id].append({c: _json(v) for c, v in zip(columns, values, strict=True)})
        rows[name] = found
    partner_names = defaultdict(list)
    for case_id, partner in answers["partner-names"]:
        partner_names[case_id].append(partner)
    records = defaultdict(list)
    at_lead = 3 + attnames.index("lead_organization_id")
    leads = sorted({row[at_lead] for row in cases.values()})
    for organization_id, year, kind, title in prepared.rows(
        "revisions:records",
        lambda keys: OrganizationRecord.objects.filter(organization__pk__any_of=keys)
        .order_by("organization_id", *OrganizationRecord._meta.ordering)
        .values_list("organization_id", "year", "kind", "title"),
        leads,
    ):
        records[organization_id].append({"year": year, "kind": kind, "title": title})

    found = {}
    for pk, (_, area, lead, *values) in cases.items():
        fields = dict(zip(attnames, values, strict=True))
        domains, methods = taxonomies["domain"][pk], taxonomies["method"][pk]
        data = {
            "fields": {name: _json(value) for name, value in fields.items()},
            "names": {
                "area_id": area if fields["area_id"] else "",
                "lead_organization_id": lead,
            },
            "domains": sorted(d for d, _ in domains),
            "methods": sorted(m for m, _ in methods),
            "domain_names": [name for _, name in domains],
            "method_names": [name for _, name in methods],
        }
        for name in ROWS:
            data[name] = rows[name][pk]
        for row, partner in zip(data["partners"], partner_names[pk], strict=True):
            row["name"] = partner or ""
        data["records"] = records[fields["lead_organization_id"]]
        found[pk] = data
    return found


def record(
    case: Case,
    *,
    status: str = Revision.Status.APPROVED,
    user=None,
    text: str = "",
    base: Revision | None = None,
    data: dict | None = None,
) -> Revision | None:
    """A revision of the case as it is now (or as `data` says); an approved one equal to the
    latest approved is not recorded again."""
    data = snapshot(case) if data is None else data
    if status == Revision.Status.APPROVED:
        latest = latest_approved(case)
        if latest is not None and latest.data == data:
            return None
    request_user, request_text = _from_request()
    return Revision.objects.create(
        case=case,
        data=data,
        status=status,
        author=user or request_user,
        source=text or request_text,
        base=base,
    )


def latest_approved(case: Case) -> Revision | None:
    return case.revisions.filter(status=Revision.Status.APPROVED).first()  # newest first


def _from_request():
    """Who is changing things, when a staff page is: the request simple_history keeps."""
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user, f"職員：{staff_name(user)}"
    return None, "管理画面以外からの変更"


# Cases being deleted: the rows their deletion cascades to are deleted (and recorded) first,
# while the case itself still exists; it gets no revision on its way out.
_deleting: set[int] = set()


def _follow(keys: feed.Keys) -> None:
    """The change feed's artifact: each changed case's revision, at the end of the write."""
    if None in keys.get("case", ()):  # every case (a bulk load): those without a revision
        _record_missing()
    numbers = {k for k in keys.get("case", ()) if k is not None} - _deleting
    for case in Case.objects.filter(pk__in=numbers).select_related("area", "lead_organization"):
        record(case)


def follow() -> feed.Artifact:
    uid = "cases.revisions"
    pre_delete.connect(
        lambda instance, **_: _deleting.add(instance.pk), sender=Case, weak=False, dispatch_uid=uid
    )
    post_delete.connect(
        lambda instance, **_: _deleting.discard(instance.pk), sender=Case, weak=False,
        dispatch_uid=uid,
    )  # fmt: skip
    return feed.artifact(
        "cases.revisions", depends_on={"case"}, refresh=_follow, rebuild=_record_missing
    )


def _record_missing() -> None:
    """After a bulk load (demo data, generated cases, a restore): a first revision of every
    case that has none, a thousand cases at a time."""
    missing = list(
        Case.objects.exclude(pk__in=Revision.objects.values("case_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(missing), 1000):
        found = snapshots(missing[start : start + 1000])
        Revision.objects.bulk_create(
            Revision(
                case_id=pk,
                data=data,
                status=Revision.Status.APPROVED,
                source="一括登録した時点の内容",
            )
            for pk, data in found.items()
        )


@transaction.atomic
def apply(case: Case, data: dict, *, user, text: str) -> Case:
    """Make the case what the revision says, through the models (the feed follows), and record
    the result as a revision named by `text`."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if gone := _missing(data):
        raise RevisionError(f"この版の{gone}が統合・削除されているため、戻せません。")
    for f in _fields():
        if f.attname in data["fields"] and f.name not in NOT_RESTORED:
            setattr(case, f.attname, f.to_python(data["fields"][f.attname]))
    with feed.batch():
        case.save()
        case.domains.set(data["domains"])
        case.methods.set(data["methods"])
        for name, (model, columns) in ROWS.items():
            if name not in data:  # a version migrated from the old history kept no schedule
                continue
            for row in model.objects.filter(case=case):
                row.delete()
            for values in data[name]:
                model.objects.create(case=case, **{c: values[c] for c in columns})
        fresh = Case.objects.select_related("area", "lead_organization").get(pk=case.pk)
        record(fresh, user=user, text=text)
    return case


class RevisionError(Exception):
    """A revision that cannot be applied as it is (what it names is gone)."""


def _missing(data: dict) -> str:
    """What the revision names that no longer exists, in words (empty: nothing)."""
    from partners.models import Area, Organization

    organizations = {data["fields"]["lead_organization_id"]}
    organizations |= {row["organization_id"] for row in data["partners"]}
    if Organization.objects.filter(pk__in=organizations).count() < len(organizations):
        return "団体"
    area = data["fields"].get("area_id")
    if area is not None and not Area.objects.filter(pk=area).exists():
        return "地域"
    for key, model, label in (("domains", Domain, "活動分野"), ("methods", Method, "事業の手法")):
        if model.objects.filter(pk__in=data[key]).count() < len(set(data[key])):
            return label
    return ""


def approve(revision: Revision, *, user) -> Case:
    """A pending revision made public: applied to the case as a new version."""
    who = staff_name(revision.author) if revision.author else revision.source
    text = f"版{revision.pk}（{who}の変更）を承認（{staff_name(user)}）"
    with transaction.atomic():
        case = apply(revision.case, revision.data, user=user, text=text)
        revision.status = Revision.Status.ACCEPTED
        revision.reviewed_by, revision.reviewed_at = user, timezone.now()
        revision.save()
    return case


def send_back(revision: Revision, *, user, comment: str) -> None:
    revision.status = Revision.Status.RETURNED
    revision.comment = comment
    revision.reviewed_by, revision.reviewed_at = user, timezone.now()
    revision.save()


def revert(revision: Revision, *, user) -> Case:
    """The case as it was in this revision (publishing state kept); itself a new revision."""
    return apply(revision.case, revision.data, user=user, text=f"版{revision.pk}に戻しました")


# --- differences ----------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    html: str  # the difference, escaped
    kind: str = "changed"  # changed / added / removed


@dataclass
class Difference:
    fields: list[Change] = field(default_factory=list)
    rows: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.rows)


def _field_text(data: dict, f: models.Field) -> str:
    value = data["fields"].get(f.attname)
    if f.attname in data.get("names", {}):
        return data["names"][f.attname]
    if f.choices:
        return str(dict(f.flatchoices).get(value, value or ""))
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return "" if value is None else str(value)


def _row_text(name: str, row: dict) -> str:
    if name == "partners":
        return f"{row.get('name', '')}：{row['role']}"
    if name == "schedule":
        return f"{row['period']}　{row['activity']}"
    if name == "photos":
        return f"{row['image'].rsplit('/', 1)[-1]}（代替テキスト：{row['alt_text'] or 'なし'}）"
    if name == "awards":
        return f"{row['year']}年度 {row['name']} {row['category']}".strip()
    return f"{row['year']}年度 {row['title']}"


def _photo(row: dict) -> str:
    from django.core.files.storage import default_storage

    return format_html(
        '<img src="{}" alt="{}" class="revision-thumb">', default_storage.url(row["image"]),
        row["alt_text"],
    )  # fmt: skip


def difference(old: dict, new: dict, *, restoring: bool = False) -> Difference:
    """What the newer snapshot changes: fields (text phrase by phrase), rows added and removed;
    `restoring`: what applying it would change (publishing is kept)."""
    found = Difference()
    for f in _fields():
        if restoring and f.name in NOT_RESTORED:
            continue
        before, after = _field_text(old, f), _field_text(new, f)
        if before != after:  # old and new whole, side by side, the changed phrases marked
            found.fields.append(Change(str(f.verbose_name), paragraphs_html(before, after)))
    for key, label in (("domain_names", "活動分野"), ("method_names", "事業の手法")):
        if old.get(key) != new.get(key):
            found.fields.append(
                Change(
                    label, paragraphs_html("、".join(old.get(key, [])), "、".join(new.get(key, [])))
                )
            )
    for name, label in ROW_LABELS.items():
        if name not in old or name not in new:  # not known to one of them: not a change
            continue
        before = [_row_text(name, r) for r in old.get(name, [])]
        after = [_row_text(name, r) for r in new.get(name, [])]
        for row, text in zip(new.get(name, []), after, strict=True):
            if text not in before:
                shown = _photo(row) if name == "photos" else ""
                found.rows.append(Change(label, format_html("{}{}", shown, text), "added"))
        for row, text in zip(old.get(name, []), before, strict=True):
            if text not in after:
                shown = _photo(row) if name == "photos" else ""
                found.rows.append(Change(label, format_html("{}{}", shown, text), "removed"))
    return found
