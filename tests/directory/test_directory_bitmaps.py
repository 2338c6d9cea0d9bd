"""The organization directory's bitmaps give what SQL gives, and follow every edit at once."""

import random

import pytest

from cases.models import Case, CasePartner, Domain
from directory.filters import ORGANIZATION_FACETS
from directory.selectors import ORGANIZATIONS
from kernel import feed
from kernel.facets import as_query_dict
from partners.models import Area, Organization
from tests import factories

pytestmark = pytest.mark.django_db

KINDS = ["npo", "voluntary", "community", "company", "government", "education"]
AREAS = ["千葉市", "市川市", "船橋市", "館山市"]
KANA = ["アオゾラ", "イロハ", "ウミ", "エキマエ", "オカ", "カモメ", "キタ", "クスノキ"]


def _sql_directory(params: dict) -> dict:
    """The directory as plain SQL: per facet the rows of the other facets' filters, and per
    value the rows its filter keeps (read once per catalogue version: the searches between two
    edits share them)."""
    params = as_query_dict(params)
    filterset = ORGANIZATIONS.filterset(params)
    choices = filterset.choices
    base = filterset.queryset
    results = filterset.filter_except(base, exclude=None).order_by("kana", "name", "pk")
    counts = {}
    for spec in ORGANIZATION_FACETS:
        others = set(filterset.filter_except(base, exclude=spec.name).values_list("pk", flat=True))
        counts[spec.name] = {
            value: len(others & _having(spec, value)) for value, _ in choices[spec.name]
        }
    return {
        "total": results.count(),
        "ids": list(results.values_list("pk", flat=True)[: ORGANIZATIONS.page_size]),
        "counts": counts,
    }


_kept: dict[tuple, set[int]] = {}


def _having(spec, value: str) -> set[int]:
    """The public organizations this facet's SQL filter keeps for one value."""
    key = (feed.head(), spec.name, value)
    if key not in _kept:
        _kept[key] = set(spec.filter(ORGANIZATIONS.rows(), [value]).values_list("pk", flat=True))
    return _kept[key]


def _assert_same(params: dict) -> None:
    expected = _sql_directory(params)
    result = ORGANIZATIONS.search(params)
    assert result.total == expected["total"], params
    assert [o.pk for o in result.page.object_list] == expected["ids"], params
    counts = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    assert counts == expected["counts"], params


def _random_params(rnd: random.Random) -> dict:
    choices = ORGANIZATIONS.choices()
    params = {}
    for name, options in choices.items():
        if rnd.random() < 0.4:
            params[name] = [v for v, _ in rnd.sample(options, min(len(options), rnd.randint(1, 3)))]
    if rnd.random() < 0.2:
        params["q"] = rnd.choice(["会", "カモメ", "かもめ", "ない言葉"])
    return params


def _random_organization(rnd: random.Random, i: int) -> Organization:
    kana = rnd.choice(KANA)
    return factories.organization(
        f"{kana}の会{i}",
        kind=rnd.choice(KINDS),
        kana=kana,  # shared by several: name and id break the ties
        area=Area.objects.get(name=rnd.choice(AREAS)),
        is_public=rnd.random() < 0.2,
    )


def _random_case(rnd: random.Random, organizations: list[Organization]) -> Case:
    return factories.case(
        status=rnd.choice([Case.Status.PUBLISHED] * 3 + [Case.Status.DRAFT]),
        lead=rnd.choice(organizations),
        partners=tuple(rnd.sample(organizations, rnd.randint(0, 3))),
        domains=tuple(
            rnd.sample(list(Domain.objects.values_list("name", flat=True)), rnd.randint(0, 2))
        ),
    )


def test_counts_order_and_pages_equal_sql_through_edits():
    rnd = random.Random(7)
    organizations = [_random_organization(rnd, i) for i in range(40)]
    cases = [_random_case(rnd, organizations) for _ in range(25)]
    for _ in range(12):
        _assert_same(_random_params(rnd))
    # edits, each followed by searches: the bitmaps are refreshed, not rebuilt
    for step in range(12):
        case = rnd.choice(cases)
        edit = step % 6
        if edit == 0:  # publish or archive
            case.status = rnd.choice([Case.Status.PUBLISHED, Case.Status.ARCHIVED])
            case.save()
        elif edit == 1:  # another lead: the old one may leave the directory
            case.lead_organization = rnd.choice(organizations)
            case.save()
        elif edit == 2:  # a partner row handed to another organization
            row = CasePartner.objects.filter(case=case).first()
            if row:
                row.organization = rnd.choice(organizations)
                row.save()
        elif edit == 3:  # a partner removed
            row = CasePartner.objects.filter(case=case).last()
            if row:
                row.delete()
        elif edit == 4:  # the case's domains
            case.domains.set(rnd.sample(list(Domain.objects.all()), rnd.randint(0, 2)))
        else:  # an organization renamed, moved, or made public
            organization = rnd.choice(organizations)
            organization.kana = rnd.choice(KANA)
            organization.kind = rnd.choice(KINDS)
            organization.is_public = not organization.is_public
            organization.save()
        for _ in range(3):
            _assert_same(_random_params(rnd))
        _assert_same({})


def test_a_publish_and_an_archive_show_at_once():
    lead = factories.organization("みなとの会", kana="ミナトノカイ")
    case = factories.case(lead=lead, status=Case.Status.DRAFT, domains=("環境",))
    assert ORGANIZATIONS.search({}).total == 0
    case.status = Case.Status.PUBLISHED
    case.save()
    result = ORGANIZATIONS.search({})
    assert [o.name for o in result.page] == ["みなとの会"]
    domains = {v.label: v.count for v in result.facets[2].values}
    assert domains["環境"] == 1
    case.status = Case.Status.ARCHIVED
    case.save()
    assert ORGANIZATIONS.search({}).total == 0
