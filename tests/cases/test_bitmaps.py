import datetime
import random

import pytest
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Value, When

from cases import selectors
from cases.models import (
    Award,
    BudgetBand,
    Case,
    CasePartner,
    Domain,
    Method,
    active_in_year_q,
)
from cases.selectors import CASES
from kernel import bitmaps, feed
from kernel.facets import as_query_dict, facet
from partners.models import KIND_TO_PARTNER_TYPE, Area, PartnerType
from tests import factories

pytestmark = pytest.mark.django_db

KINDS = ["npo", "voluntary", "community", "company", "government", "education"]
AREAS = ["千葉市", "市川市", "船橋市", "館山市"]
WORDS = ["里山", "海辺", "子ども", "防災"]


def _sql_search(params) -> dict:
    """The search as it was computed before the bitmaps: one SQL count per facet."""
    params = as_query_dict(params)
    filterset = CASES.filterset(params)
    choices = filterset.choices
    sort = params.get("sort") if params.get("sort") in CASES.sorts else CASES.default_sort
    base = filterset.queryset
    results = filterset.filter_except(base, exclude=None).order_by(*CASES.sorts[sort].order_by)
    paginator = Paginator(results.values_list("pk", flat=True), CASES.page_size)
    page = paginator.get_page(params.get("page"))

    def others(name: str):
        return filterset.filter_except(base, exclude=name)

    def through_counts(through, column: str, cases) -> dict[str, int]:
        rows = (
            through.objects.filter(case__in=cases.order_by().values("pk"))
            .values(column)
            .annotate(n=Count("case_id"))
            .order_by()
        )
        return {str(row[column]): row["n"] for row in rows}

    partner_type = models.Case(
        *[When(organization__kind=kind, then=Value(t)) for kind, t in KIND_TO_PARTNER_TYPE.items()]
    )
    partner_rows = (
        CasePartner.objects.filter(case__in=others("partner").order_by().values("pk"))
        .annotate(partner_type=partner_type)
        .values("partner_type")
        .annotate(n=Count("case_id", distinct=True))
        .order_by()
    )
    area_rows = others("area").order_by().values("area_id").annotate(n=Count("pk"))
    budget_counts = others("budget").aggregate(
        **{band.value: Count("pk", filter=band.condition) for band in BudgetBand}
    )
    year_counts = others("year").aggregate(
        **{f"y{y}": Count("pk", filter=active_in_year_q(int(y))) for y, _ in choices["year"]}
    )
    counts = {
        "domain": through_counts(Case.domains.through, "domain_id", others("domain")),
        "award": {"yes": others("award").with_awards().count()},
        "partner": {row["partner_type"]: row["n"] for row in partner_rows},
        "method": through_counts(Case.methods.through, "method_id", others("method")),
        "budget": budget_counts,
        "area": {str(row["area_id"]): row["n"] for row in area_rows},
        "year": {y: year_counts[f"y{y}"] for y, _ in choices["year"]},
    }
    labels = {
        "domain": "活動分野",
        "partner": "協働パートナーの種別",
        "method": "事業の手法",
        "award": "表彰事例",
        "budget": "事業費",
        "area": "地域",
        "year": "実施年度",
    }
    options = {
        **choices,
        "partner": PartnerType.choices,
        "budget": BudgetBand.choices,
        "award": [("yes", "表彰を受けた事例")],
    }
    return {
        "total": paginator.count,
        "page": page.number,
        "ids": list(page.object_list),
        "facets": [
            facet(name, label, options[name], counts[name], filterset.selected(name))
            for name, label in labels.items()
        ],
    }


def _assert_same(params: dict) -> None:
    expected = _sql_search(params)
    result = CASES.search(params)
    assert result.total == expected["total"], params
    assert result.page.number == expected["page"], params
    assert [c.pk for c in result.page.object_list] == expected["ids"], params
    assert result.facets == expected["facets"], params


def _random_case(rnd: random.Random, organizations: list, number: int) -> Case:
    status = rnd.choice([Case.Status.PUBLISHED] * 4 + [Case.Status.DRAFT, Case.Status.ARCHIVED])
    start = rnd.randint(2012, 2026)
    budget = rnd.choice(
        [None, 0, 499_999, 500_000, 999_999, 1_000_000, 4_999_999, 5_000_000, 80_000_000]
        + [rnd.randint(1, 9_000_000) for _ in range(4)]
    )
    published_on = rnd.choice([None, *(datetime.date(2024, rnd.randint(1, 3), 1) for _ in "ab")])
    case = factories.case(
        title=f"{rnd.choice(WORDS)}の事例{number}",
        number=number,
        status=status,
        domains=tuple(
            rnd.sample(list(Domain.objects.values_list("name", flat=True)), rnd.randint(0, 3))
        ),
        methods=tuple(
            rnd.sample(list(Method.objects.values_list("name", flat=True)), rnd.randint(0, 2))
        ),
        partners=tuple(rnd.sample(organizations, rnd.randint(0, 3))),
        area_name=rnd.choice(AREAS),
        budget=budget,
        start_year=start,
        end_year=rnd.choice([None, start, start + rnd.randint(0, 4)]),
        published_on=published_on,
    )
    for year in rnd.sample([2018, 2022], rnd.choice([0, 0, 1, 2])):
        Award.objects.create(case=case, name="ちば県民協働大賞", year=year)
    return case


def _random_catalogue(rnd: random.Random, size: int) -> list[Case]:
    organizations = [factories.organization(f"団体{i}", kind=rnd.choice(KINDS)) for i in range(8)]
    numbers = rnd.sample(range(1, 10_000), size)
    return [_random_case(rnd, organizations, n) for n in numbers]


def _random_params(rnd: random.Random) -> dict:
    choices = CASES.choices()
    params = {}
    for name, options in choices.items():
        if rnd.random() < 0.4:
            params[name] = [v for v, _ in rnd.sample(options, min(len(options), rnd.randint(1, 3)))]
            if rnd.random() < 0.1:
                params[name].append("999999")  # an unknown value is dropped
    if rnd.random() < 0.3:
        params["q"] = rnd.choice([*WORDS, "里山 事例", "ない言葉"])
    params["sort"] = rnd.choice([*CASES.sorts, "bogus"])
    params["page"] = rnd.choice(["1", "2", "3", "99", "x"])
    return params


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(CASES, "page_size", 4)


@pytest.mark.parametrize("seed", [1, 2])
def test_bitmap_search_equals_sql_on_random_catalogues(seed, small_pages):
    rnd = random.Random(seed)
    cases = _random_catalogue(rnd, 36)
    for _ in range(40):
        _assert_same(_random_params(rnd))
    # then random edits, each refreshing the index, and the same comparisons
    areas = list(Area.objects.filter(name__in=AREAS))
    for _ in range(6):
        case = rnd.choice(cases)
        case.status = rnd.choice(list(Case.Status))
        case.budget = rnd.choice([None, 700_000, 9_000_000])
        case.area = rnd.choice(areas)
        case.published_on = rnd.choice([None, datetime.date(2025, 1, 1)])
        case.save()
        case.domains.set(rnd.sample(list(Domain.objects.all()), 2))
        partner = rnd.choice(list(CasePartner.objects.all()))
        partner.organization.kind = rnd.choice(KINDS)
        partner.organization.save()
        if case.awards.exists():
            rnd.choice(list(case.awards.all())).delete()
        else:
            Award.objects.create(case=rnd.choice(cases), name="知事表彰", year=2025)
        for _ in range(5):
            _assert_same(_random_params(rnd))


def _counts(result, name: str) -> dict[str, int]:
    return {v.label: v.count for f in result.facets if f.name == name for v in f.values}


def _numbers(result) -> set[int]:
    return {c.number for c in result.page}


def test_a_publish_an_edit_and_an_archive_show_at_once_in_counts_and_results():
    npo = factories.organization("NPO法人うみ", kind="npo")
    shown = factories.case(number=1, domains=("環境",), partners=(npo,), budget=300_000)
    draft = factories.case(
        number=2, status=Case.Status.DRAFT, published_on=None, domains=("環境",), budget=None
    )
    env = Domain.objects.get(name="環境").pk
    assert _numbers(CASES.search({"domain": str(env)})) == {1}
    assert _counts(CASES.search({}), "budget")["不明"] == 0

    draft.status = Case.Status.PUBLISHED
    draft.save()
    result = CASES.search({"domain": str(env)})
    assert _numbers(result) == {1, 2} and _counts(result, "budget")["不明"] == 1

    shown.domains.set([Domain.objects.get(name="福祉（高齢者）")])
    shown.area = factories.area("市川市")
    shown.budget = 6_000_000
    shown.save()
    npo.kind = "company"
    npo.save()
    result = CASES.search({})
    assert _counts(result, "domain")["福祉（高齢者）"] == 1
    assert _counts(result, "area")["市川市"] == 1
    assert _counts(result, "budget") == {**dict.fromkeys(_counts(result, "budget"), 0),
                                         "500万円〜": 1, "不明": 1}  # fmt: skip
    assert _counts(result, "partner")["企業"] == 1 and _counts(result, "partner")["NPO"] == 0
    assert _numbers(CASES.search({"partner": "company", "area": str(shown.area_id)})) == {1}

    shown.status = Case.Status.ARCHIVED
    shown.save()
    result = CASES.search({})
    assert _numbers(result) == {2} and result.total == 1
    assert (
        _counts(result, "domain")["福祉（高齢者）"] == 0 and _counts(result, "partner")["企業"] == 0
    )


def test_an_edit_refreshes_the_bitmaps_instead_of_rebuilding_them(monkeypatch):
    case = factories.case(number=1, budget=None)
    assert CASES.search({"budget": "unknown"}).total == 1
    built = []
    monkeypatch.setattr(
        bitmaps.FacetIndex, "build", lambda *a, **k: built.append(1) or pytest.fail("rebuilt")
    )
    case.budget = 100_000
    case.save()
    assert CASES.search({"budget": "unknown"}).total == 0
    assert CASES.search({"budget": "lt50"}).total == 1
    assert not built


def test_an_edit_re_reads_that_case_not_every_case_of_its_organizations(monkeypatch):
    busy = factories.organization("NPO法人たくさん", kind="npo")
    cases = [factories.case(number=n, lead=busy, partners=(busy,)) for n in range(1, 9)]
    feed.rebuild()  # the index below is built after every creation, not refreshed with them
    CASES.search({})
    read = []
    index_rows = CASES.index_rows
    monkeypatch.setattr(
        CASES,
        "index_rows",
        lambda choices, ids=None: read.append(len(ids)) or index_rows(choices, ids),
    )
    cases[0].summary = "書き直した概要"
    cases[0].save()
    assert CASES.search({"partner": "npo"}).total == 8
    assert read == [1]  # the saved case: its organization's own fields did not change
    busy.kind = "company"
    busy.save()
    assert CASES.search({"partner": "company"}).total == 8
    assert read == [1, 8]  # an organization's kind is the partner type of all its cases


def test_a_deleted_taxonomy_rebuilds_the_bitmaps():
    method = Method.objects.create(name="新しい手法")
    factories.case(number=1, methods=("新しい手法",))
    assert CASES.search({"method": str(method.pk)}).total == 1
    method.delete()
    _assert_same({})


def test_a_process_without_the_index_in_memory_reads_it_from_the_cache(django_assert_num_queries):
    factories.case(number=1)
    CASES.search({})
    bitmaps.forget()
    # the feed's head, and the newest change of each kind the facets' options read
    with feed.head_held(), django_assert_num_queries(2):
        index = CASES.index()
    assert list(index.universe) == list(Case.objects.published().values_list("pk", flat=True))


def test_related_cases_share_a_domain_and_a_method_newest_first():
    def make(number, domains, methods, day):
        return factories.case(
            number=number,
            domains=domains,
            methods=methods,
            published_on=datetime.date(2024, 4, day),
        )

    case = make(1, ("環境",), ("委託",), 1)
    make(2, ("環境",), ("委託",), 2)
    make(3, ("環境",), ("委託",), 5)
    make(4, ("環境",), ("補助・助成",), 9)
    make(5, ("福祉（高齢者）",), ("補助・助成",), 9)
    factories.case(number=6, domains=("環境",), methods=("委託",), status=Case.Status.DRAFT)
    assert [c.number for c in selectors.related_cases(case, limit=3)] == [3, 2, 4]
