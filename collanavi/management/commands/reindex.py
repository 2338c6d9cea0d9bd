"""Rebuild every case's, organization's and seed's search text, after the normalisation
changed."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from kernel import feed


class Command(BaseCommand):
    help = "事例・団体・協働の種の検索用テキストをすべて作り直します（正規化を変えたあとに実行）。"

    def handle(self, *args, **options):
        started = time.monotonic()
        rebuilt = []
        with transaction.atomic():
            for made in feed.artifacts().values():
                if made.name.endswith(".search_text"):
                    made.rebuild()
                    rebuilt.append(made.name)
            feed.record({feed.SEARCH})  # keyword matches are looked up anew
        self.stdout.write(
            f"{len(rebuilt)}種類の検索用テキストを作り直しました"
            f"（{time.monotonic() - started:.1f}秒）。"
        )
