"""Reads of seeds: the board, a seed's page, the lists other pages show; matches: matching.py."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F
from django.http import Http404
from django.urls import reverse

from cases.models import Case
from directory.selectors import ORGANIZATIONS
from kernel import prepared
from kernel.listing import Column, Listing, Sort, day
from partners.models import Organization
from seeds.filters import SEED_FACETS
from seeds.models import Resource, Seed, SeedQuerySet, StatusChange, labels_of

NO_DEADLINE = datetime.date.max.toordinal() + 1  # after every date: last when soonest first


@dataclass(frozen=True, slots=True)
class SeedCard:
    """What a seed's card shows (seeds/templatetags/seed_tags.py: seed_card)."""

    pk: int
    kind: str
    status: str
    title: str
    poster: str
    area: str
    deadline: datetime.date | None
    wish: str
    resources_wanted: tuple[str, ...]
    resources_offered: tuple[str, ...]
    domains: tuple[str, ...] = ()

    def get_absolute_url(self) -> str:
        return reverse("seeds:detail", args=[self.pk])

    def get_kind_display(self) -> str:
        return Seed.Kind(self.kind).label

    def get_status_display(self) -> str:
        return Seed.Status(self.status).label

    def wanted_labels(self) -> list[str]:
        return labels_of(Resource, self.resources_wanted)

    def offered_labels(self) -> list[str]:
        return labels_of(Resource, self.resources_offered)


def seed_cards(rows: SeedQuerySet) -> list[SeedCard]:
    """The cards of these seeds, in their order."""
    return cards_by_id(list(rows.values_list("pk", flat=True)))


def cards_by_id(ids: list[int]) -> list[SeedCard]:
    """The cards of the seeds with these ids, in this order, in two plain reads (no model
    instances) whose SQL is made once per process, in one round trip (kernel.prepared)."""
    seeds, domain_rows = prepared.rows_each(
        [("seeds:cards", _card_row, ids), ("seeds:card-domains", _card_domains, ids)]
    )
    found = {row[0]: row for row in seeds}
    domains = defaultdict(list)
    for seed, name in domain_rows:
        domains[seed].append(name)
    cards = []
    for pk in ids:
        if pk not in found:
            continue
        _, kind, status, title, poster_name, organization, area, deadline, wish, wanted, offered = (
            found[pk]
        )
        cards.append(
            SeedCard(
                pk,
                kind,
                status,
                title,
                poster_name or organization or "",
                area,
                deadline,
                wish,
                tuple(wanted or ()),
                tuple(offered or ()),
                domains=tuple(domains[pk]),
            )  # fmt: skip
        )
    return cards


def _card_row(keys: list[int]) -> SeedQuerySet:
    return Seed.objects.filter(pk__any_of=keys).order_by().values_list(
        "pk", "kind", "status", "title", "poster_name", "organization__name", "area__name",
        "deadline", "wish", "resources_wanted", "resources_offered",
    )  # fmt: skip


def _card_domains(keys: list[int]):
    rows = Seed.domains.through.objects.filter(seed__pk__any_of=keys)
    return rows.order_by("domain__order", "domain__pk").values_list("seed_id", "domain__name")


SEEDS = Listing(
    name="seeds",
    rows=Seed.objects.public,
    facets=SEED_FACETS,
    sorts={
        "new": Sort("新着順", (("approved_on", True), ("pk", True)), ("-approved_on", "-pk")),
        "deadline": Sort(
            "募集期限の近い順",
            (("deadline", False), ("pk", True)),
            (F("deadline").asc(nulls_last=True), "-pk"),
        ),
    },
    columns={
        "pk": Column("pk"),
        "approved_on": Column("approved_on", value=day),
        "deadline": Column("deadline", value=lambda d: d.toordinal() if d else NO_DEADLINE),
    },
    cards=cards_by_id,
)


def seed_for_viewer(pk: int, *, preview: bool) -> Seed:
    """An approved seed; staff may preview the others."""
    qs = Seed.objects.all() if preview else Seed.objects.public()
    seed = (
        qs.select_related("area", "organization")
        .prefetch_related("domains")
        .defer("search_text", "organization__search_text")
        .filter(pk=pk)
        .first()
    )
    if seed is None:
        raise Http404("協働の種が見つかりません")
    return seed


@dataclass
class Step:
    label: str
    date: datetime.date | None
    current: bool
    reached: bool


def timeline(seed: Seed) -> list[Step]:
    """募集中 → 相談中 → 協議中 → 実践中 → 事例化 or 終了, with the date each was last reached.

    Notes are staff-only and never read here."""
    reached: dict[str, datetime.date] = {}
    for to, date in StatusChange.objects.filter(seed=seed).values_list("to_status", "date"):
        reached[to] = date
    if not reached and seed.approved_on:
        reached[Seed.Status.OPEN] = seed.approved_on
    order = [
        Seed.Status.OPEN,
        Seed.Status.CONSULTING,
        Seed.Status.DISCUSSING,
        Seed.Status.PRACTICING,
    ]
    order.append(Seed.Status.CLOSED if seed.status == Seed.Status.CLOSED else Seed.Status.CASE)
    position = order.index(seed.status)
    return [
        Step(
            Seed.Status(status).label,
            reached.get(status) if i <= position else None,
            i == position,
            i <= position,
        )
        for i, status in enumerate(order)
    ]


def public_case(seed: Seed) -> Case | None:
    """The case that came of the seed, once it is published."""
    if seed.case_id is None:
        return None
    return Case.objects.published().filter(pk=seed.case_id).only("number", "title").first()


def poster_page(seed: Seed) -> Organization | None:
    """The poster's organization, when the directory lists it (its page would 404 otherwise)."""
    if seed.organization_id is None or seed.organization_id not in ORGANIZATIONS.index().universe:
        return None
    return seed.organization


def newest_open_seeds(limit: int = 3) -> list[SeedCard]:
    """For the top page: the newest approved seeds still at 募集中."""
    qs = Seed.objects.public().filter(status=Seed.Status.OPEN).order_by("-approved_on", "-pk")
    return seed_cards(qs[:limit])


def organization_seeds(organization: Organization) -> list[SeedCard]:
    """An organization's approved seeds and menus that still look for partners."""
    qs = Seed.objects.public().seeking().filter(organization=organization)
    return seed_cards(qs.order_by("-approved_on", "-pk")[:20])


def poster_seeds(name: str) -> tuple[list[SeedCard], list[SeedCard]]:
    """A department's (or a group's named) approved seeds and menus: those still looking for
    partners, and the rest (in practice, made a case, closed); newest first, 50 of each."""
    qs = Seed.objects.public().filter(poster_name=name).order_by("-approved_on", "-pk")
    seeking = seed_cards(qs.filter(status__in=Seed.SEEKING)[:50])
    return seeking, seed_cards(qs.exclude(status__in=Seed.SEEKING)[:50])
