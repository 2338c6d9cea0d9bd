"""The history the history library kept of cases becomes revisions of the whole case (one
history, not two): each historical version of a case, with its 活動分野 and 手法 as recorded,
its partners, photos and awards as they stood at that moment, becomes an approved revision
named 「変更履歴から移行」, by the same clerk at the same time. The library kept no schedule
rows, so a migrated revision holds none: it shows no schedule change, and reverting to it
leaves the schedule as it is (cases.revisions). Versions older than a case's first revision
only: the revisions already cover the rest. Every case that had no revision gets one of its
current state as its newest version, so 版の履歴 and review start from what is there.
"""

import datetime
from collections import defaultdict

from django.db import migrations
from django.db.models import Min

NOT_HELD = {"id", "number", "search_text", "created_at", "updated_at"}
PARTNER = ["organization_id", "role", "order"]
PHOTO = ["image", "alt_text", "caption", "credit", "order", "width", "height"]
AWARD = ["name", "category", "year", "awarding_body"]


def _json(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if hasattr(value, "name") and not isinstance(value, str):  # a file
        return value.name
    return value


def _as_of(history, until, ordering) -> list:
    """The rows as they stood just before `until` (None: now): each row's last historical
    version before then, unless it was a deletion."""
    last = {}
    for row in history:
        if until is None or row.history_date < until:
            last[row.id] = row
    rows = [row for row in last.values() if row.history_type != "-"]
    return sorted(rows, key=ordering)


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Revision = apps.get_model("cases", "Revision")
    HistoricalCase = apps.get_model("cases", "HistoricalCase")
    history_domains = apps.get_model("cases", "HistoricalCase_domains")
    history_methods = apps.get_model("cases", "HistoricalCase_methods")
    HistoricalCasePartner = apps.get_model("cases", "HistoricalCasePartner")
    HistoricalPhoto = apps.get_model("cases", "HistoricalPhoto")
    HistoricalAward = apps.get_model("cases", "HistoricalAward")
    Domain = apps.get_model("cases", "Domain")
    Method = apps.get_model("cases", "Method")
    Area = apps.get_model("partners", "Area")
    Organization = apps.get_model("partners", "Organization")
    OrganizationRecord = apps.get_model("partners", "OrganizationRecord")
    ScheduleItem = apps.get_model("cases", "ScheduleItem")
    CasePartner = apps.get_model("cases", "CasePartner")
    Photo = apps.get_model("cases", "Photo")
    Award = apps.get_model("cases", "Award")

    fields = [f for f in Case._meta.concrete_fields if f.name not in NOT_HELD]
    domain_names = dict(Domain.objects.values_list("pk", "name"))
    method_names = dict(Method.objects.values_list("pk", "name"))
    domain_order = {
        pk: i
        for i, pk in enumerate(Domain.objects.order_by("order", "pk").values_list("pk", flat=True))
    }
    method_order = {
        pk: i
        for i, pk in enumerate(Method.objects.order_by("order", "pk").values_list("pk", flat=True))
    }
    area_names = dict(Area.objects.values_list("pk", "name"))
    organization_names = dict(Organization.objects.values_list("pk", "name"))

    def records(organization_id) -> list:
        rows = OrganizationRecord.objects.filter(organization_id=organization_id)
        return [
            {"year": y, "kind": k, "title": t}
            for y, k, t in rows.values_list("year", "kind", "title")
        ]

    def taxonomy(ids, names, order) -> tuple[list, list]:
        ids = sorted({pk for pk in ids if pk in names})  # a deleted 活動分野 cannot come back
        return ids, [
            names[pk] for pk in sorted(ids, key=lambda pk: order.get(pk, 0)) if pk in names
        ]

    def partner_rows(rows) -> list:
        return [
            {
                **{c: _json(getattr(r, c)) for c in PARTNER},
                "name": organization_names.get(r.organization_id, ""),
            }
            for r in rows
        ]

    def snapshot(values, domains, methods, partners, photos, awards, schedule=None) -> dict:
        domain_ids, domain_texts = taxonomy(domains, domain_names, domain_order)
        method_ids, method_texts = taxonomy(methods, method_names, method_order)
        data = {
            "fields": {f.attname: _json(getattr(values, f.attname)) for f in fields},
            "names": {
                "area_id": area_names.get(values.area_id, "") if values.area_id else "",
                "lead_organization_id": organization_names.get(values.lead_organization_id, ""),
            },
            "domains": domain_ids,
            "methods": method_ids,
            "domain_names": domain_texts,
            "method_names": method_texts,
            "partners": partner_rows(partners),
            "photos": [{c: _json(getattr(r, c)) for c in PHOTO} for r in photos],
            "awards": [{c: _json(getattr(r, c)) for c in AWARD} for r in awards],
            "records": records(values.lead_organization_id),
        }
        if schedule is not None:
            data["schedule"] = schedule
        return data

    # Everything read in bulk, grouped by case: a catalogue of 100,000 cases migrates in
    # a few dozen queries.
    def grouped(rows, key) -> dict:
        found = defaultdict(list)
        for row in rows:
            found[key(row)].append(row)
        return found

    first_revision = dict(
        Revision.objects.values("case_id")
        .annotate(first=Min("created_at"))
        .values_list("case_id", "first")
    )
    versions = grouped(
        HistoricalCase.objects.order_by("id", "history_date", "history_id"), lambda r: r.id
    )
    domains_of = defaultdict(list)
    for history_id, domain_id in history_domains.objects.values_list("history_id", "domain_id"):
        domains_of[history_id].append(domain_id)
    methods_of = defaultdict(list)
    for history_id, method_id in history_methods.objects.values_list("history_id", "method_id"):
        methods_of[history_id].append(method_id)
    partner_history = grouped(
        HistoricalCasePartner.objects.order_by("history_date", "history_id"), lambda r: r.case_id
    )
    photo_history = grouped(
        HistoricalPhoto.objects.order_by("history_date", "history_id"), lambda r: r.case_id
    )
    award_history = grouped(
        HistoricalAward.objects.order_by("history_date", "history_id"), lambda r: r.case_id
    )

    made = []
    for case_id, rows in versions.items():
        since = first_revision.get(case_id)
        previous = None
        kept = [
            v for v in rows
            if v.history_type != "-" and (since is None or v.history_date < since)
        ]  # fmt: skip
        for n, version in enumerate(kept):
            # A page saves the case, then its rows (partners, photos, awards): a version holds
            # the rows as they stood until the next version of the case (or the first revision).
            until = kept[n + 1].history_date if n + 1 < len(kept) else since
            data = snapshot(
                version,
                domains_of[version.history_id],
                methods_of[version.history_id],
                _as_of(partner_history[case_id], until, lambda r: (r.order, r.id)),
                _as_of(photo_history[case_id], until, lambda r: (r.order, r.id)),
                _as_of(award_history[case_id], until, lambda r: (-r.year, r.id)),
            )
            if data == previous:
                continue
            previous = data
            reason = version.history_change_reason
            made.append(
                Revision(
                    case_id=case_id,
                    data=data,
                    status="approved",
                    source=f"変更履歴から移行（{reason}）" if reason else "変更履歴から移行",
                    author_id=version.history_user_id,
                    created_at=version.history_date,
                )
            )
    existing = set(Case.objects.values_list("pk", flat=True))
    Revision.objects.bulk_create([r for r in made if r.case_id in existing], batch_size=500)

    # Every case that had no revision: its current state as the newest version (the old history
    # missed rows changed after the case's own last save, and every schedule row).
    last_made = {r.case_id: r.created_at for r in made}
    through_domains = Case.domains.through.objects.values_list("case_id", "domain_id")
    through_methods = Case.methods.through.objects.values_list("case_id", "method_id")
    current_domains, current_methods = defaultdict(list), defaultdict(list)
    for case_id, domain_id in through_domains:
        current_domains[case_id].append(domain_id)
    for case_id, method_id in through_methods:
        current_methods[case_id].append(method_id)
    partners = grouped(CasePartner.objects.order_by("order", "pk"), lambda r: r.case_id)
    photos = grouped(Photo.objects.order_by("order", "pk"), lambda r: r.case_id)
    awards = grouped(Award.objects.order_by("-year", "pk"), lambda r: r.case_id)
    schedule = grouped(ScheduleItem.objects.order_by("order", "pk"), lambda r: r.case_id)
    batch = []
    for case in Case.objects.order_by("pk").iterator(chunk_size=1000):
        if case.pk in first_revision:
            continue
        data = snapshot(
            case,
            current_domains[case.pk],
            current_methods[case.pk],
            partners[case.pk],
            photos[case.pk],
            awards[case.pk],
            schedule=[
                {"period": r.period, "activity": r.activity, "order": r.order}
                for r in schedule[case.pk]
            ],
        )
        batch.append(
            Revision(
                case_id=case.pk,
                data=data,
                status="approved",
                source="版の記録を始めた時点の内容",
                created_at=max(case.updated_at, last_made.get(case.pk, case.updated_at)),
            )
        )
        if len(batch) >= 500:
            Revision.objects.bulk_create(batch)
            batch = []
    Revision.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_revision_staff_roles"),
        ("partners", "0012_organization_listing_checked"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
