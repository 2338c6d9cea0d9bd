"""Rebuild every case's, organization's and seed's search text, after the normalisation
changed."""

import time

from django.core.management.base import BaseCommand

from cases.models import Case
from cases.services import with_text_data
from kernel import catalogue, ngram
from partners.models import Organization
from seeds.models import Seed

BATCH = 1000


class Command(BaseCommand):
    help = "事例・団体・協働の種の検索用テキストをすべて作り直します（正規化を変えたあとに実行）。"

    def handle(self, *args, **options):
        started = time.monotonic()
        cases = self._rebuild(Case, with_text_data)
        organizations = self._rebuild(Organization, lambda rows: rows.select_related("area"))
        seeds = self._rebuild(
            Seed,
            lambda rows: rows.select_related("area", "organization").prefetch_related("domains"),
        )
        catalogue.bump()
        self.stdout.write(
            f"事例 {cases:,}件、団体 {organizations:,}件、協働の種 {seeds:,}件の"
            "検索用テキストを作り直しました"
            f"（{time.monotonic() - started:.1f}秒）。"
        )

    def _rebuild(self, model, with_data) -> int:
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            rows = with_data(model.objects.filter(pk__in=ids[start : start + BATCH]))
            ngram.save_texts(model, {row.pk: row.build_search_text() for row in rows})
        return len(ids)
