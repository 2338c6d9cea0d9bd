"""Generate N synthetic approved 協働の種 for benchmarks, drawn from the demo seeds' texts."""

import datetime
import json
import random

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from cases.models import Domain
from kernel import feed
from partners.models import Area, Organization, PartnerType
from seeds.models import Resource, Seed

BATCH = 2000


class Command(BaseCommand):
    help = "ベンチマーク用に、承認済みの架空の協働の種を N 件作ります。"

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=15, help="乱数の種（同じ値で同じデータ）")

    def handle(self, *args, count: int, seed: int, **options):
        rnd = random.Random(seed)
        rows = json.loads((settings.DEMO_DIR / "seeds.json").read_text(encoding="utf-8"))
        areas = list(Area.objects.all())
        domains = list(Domain.objects.all())
        organizations = list(Organization.objects.values_list("pk", flat=True)[:500]) or [None]
        statuses = [s for s in Seed.Status.values if s != Seed.Status.CASE]
        start = datetime.date(2020, 4, 1)
        made = 0
        with feed.bulk(Seed):
            while made < count:
                size = min(BATCH, count - made)
                with transaction.atomic():
                    batch = Seed.objects.bulk_create(
                        self._seed(rnd, rows, areas, organizations, statuses, start, made + i)
                        for i in range(size)
                    )
                    links = [
                        Seed.domains.through(seed_id=s.pk, domain_id=d.pk)
                        for s in batch
                        for d in rnd.sample(domains, rnd.randint(1, 3))
                    ]
                    Seed.domains.through.objects.bulk_create(links)
                made += size
                self.stdout.write(f"協働の種 {made:,} / {count:,}件")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics: a stale guess joins 20,000 rows for 4

    def _seed(self, rnd, rows, areas, organizations, statuses, start, n) -> Seed:
        row = rnd.choice(rows)
        resources = Resource.values
        return Seed(
            kind=rnd.choice(Seed.Kind.values),
            title=f"{row['title']}（{n + 1}）",
            organization_id=rnd.choice(organizations),
            poster_name="",
            area=rnd.choice(areas),
            issue=row["issue"],
            wish=row["wish"],
            partner_types_wanted=rnd.sample(PartnerType.values, rnd.randint(1, 3)),
            resources_wanted=rnd.sample(resources, rnd.randint(0, 3)),
            resources_offered=rnd.sample(resources, rnd.randint(1, 3)),
            period=row.get("period", ""),
            deadline=start + datetime.timedelta(days=rnd.randint(0, 3000))
            if rnd.random() < 0.4
            else None,
            keywords=row.get("keywords", ""),
            status=rnd.choice(statuses),
            review=Seed.Review.APPROVED,
            approved_on=start + datetime.timedelta(days=rnd.randint(0, 2400)),
        )
