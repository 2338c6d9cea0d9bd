"""Load the fictional sample cases, organizations and 協働の種 in fixtures/demo/ (idempotent:
run it as often as you like)."""

import datetime
import functools
import io
import json
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.models import Award, Case, CasePartner, Domain, Method, Photo, ScheduleItem
from kernel import feed
from lib.illustrations import draw_illustration
from partners.models import Area, Organization, OrganizationRecord
from seeds.demo import load_seeds


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class Command(BaseCommand):
    help = "fixtures/demo/ の架空のサンプル事例・団体を読み込みます（何度実行しても同じ結果）。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=settings.DEMO_DIR)

    def handle(self, *args, **options):
        directory: Path = options["dir"]
        org_rows = [r for f in sorted(directory.glob("organizations-*.json")) for r in _load(f)]
        case_rows = [r for f in sorted(directory.glob("cases-*.json")) for r in _load(f)]
        if not case_rows:
            raise CommandError(f"{directory} に cases-*.json がありません")
        with transaction.atomic(), feed.bulk():
            organizations = {row["key"]: self._organization(row) for row in org_rows}
            for row in case_rows:
                self._case(row, organizations)
            seeds = load_seeds(directory / "seeds.json", organizations)
        self.stdout.write(
            f"デモデータ: 団体 {len(organizations)}件、事例 {len(case_rows)}件、"
            f"協働の種 {seeds}件を読み込みました。"
        )

    def _organization(self, row: dict) -> Organization:
        organization, _ = Organization.objects.update_or_create(
            name=row["name"],
            defaults={
                "kana": row["kana"],
                "kind": row["kind"],
                "area": Area.objects.get(name=row["area"]) if row.get("area") else None,
                "address": row.get("address", ""),
                "website": row.get("website", ""),
                "contact": row.get("contact", ""),
                "founded_year": row.get("founded"),
                "members": row.get("members", ""),
                "mission": row.get("mission", ""),
                "activities": row.get("activities", ""),
                "corporate_number": row.get("corporate_number", ""),
            },
        )
        organization.full_clean()
        organization.records.all().delete()
        OrganizationRecord.objects.bulk_create(
            OrganizationRecord(organization=organization, **record)
            for record in row.get("records", [])
        )
        return organization

    def _case(self, row: dict, organizations: dict[str, Organization]) -> None:
        case, _ = Case.objects.update_or_create(
            number=row["number"],
            defaults={
                "title": row["title"],
                "status": row["status"],
                "featured": row.get("featured", False),
                "area": Area.objects.get(name=row["area"]),
                "start_year": row["start_year"],
                "end_year": row.get("end_year"),
                "budget": row.get("budget"),
                "budget_note": row.get("budget_note", ""),
                "summary": row["summary"],
                "background": row.get("background", ""),
                "activities": row.get("activities", ""),
                "lead_organization": organizations[row["lead"]],
                "lead_role": row.get("lead_role", ""),
                "outcomes": row.get("outcomes", ""),
                "tips": row.get("tips", ""),
                "future_plans": row.get("future", ""),
                "published_on": _date(row.get("published_on")),
                "verified_on": _date(row.get("verified_on")),
            },
        )
        case.full_clean()
        case.domains.set([Domain.objects.get(name=name) for name in row["domains"]])
        case.methods.set([Method.objects.get(name=name) for name in row["methods"]])
        case.partners.all().delete()
        CasePartner.objects.bulk_create(
            CasePartner(case=case, organization=organizations[p["org"]], role=p["role"], order=i)
            for i, p in enumerate(row.get("partners", []))
        )
        case.schedule.all().delete()
        ScheduleItem.objects.bulk_create(
            ScheduleItem(case=case, period=s["period"], activity=s["activity"], order=i)
            for i, s in enumerate(row.get("schedule", []))
        )
        case.awards.all().delete()
        for award in row.get("awards", []):  # one by one: each names its case for the bitmaps
            Award.objects.create(case=case, **award)
        self._photos(case, row.get("photos", []))

    def _photos(self, case: Case, rows: list[dict]) -> None:
        """Keep pictures already drawn; draw only the missing ones (drawing is the slow part)."""
        existing = {}
        for photo in case.photos.all():
            if photo.order < len(rows) and photo.image.storage.exists(photo.image.name):
                existing[photo.order] = photo
            else:
                photo.image.delete(save=False)
                photo.delete()
        for i, row in enumerate(rows):
            photo = existing.get(i) or Photo(case=case, order=i)
            photo.caption = row.get("caption", "")
            photo.alt_text = row["alt"]
            photo.credit = row.get("credit", "")
            if photo.pk:
                photo.save()
                continue
            jpeg = _illustration(row["motif"], seed=case.number * 10 + i)
            photo.image.save(f"demo-{case.number}-{i + 1}.jpg", ContentFile(jpeg))


@functools.cache
def _illustration(motif: str, seed: int) -> bytes:
    """A demo photo as a JPEG, drawn once per process (a second load into another database, as
    tests and `restore --check` make, draws nothing again)."""
    buffer = io.BytesIO()
    draw_illustration(motif, seed=seed).save(
        buffer, "JPEG", quality=82, optimize=True, progressive=True
    )
    return buffer.getvalue()


def _load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))
