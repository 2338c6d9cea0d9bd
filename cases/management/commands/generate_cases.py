"""Generate N synthetic published cases for benchmarks (their text: ../synthetic_text.py)."""

import datetime
import json
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from cases.management.synthetic_text import CaseText, districts
from cases.models import Case, CasePartner, Domain, Method, ScheduleItem
from kernel import feed
from partners.models import Area, Organization

BATCH = 2000
TEXT_FIELDS = ["summary", "background", "activities", "outcomes", "tips", "future_plans"]
DEMO_KEYS = {"future_plans": "future"}
ORG_WORDS = [
    "みらい",
    "ひだまり",
    "つなぐ",
    "わかば",
    "そよかぜ",
    "はまなす",
    "いろどり",
    "こもれび",
]
ORG_KINDS = [
    "npo",
    "voluntary",
    "community",
    "company",
    "government",
    "education",
    "public_interest",
]


def _demo(name: str) -> list[dict]:
    return [
        row
        for path in sorted(settings.DEMO_DIR.glob(f"{name}-*.json"))
        for row in json.loads(path.read_text())
    ]


def _budget(rnd: random.Random) -> int | None:
    """Spread over every 事業費 band, a tenth unknown."""
    if rnd.random() < 0.1:
        return None
    return rnd.choice([1, 2, 5, 10, 30, 80, 150, 600]) * 10_000 * rnd.randint(1, 9)


def _sentences(text: str) -> list[str]:
    return [s + "。" for s in text.split("。") if s.strip()]


@dataclass
class _Pools:
    """What generated cases are drawn from."""

    corpus: dict[str, list[str]]
    districts: list[str]
    roles: list[str]
    schedule: list[dict]
    areas: list[Area]
    domains: list[Domain]
    methods: list[Method]
    organizations: list[Organization]


@contextmanager
def _trigram_index_built_after():
    """On PostgreSQL, build the keyword index (migration 0003) once at the end: keeping it up
    to date row by row makes a bulk load several times slower."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS case_search_text_trgm")
    try:
        yield
    finally:
        connection.check_constraints()  # fires deferred checks, which would block the index
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")  # the build sorts in memory
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS case_search_text_trgm "
                "ON cases_case USING gin (search_text gin_trgm_ops)"
            )


class Command(BaseCommand):
    help = "ベンチマーク用に、デモ事例の文章から合成した公開事例をN件作ります。"

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count: int, seed: int, **options):
        rnd = random.Random(seed)
        start = time.perf_counter()
        demo = _demo("cases")
        areas = list(Area.objects.all())
        pools = _Pools(
            corpus={
                f: [s for row in demo for s in _sentences(row.get(DEMO_KEYS.get(f, f), ""))]
                for f in TEXT_FIELDS
            },
            districts=districts(rnd),
            roles=[p["role"] for row in demo for p in row.get("partners", [])],
            schedule=[s for row in demo for s in row.get("schedule", [])],
            areas=areas,
            domains=list(Domain.objects.all()),
            methods=list(Method.objects.all()),
            organizations=self._organizations(rnd, max(50, count // 5), areas),
        )
        first = (Case.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        with _trigram_index_built_after(), feed.bulk(Case, Organization):
            for offset in range(0, count, BATCH):
                numbers = range(first + offset, first + min(offset + BATCH, count))
                with transaction.atomic():
                    self._create_batch(rnd, pools, numbers)
                self.stdout.write(f"{offset + len(numbers)}件…", ending="\r")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, or the planner guesses badly at scale
        self.stdout.write(f"公開事例を{count}件作りました（{time.perf_counter() - start:.0f}秒）。")

    def _create_batch(self, rnd: random.Random, pools: "_Pools", numbers: range) -> None:
        """Cases with these numbers, their taxonomies, partners, schedule and search text."""
        today = datetime.date.today()
        plans = []
        for _ in numbers:
            domains = rnd.sample(pools.domains, rnd.randint(1, 3))  # the first is the theme
            area = rnd.choice(pools.areas)
            plans.append(
                (domains, area, CaseText(rnd, domains[0].name, pools.districts, area.name))
            )
        cases = Case.objects.bulk_create(
            Case(
                number=number,
                title=text.title,
                status=Case.Status.PUBLISHED,
                area=area,
                start_year=(start_year := rnd.randint(2005, today.year)),
                end_year=rnd.choice([None, rnd.randint(start_year, today.year)]),
                budget=_budget(rnd),
                budget_note="市の委託料と参加費、企業の協賛金で運営",
                lead_organization=rnd.choice(pools.organizations),
                lead_role=rnd.choice(pools.roles),
                published_on=today - datetime.timedelta(days=rnd.randint(0, 3650)),
                verified_on=today - datetime.timedelta(days=rnd.randint(0, 800)),
                **{f: text.field(f, pools.corpus[f]) for f in TEXT_FIELDS},
            )
            for number, (_, area, text) in zip(numbers, plans, strict=True)
        )  # fmt: skip
        through_d, through_m = Case.domains.through, Case.methods.through
        through_d.objects.bulk_create(
            through_d(case=c, domain=d)
            for c, (domains, _, _) in zip(cases, plans, strict=True)
            for d in domains
        )
        through_m.objects.bulk_create(
            through_m(case=c, method=m)
            for c in cases
            for m in rnd.sample(pools.methods, rnd.randint(1, 2))
        )
        CasePartner.objects.bulk_create(
            CasePartner(case=c, organization=o, role=rnd.choice(pools.roles), order=j)
            for c in cases
            for j, o in enumerate(rnd.sample(pools.organizations, rnd.randint(1, 3)))
            if o.pk != c.lead_organization_id
        )
        ScheduleItem.objects.bulk_create(
            ScheduleItem(case=c, period=s["period"], activity=s["activity"], order=j)
            for c in cases
            for j, s in enumerate(rnd.sample(pools.schedule, 3))
        )

    def _organizations(self, rnd, count: int, areas) -> list[Organization]:
        existing = Organization.objects.count()
        orgs = Organization.objects.bulk_create(
            Organization(
                name=f"{(area := rnd.choice(areas)).name}{rnd.choice(ORG_WORDS)}の会{existing + i}",
                kana=f"ゴウセイ{existing + i}",
                kind=rnd.choice(ORG_KINDS),
                area=area,
                mission="地域の課題に住民と一緒に取り組みます。",
            )
            for i in range(count)
        )
        return orgs
