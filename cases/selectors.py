"""Reads of cases: the case listing (the faceted search), a case page, the top page."""

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, Max, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from pyroaring import BitMap

from cases.filters import CASE_FACETS, fiscal_year
from cases.models import (
    Award,
    Case,
    CasePartner,
    CaseQuerySet,
    Photo,
    period_text,
    rows_of_cases,
    taxonomy_of_cases,
)
from kernel import catalogue, prepared
from kernel.listing import Column, Listing, Sort, amount, day
from partners.models import PartnerType, partner_type_of


def with_card_data(qs: CaseQuerySet) -> CaseQuerySet:
    """What a result card shows, in a fixed number of queries: of the partners only their
    kind (the card's partner types), none of the organizations' long texts."""
    partners = CasePartner.objects.select_related("organization").only(
        "case_id", "order", "organization__kind"
    )
    return qs.select_related("area", "lead_organization").prefetch_related(
        "domains", Prefetch("partners", partners), "photos", "awards"
    )


def with_full_data(qs: CaseQuerySet) -> CaseQuerySet:
    """Everything a case's page or PDF shows of its taxonomies and partners."""
    return qs.select_related("area", "lead_organization").prefetch_related(
        "domains",
        "methods",
        Prefetch("partners", CasePartner.objects.select_related("organization")),
        "photos",
        "awards",
    )


class AwardLine(NamedTuple):
    title: str
    year: int
    awarding_body: str


@dataclass(frozen=True, slots=True)
class CaseCard:
    """What a result card shows of a case (cases/templatetags/case_tags.py: case_card)."""

    pk: int
    number: int
    title: str
    summary: str
    area: str
    start_year: int
    end_year: int | None
    lead: str
    budget: int | None
    domains: tuple[str, ...] = ()
    partner_types: tuple[str, ...] = ()
    photo: tuple[str, int | None, int | None] | None = None  # url, width, height
    awards: tuple[AwardLine, ...] = ()

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.number])

    @property
    def period_display(self) -> str:
        return period_text(self.start_year, self.end_year)


def case_cards(rows: QuerySet) -> list[CaseCard]:
    """The cards of these cases, in their order."""
    return cards_by_id(list(rows.values_list("pk", flat=True)))


def cards_by_id(ids: list[int]) -> list[CaseCard]:
    """The cards of the cases with these ids, in this order, in five plain reads (no model
    instances: a page of twenty cards took a third of an uncached search through prefetched
    models) whose SQL is made once per process, in one round trip (kernel.prepared)."""
    cases, *parts = prepared.rows_each(
        [("cases:cards", _card_row, ids)]
        + [(f"cases:card-{part}", read, ids) for part, read in _CARD_PARTS.items()]
    )
    found = {row[0]: row for row in cases}
    domains, photos, awards = defaultdict(list), defaultdict(list), defaultdict(list)
    partners = defaultdict(set)
    domain_rows, partner_rows, photo_rows, award_rows = parts
    for case, name in domain_rows:
        domains[case].append(name)
    for case, kind in partner_rows:
        partners[case].add(partner_type_of(kind))
    storage = Photo._meta.get_field("image").storage
    for case, image, width, height in photo_rows:
        photos[case].append((storage.url(image), width, height))
    for case, name, category, year, body in award_rows:
        awards[case].append(AwardLine(f"{name} {category}" if category else name, year, body))
    return [
        CaseCard(
            *found[pk],
            domains=tuple(domains[pk]),
            partner_types=tuple(
                label for value, label in PartnerType.choices if value in partners[pk]
            ),
            photo=photos[pk][0] if photos[pk] else None,
            awards=tuple(awards[pk]),
        )
        for pk in ids
        if pk in found
    ]


def _card_row(keys: list[int]) -> QuerySet:
    return Case.objects.filter(pk__any_of=keys).order_by().values_list(
        "pk", "number", "title", "summary", "area__name", "start_year", "end_year",
        "lead_organization__name", "budget",
    )  # fmt: skip


_CARD_PARTS = {
    "domains": lambda keys: taxonomy_of_cases("domain", keys, "name"),
    "partners": lambda keys: rows_of_cases(CasePartner, keys, "organization__kind"),
    "photos": lambda keys: rows_of_cases(Photo, keys, "image", "width", "height"),
    "awards": lambda keys: rows_of_cases(Award, keys, "name", "category", "year", "awarding_body"),
}


CASES = Listing(
    name="cases",
    rows=Case.objects.published,
    facets=CASE_FACETS,
    sorts={
        "new": Sort(
            "新着順",
            (("published_on", True), ("number", True)),
            (F("published_on").desc(nulls_last=True), "-number"),
        ),
        "number": Sort("事例No.順", (("number", False),), ("number",)),
        "budget": Sort(
            "事業費の大きい順",
            (("budget", True), ("number", True)),
            (F("budget").desc(nulls_last=True), "-number"),
        ),
    },
    columns={
        "number": Column("number"),
        "published_on": Column("published_on", value=day),
        "budget": Column("budget", value=amount),
    },
    cards=cards_by_id,
    options_key=fiscal_year,
    # ongoing cases count up to the latest year offered: a new one means a rebuild
    stamp=lambda choices: choices["year"][0][0],
    reads=("organization",),  # an organization's kind is its cases' partner type
)


def newest_cases(limit: int = 6, exclude: list[int] = ()) -> list[CaseCard]:
    qs = Case.objects.published().exclude(pk__in=exclude).order_by(*CASES.sorts["new"].order_by)
    return case_cards(qs[:limit])


def featured_cases(limit: int = 3) -> list[CaseCard]:
    qs = Case.objects.published().filter(featured=True).order_by(*CASES.sorts["new"].order_by)
    return case_cards(qs[:limit])


def award_cases(limit: int = 3) -> list[CaseCard]:
    """Published cases that received an award, the most recent award first."""
    qs = (
        Case.objects.published()
        .with_awards()
        .annotate(last_award=Max("awards__year"))
        .order_by("-last_award", *CASES.sorts["new"].order_by)
    )
    return case_cards(qs[:limit])


def case_for_viewer(number: int, *, preview: bool) -> Case:
    """A published case; staff may preview drafts and archived ones."""
    qs = Case.objects.all() if preview else Case.objects.published()
    qs = qs.select_related("area", "lead_organization", "lead_organization__area")
    qs = qs.prefetch_related(
        "domains",
        "methods",
        "schedule",
        Prefetch("partners", CasePartner.objects.select_related("organization")),
        Prefetch("photos", Photo.objects.all()),
        "awards",
        "lead_organization__records",
    )
    case = qs.filter(number=number).first()
    if case is None:
        raise Http404("事例が見つかりません")
    return case


def archived_case(number: int) -> Case | None:
    """An archived case, for the page saying its listing has ended (drafts stay unknown)."""
    return (
        Case.objects.filter(number=number, status=Case.Status.ARCHIVED)
        .select_related("area")
        .prefetch_related("domains", "methods")
        .first()
    )


def related_cases(case: Case, limit: int = 4) -> list[CaseCard]:
    """Published cases sharing a domain and a method with this one, then either, newest first."""
    ids = catalogue.cached("related-cases", (case.pk, limit), lambda: _related_ids(case, limit))
    return CASES.in_order(ids)


def _related_ids(case: Case, limit: int) -> list[int]:
    index = CASES.index()
    domains = index.union("domain", [str(d.pk) for d in case.domains.all()])
    methods = index.union("method", [str(m.pk) for m in case.methods.all()])
    others = index.universe - BitMap([case.pk])
    found = index.page(others & domains & methods, "new", 0, limit)
    if len(found) < limit:
        either = (others & (domains | methods)) - BitMap(found)
        found += index.page(either, "new", 0, limit - len(found))
    return found


def cases_by_numbers(numbers: list[int], *, prefetch=None) -> tuple[list[Case], list[int]]:
    """The published cases with these numbers, in that order, and the numbers left out."""
    prefetch = prefetch or with_card_data
    found = {c.number: c for c in prefetch(Case.objects.published().filter(number__in=numbers))}
    return [found[n] for n in numbers if n in found], [n for n in numbers if n not in found]
