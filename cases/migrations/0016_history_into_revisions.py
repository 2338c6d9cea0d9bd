"""The history the history library kept of cases becomes revisions of the whole case (one
history, not two): each historical version of a case, with its 活動分野 and 手法 as recorded,
its partners, photos and awards as they stood at that moment, becomes an approved revision
named 「変更履歴から移行」, by the same clerk at the same time. The library kept no schedule
rows, so a migrated revision holds none: it shows no schedule change, and reverting to it
leaves the schedule as it is (cases.revisions). Versions older than a case's first revision
only: the revisions already cover the rest. Every case still without a revision gets one of
its current state, so 版の履歴 starts with what is there.
"""

import datetime

from django.db import migrations

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


def _as_of(history, when, ordering) -> list:
    """The rows as they stood at `when`: each row's last historical version up to then, unless
    it was a deletion."""
    last = {}
    for row in history:
        if row.history_date <= when:
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
        ids = sorted(set(ids))
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

    for case in Case.objects.order_by("pk").iterator():
        first = Revision.objects.filter(case_id=case.pk).order_by("created_at", "pk").first()
        versions = HistoricalCase.objects.filter(id=case.pk).order_by("history_date", "history_id")
        if first is not None:
            versions = versions.filter(history_date__lt=first.created_at)
        partners = list(HistoricalCasePartner.objects.filter(case_id=case.pk))
        photos = list(HistoricalPhoto.objects.filter(case_id=case.pk))
        awards = list(HistoricalAward.objects.filter(case_id=case.pk))
        previous = None
        made = []
        for version in versions:
            if version.history_type == "-":
                continue
            data = snapshot(
                version,
                history_domains.objects.filter(history_id=version.history_id).values_list(
                    "domain_id", flat=True
                ),
                history_methods.objects.filter(history_id=version.history_id).values_list(
                    "method_id", flat=True
                ),
                _as_of(partners, version.history_date, lambda r: (r.order, r.id)),
                _as_of(photos, version.history_date, lambda r: (r.order, r.id)),
                _as_of(awards, version.history_date, lambda r: (-r.year, r.id)),
            )
            if data == previous:
                continue
            previous = data
            reason = version.history_change_reason
            made.append(
                Revision(
                    case_id=case.pk,
                    data=data,
                    status="approved",
                    source=f"変更履歴から移行（{reason}）" if reason else "変更履歴から移行",
                    author_id=version.history_user_id,
                    created_at=version.history_date,
                )
            )
        if first is None:  # the case as it is now, so 版の履歴 starts with what is there
            schedule = [
                {"period": p, "activity": a, "order": o}
                for p, a, o in ScheduleItem.objects.filter(case_id=case.pk)
                .order_by("order", "pk")
                .values_list("period", "activity", "order")
            ]
            current = snapshot(
                case,
                case.domains.values_list("pk", flat=True),
                case.methods.values_list("pk", flat=True),
                CasePartner.objects.filter(case_id=case.pk).order_by("order", "pk"),
                Photo.objects.filter(case_id=case.pk).order_by("order", "pk"),
                Award.objects.filter(case_id=case.pk).order_by("-year", "pk"),
                schedule=schedule,
            )
            made.append(
                Revision(
                    case_id=case.pk,
                    data=current,
                    status="approved",
                    source="版の記録を始めた時点の内容",
                    created_at=case.updated_at,
                )
            )
        Revision.objects.bulk_create(made)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_revision_staff_roles"),
        ("partners", "0012_organization_listing_checked"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
