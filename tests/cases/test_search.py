import io

import pytest
from django.core.management import call_command
from django.http import QueryDict

from cases.models import Case, Domain, Method
from cases.selectors import CASES
from partners.models import Area
from tests import factories

pytestmark = pytest.mark.django_db


def numbers(result) -> set[int]:
    return {case.number for case in result.page}


def params(query: str) -> QueryDict:
    return QueryDict(query)


def facet(result, name: str) -> dict[str, tuple[int, bool]]:
    f = next(f for f in result.facets if f.name == name)
    return {v.label: (v.count, v.selected) for v in f.values}


def test_only_published_cases_are_listed_and_counted():
    factories.case(number=1)
    factories.case(number=2, status=Case.Status.DRAFT)
    factories.case(number=3, status=Case.Status.ARCHIVED)
    result = CASES.search(params(""))
    assert numbers(result) == {1}
    assert result.total == 1
    assert facet(result, "domain")["まちづくり"] == (1, False)


def test_values_within_a_facet_are_ored():
    factories.case(number=1, domains=("環境",))
    factories.case(number=2, domains=("スポーツ",))
    factories.case(number=3, domains=("まちづくり",))
    env, sport = Domain.objects.get(name="環境").pk, Domain.objects.get(name="スポーツ").pk
    result = CASES.search(params(f"domain={env}&domain={sport}"))
    assert numbers(result) == {1, 2}


def test_facets_are_anded():
    factories.case(number=1, domains=("環境",), methods=("委託",))
    factories.case(number=2, domains=("環境",), methods=("共催",))
    env = Domain.objects.get(name="環境").pk
    itaku = Method.objects.get(name="委託").pk
    assert numbers(CASES.search(params(f"domain={env}&method={itaku}"))) == {1}


def test_counts_are_disjunctive():
    factories.case(number=1, domains=("環境",), methods=("委託",))
    factories.case(number=2, domains=("スポーツ",), methods=("委託",))
    factories.case(number=3, domains=("環境",), methods=("共催",))
    env = Domain.objects.get(name="環境").pk
    result = CASES.search(params(f"domain={env}"))
    # Its own facet ignores its own filter, so the other domain still shows its count ...
    assert facet(result, "domain")["環境"] == (2, True)
    assert facet(result, "domain")["スポーツ"] == (1, False)
    # ... while other facets count within the active filter.
    assert facet(result, "method")["委託"] == (1, False)
    assert facet(result, "method")["共催"] == (1, False)
    assert facet(result, "method")["後援"] == (0, False)


def test_partner_type_comes_from_the_partners_kinds():
    company = factories.organization(name="株式会社サンプル", kind="company")
    school = factories.organization(name="サンプル市立小学校", kind="education")
    jichikai = factories.organization(name="サンプル町内会", kind="community")
    factories.case(number=1, partners=(company,))
    factories.case(number=2, partners=(school, jichikai))
    factories.case(number=3)
    result = CASES.search(params("partner=company&partner=community"))
    assert numbers(result) == {1, 2}
    counts = facet(result, "partner")
    assert counts["企業"] == (1, True)
    assert counts["教育"] == (1, False)
    assert counts["行政"] == (0, False)


def test_budget_bands():
    for number, budget in [(1, 300_000), (2, 500_000), (3, 4_999_999), (4, 5_000_000), (5, None)]:
        factories.case(number=number, budget=budget)
    assert numbers(CASES.search(params("budget=lt50"))) == {1}
    assert numbers(CASES.search(params("budget=50-100"))) == {2}
    assert numbers(CASES.search(params("budget=100-500"))) == {3}
    assert numbers(CASES.search(params("budget=500%2B"))) == {4}
    assert numbers(CASES.search(params("budget=unknown&budget=lt50"))) == {1, 5}


def test_area_filter():
    factories.case(number=1, area_name="市川市")
    factories.case(number=2, area_name="館山市")
    ichikawa = Area.objects.get(name="市川市").pk
    result = CASES.search(params(f"area={ichikawa}"))
    assert numbers(result) == {1}
    assert facet(result, "area")["館山市"] == (1, False)


def test_year_means_active_in_that_fiscal_year():
    factories.case(number=1, start_year=2015, end_year=2017)
    factories.case(number=2, start_year=2016)  # ongoing
    factories.case(number=3, start_year=2019, end_year=2019)
    assert numbers(CASES.search(params("year=2017"))) == {1, 2}
    assert numbers(CASES.search(params("year=2019"))) == {2, 3}
    assert facet(CASES.search(params("")), "year")["2015年度"] == (1, False)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("猫", {1}),
        ("福祉", {2}),
        ("ＮＰＯ", {3}),
        ("npo", {3}),
        ("地域猫　ボランティア", {1}),
        ("地域猫 福祉", set()),
        ("ﾎﾞﾗﾝﾃｨｱ", {1}),
    ],
)
def test_keyword_search_on_japanese_text(query, expected):
    factories.case(number=1, title="地域猫活動", summary="ボランティアが見守ります。")
    factories.case(number=2, title="高齢者の見守り", summary="福祉の現場で")
    factories.case(number=3, title="講座", summary="NPOの運営を学ぶ講座です。")
    assert numbers(CASES.search(params(f"q={query}"))) == expected


def test_keyword_matches_organization_names():
    partner = factories.organization(name="房総みらい銀行", kind="company")
    factories.case(number=1, partners=(partner,))
    factories.case(number=2)
    assert numbers(CASES.search(params("q=みらい銀行"))) == {1}


def test_keyword_escapes_like_wildcards():
    factories.case(number=1, summary="参加率100%を目指す")
    factories.case(number=2, summary="参加率100人")
    assert numbers(CASES.search(params("q=100%25"))) == {1}


def test_sorts():
    factories.case(number=1, budget=100)
    factories.case(number=2, budget=None)
    factories.case(number=3, budget=900)
    by_budget = [c.number for c in CASES.search(params("sort=budget")).page]
    assert by_budget == [3, 1, 2]
    assert [c.number for c in CASES.search(params("sort=number")).page] == [1, 2, 3]


def test_chips_remove_one_value_each():
    factories.case(number=1, domains=("環境",))
    env = Domain.objects.get(name="環境").pk
    sport = Domain.objects.get(name="スポーツ").pk
    result = CASES.search(params(f"q=猫&domain={env}&domain={sport}&page=2"))
    chips = {chip.label: chip.remove_query for chip in result.chips}
    assert chips["活動分野：環境"] == QueryDict(f"q=猫&domain={sport}").urlencode()
    assert chips["キーワード：猫"] == QueryDict(f"domain={env}&domain={sport}").urlencode()


@pytest.mark.parametrize(
    "query",
    [
        "page=x",
        "page=-1",
        "page=99999",
        "domain=999999",
        "domain=abc&domain=",
        "area=1.5",
        "year=1900",
        "budget=lots",
        "partner=alien",
        "sort=drop table",
        "unknown=1",
        "q=%00%ff",
    ],
)
def test_malformed_parameters_are_ignored(query):
    factories.case(number=1)
    result = CASES.search(params(query))
    assert result.total == 1
    assert numbers(result) == {1}


def test_a_very_long_keyword_is_cut_with_a_notice():
    factories.case(number=1)
    result = CASES.search(params("q=" + "あ" * 10_000))
    assert result.total == 0
    assert len(result.query) == 200
    assert result.notices == ["キーワードが長すぎるため、先頭の200文字で検索しました。"]


@pytest.mark.parametrize(
    "variants",
    [
        ["子ども", "こども", "子供", "コドモ"],
        ["空き家", "空家"],
        ["まちづくり", "街づくり", "町づくり"],
    ],
)
def test_spelling_variants_find_the_same_cases(client, variants):
    cases = [
        factories.case(title=f"{word}の事例", summary=f"地域で{word}に取り組みます。")
        for word in variants
    ]
    expected = sorted(c.number for c in cases)
    for word in variants:
        assert sorted(numbers(CASES.search(params(f"q={word}")))) == expected, word


def test_reindex_rebuilds_search_texts(client):
    case = factories.case(summary="空家の活用")
    Case.objects.filter(pk=case.pk).update(search_text="")
    call_command("reindex", stdout=io.StringIO())
    assert numbers(CASES.search(params("q=空き家"))) == {case.number}
