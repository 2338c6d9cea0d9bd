"""Reads of seeds: the board, a seed's page, the lists other pages show; matches: matching.py."""

import datetime
from dataclasses import dataclass

from django.db.models import F
from django.http import Http404

from cases.models import Case
from directory.selectors import listed
from kernel.listing import Column, Listing, Sort, day
from partners.models import Organization
from seeds.filters import SEED_FACETS
from seeds.models import Seed, SeedQuerySet, StatusChange

NO_DEADLINE = datetime.date.max.toordinal() + 1  # after every date: last when soonest first


def with_card_data(qs: SeedQuerySet) -> SeedQuerySet:
    return (
        qs.select_related("area", "organization")
        .prefetch_related("domains")
        .defer("search_text", "staff_notes", "organization__search_text")
    )


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
    cards=with_card_data,
)


def seed_for_viewer(pk: int, *, preview: bool) -> Seed:
    """An approved seed; staff may preview the others."""
    qs = Seed.objects.all() if preview else Seed.objects.public()
    seed = (
        qs.select_related("area", "organization", "case")
        .prefetch_related("domains")
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
    case = seed.case
    return case if case is not None and case.is_published else None


def poster_page(seed: Seed) -> Organization | None:
    """The poster's organization, when the directory lists it (its page would 404 otherwise)."""
    if seed.organization_id is None:
        return None
    return listed().filter(pk=seed.organization_id).first()


def newest_open_seeds(limit: int = 3) -> list[Seed]:
    """For the top page: the newest approved seeds still at 募集中."""
    qs = Seed.objects.public().filter(status=Seed.Status.OPEN).order_by("-approved_on", "-pk")
    return list(with_card_data(qs)[:limit])


def organization_seeds(organization: Organization) -> list[Seed]:
    """An organization's approved seeds and menus that still look for partners."""
    qs = Seed.objects.public().seeking().filter(organization=organization)
    return list(with_card_data(qs.order_by("-approved_on", "-pk"))[:20])


def poster_seeds(name: str) -> tuple[list[Seed], list[Seed]]:
    """A department's (or a group's named) approved seeds and menus: those still looking for
    partners, and the rest (in practice, made a case, closed); newest first, 50 of each."""
    qs = with_card_data(Seed.objects.public().filter(poster_name=name)).order_by(
        "-approved_on", "-pk"
    )
    seeking = list(qs.filter(status__in=Seed.SEEKING)[:50])
    return seeking, list(qs.exclude(status__in=Seed.SEEKING)[:50])
