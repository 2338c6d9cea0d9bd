"""Matching beside a seed or a case: cases on a seed's theme, seeds that complement a seed,
seeds on a case's theme; each chosen from the bitmaps, the best tier first."""

from dataclasses import dataclass

from pyroaring import BitMap

from cases.models import Case
from cases.selectors import CASES
from kernel import catalogue
from lib.text import keyword_terms
from seeds.models import Resource, Seed
from seeds.selectors import SEEDS, SeedCard

MAX_KEYWORDS = 5
SAME_DOMAIN, SAME_AREA = "同じ分野", "同じ地域"


@dataclass
class Match:
    """A case or seed shown beside a seed, with why it was chosen."""

    item: object
    reasons: list[str]


def _keyword_sets(model, seed: Seed) -> list[tuple[str, BitMap]]:
    """Per keyword of the seed, the rows (any status) whose text holds it."""
    words = seed.keywords.replace("、", " ").split()[:MAX_KEYWORDS]
    searched = [(word, terms) for word in words if (terms := keyword_terms(word))]
    found = catalogue.matching_keys_each(model, [terms for _, terms in searched])
    return [(word, keys) for (word, _), keys in zip(searched, found, strict=True)]


def _ranked(index, candidates: BitMap, tiers: list[BitMap], order: str, limit: int) -> list[int]:
    """Up to `limit` ids of the candidates, the best tier first, newest first within a tier."""
    found: list[int] = []
    for tier in [*tiers, candidates]:
        rest = (candidates & tier) - BitMap(found)
        found += index.page(rest, order, 0, limit - len(found))
        if len(found) >= limit:
            break
    return found


def _reasons(pk: int, domain: BitMap, area: BitMap, words: list[tuple[str, BitMap]]):
    reasons = []
    if pk in domain:
        reasons.append(SAME_DOMAIN)
    if pk in area:
        reasons.append(SAME_AREA)
    reasons += [f"キーワード「{word}」" for word, rows in words if pk in rows]
    return reasons


def similar_cases(seed: Seed, limit: int = 4) -> list[Match]:
    """Published cases on the seed's theme: the same 活動分野 or one of its keywords, those
    also in its area first; each with the reasons it matched."""

    def compute() -> list[tuple[int, list[str]]]:
        index = CASES.index()
        domain = index.union("domain", [str(d.pk) for d in seed.domains.all()])
        area = index.union("area", [str(seed.area_id)])
        words = _keyword_sets(Case, seed)
        keyword = BitMap.union(*[rows for _, rows in words]) if words else BitMap()
        candidates = index.universe & (domain | keyword)
        tiers = [domain & keyword & area, domain & keyword, (domain | keyword) & area]
        ids = _ranked(index, candidates, tiers, "new", limit)
        return [(pk, _reasons(pk, domain, area, words)) for pk in ids]

    found = catalogue.cached("seed-similar-cases", (seed.pk, limit), compute)
    cases = CASES.in_order([pk for pk, _ in found])
    reasons = dict(found)
    return [Match(case, reasons[case.pk]) for case in cases]


COMPLEMENTS = {
    Seed.Kind.WISH: [Seed.Kind.OFFER, Seed.Kind.MENU],
    Seed.Kind.OFFER: [Seed.Kind.WISH, Seed.Kind.MENU],
    Seed.Kind.MENU: [Seed.Kind.WISH, Seed.Kind.OFFER],
}


def complementary_seeds(seed: Seed, limit: int = 4) -> list[Match]:
    """Approved seeds still looking for partners, in the same 活動分野, that offer what this
    one wants or want what it offers (a department's need beside groups' offers, and the
    reverse); those also in its area first. Each with the reasons it matched."""

    def compute() -> list[tuple[int, list[str]]]:
        index = SEEDS.index()
        domain = index.union("domain", [str(d.pk) for d in seed.domains.all()])
        area = index.union("area", [str(seed.area_id)])
        seeking = index.union("status", [str(s) for s in Seed.SEEKING])
        other_kinds = index.union("kind", [str(k) for k in COMPLEMENTS[seed.kind]])
        gives = {r: index.union("offer", [r]) for r in seed.resources_wanted}
        takes = {r: index.union("want", [r]) for r in seed.resources_offered}
        fits = BitMap.union(*gives.values(), *takes.values()) if gives or takes else BitMap()
        words = _keyword_sets(Seed, seed)
        keyword = BitMap.union(*[rows for _, rows in words]) if words else BitMap()
        candidates = (index.universe & seeking & domain & (fits | other_kinds)) - BitMap([seed.pk])
        tiers = [fits & other_kinds & area, fits & area, fits & keyword, fits]
        ids = _ranked(index, candidates, tiers, "new", limit)
        labels = dict(Resource.choices)
        result = []
        for pk in ids:
            reasons = _reasons(pk, domain, area, words)
            reasons += [f"「{labels[r]}」を提供できる" for r, rows in gives.items() if pk in rows]
            reasons += [f"「{labels[r]}」を求めている" for r, rows in takes.items() if pk in rows]
            result.append((pk, reasons))
        return result

    found = catalogue.cached("seed-complements", (seed.pk, limit), compute)
    reasons = dict(found)
    return [Match(s, reasons[s.pk]) for s in SEEDS.in_order([pk for pk, _ in found])]


def seeds_on_theme(case: Case, limit: int = 3) -> list[SeedCard]:
    """Approved seeds looking for partners in one of the case's 活動分野, newest first."""

    def compute() -> list[int]:
        index = SEEDS.index()
        domains = index.union("domain", [str(d.pk) for d in case.domains.all()])
        seeking = index.union("status", [str(s) for s in Seed.SEEKING])
        area = index.union("area", [str(case.area_id)])
        candidates = index.universe & domains & seeking
        return _ranked(index, candidates, [candidates & area], "new", limit)

    return SEEDS.in_order(catalogue.cached("case-seeds", (case.pk, limit), compute))
