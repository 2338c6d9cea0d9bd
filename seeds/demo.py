"""The fictional demo seeds in fixtures/demo/seeds.json, loaded by `manage.py load_demo`."""

import datetime
import json
from pathlib import Path

from cases.models import Case, Domain
from partners.models import Area, Organization
from seeds.models import Seed, StatusChange


def load_seeds(path: Path, organizations: dict[str, Organization]) -> int:
    """Create or update each seed by its title, with its progress; returns how many."""
    rows = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    for row in rows:
        history = [(status, datetime.date.fromisoformat(day)) for status, day in row["history"]]
        review = row.get("review", Seed.Review.APPROVED)
        case = Case.objects.get(number=row["case"]) if row.get("case") else None
        seed, _ = Seed.objects.update_or_create(
            title=row["title"],
            defaults={
                "kind": row["kind"],
                "organization": organizations[row["org"]] if row.get("org") else None,
                "poster_name": row.get("poster", ""),
                "area": Area.objects.get(name=row["area"]),
                "issue": row["issue"],
                "wish": row["wish"],
                "partner_types_wanted": row["partner_types"],
                "resources_wanted": row["wants"],
                "resources_offered": row["offers"],
                "period": row.get("period", ""),
                "deadline": datetime.date.fromisoformat(row["deadline"])
                if row.get("deadline")
                else None,
                "keywords": row.get("keywords", ""),
                "status": row["status"],
                "case": case,
                "review": review,
                "approved_on": history[0][1] if history and review == "approved" else None,
                "contact_person": "デモ 担当者",
                "contact_email": "demo-seeds@example.jp",
            },
        )
        seed.full_clean()
        seed.domains.set([Domain.objects.get(name=name) for name in row["domains"]])
        seed.changes.all().delete()
        before = ""
        for status, day in history:
            StatusChange.objects.create(seed=seed, date=day, from_status=before, to_status=status)
            before = status
    return len(rows)
