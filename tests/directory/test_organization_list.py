import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Domain
from directory.selectors import ORGANIZATIONS
from partners.models import Area
from tests import factories

pytestmark = pytest.mark.django_db


def names(result) -> list[str]:
    return [o.name for o in result.page]


def test_lists_only_organizations_in_published_cases_or_marked_public():
    lead = factories.organization("NPO法人あおぞら", kana="アオゾラ")
    partner = factories.organization("株式会社かもめ", kind="company", kana="カモメ")
    factories.case(lead=lead, partners=(partner,))
    hidden = factories.organization("下書きだけの会", kana="シタガキダケノカイ")
    factories.case(lead=hidden, status=Case.Status.DRAFT)
    factories.organization("公開指定の会", kana="コウカイシテイノカイ", is_public=True)
    factories.organization("どこにも出ない会", kana="ドコニモデナイカイ")
    assert names(ORGANIZATIONS.search({})) == ["NPO法人あおぞら", "株式会社かもめ", "公開指定の会"]


def test_fifty_sound_order_follows_kana_not_the_legal_form():
    for name, kana in [
        ("特定非営利活動法人わかば", "ワカバ"),
        ("株式会社あさひ", "アサヒ"),
        ("いろは会", "イロハカイ"),
    ]:
        factories.organization(name, kana=kana, is_public=True)
    assert names(ORGANIZATIONS.search({})) == [
        "株式会社あさひ",
        "いろは会",
        "特定非営利活動法人わかば",
    ]


def test_facets_are_disjunctive_and_filter():
    env = Domain.objects.get(name="環境")
    company = factories.organization("株式会社みどり", kind="company", kana="ミドリ")
    npo = factories.organization("NPO法人うみ", kana="ウミ", area=Area.objects.get(name="館山市"))
    factories.case(lead=npo, partners=(company,), domains=("環境",))
    factories.organization("別の会社", kind="company", kana="ベツノカイシャ", is_public=True)
    result = ORGANIZATIONS.search({"kind": ["company"]})
    assert names(result) == ["別の会社", "株式会社みどり"]
    kinds = {v.label: (v.count, v.selected) for v in result.facets[0].values}
    assert kinds["企業"] == (2, True)
    assert kinds["NPO法人"] == (1, False)
    domains = {v.label: v.count for v in result.facets[2].values}
    assert domains["環境"] == 1
    assert names(ORGANIZATIONS.search({"domain": [str(env.pk)]})) == [
        "NPO法人うみ",
        "株式会社みどり",
    ]


def test_keyword_uses_the_same_normalisation_as_the_case_search():
    factories.organization(
        "ＮＰＯ法人ねこの手", kana="ネコノテ", is_public=True, mission="地域猫の見守り"
    )
    factories.organization("株式会社いぬ", kind="company", kana="イヌ", is_public=True)
    assert names(ORGANIZATIONS.search({"q": "npo 猫"})) == ["ＮＰＯ法人ねこの手"]
    assert names(ORGANIZATIONS.search({"q": "ﾈｺﾉﾃ"})) == ["ＮＰＯ法人ねこの手"]


@pytest.mark.parametrize(
    "query", ["page=x", "kind=alien", "area=99999", "domain=%00", "q=" + "あ" * 5000]
)
def test_malformed_parameters_never_fail(client, query):
    factories.organization("公開の会", kana="コウカイノカイ", is_public=True)
    assert client.get(f"/organizations/?{query}").status_code == 200


def test_directory_page_and_query_count(client):
    factories.case(partners=(factories.organization("株式会社A", kind="company", kana="エー"),))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/organizations/?kind=company&kind=npo&q=会社")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    count()
    factories.case(partners=(factories.organization("会社", kind="company", kana="カイシャ"),))
    few = count()  # after one change: the index refreshed, the keyword's rows re-checked
    for i in range(15):
        factories.case(
            partners=(factories.organization(f"会社{i}", kind="company", kana="カイシャ"),)
        )
    assert count() <= few  # bounded: more changes cost no more queries
    html = client.get("/organizations/").content.decode()
    assert "株式会社A" in html and "団体の種別" in html and "事例の活動分野" in html


def test_hiragana_and_katakana_find_the_same_organizations():
    factories.organization("浦安みらいの会", kana="ウラヤスミライノカイ", is_public=True)
    factories.organization("うらやす子ども劇場", kana="ウラヤスコドモゲキジョウ", is_public=True)
    factories.organization("ウラヤス防災ネット", kana="ウラヤスボウサイネット", is_public=True)
    expected = ["浦安みらいの会", "うらやす子ども劇場", "ウラヤス防災ネット"]
    for query in ["うらやす", "ウラヤス", "ｳﾗﾔｽ"]:
        assert sorted(names(ORGANIZATIONS.search({"q": query}))) == sorted(expected), query
    assert names(ORGANIZATIONS.search({"q": "こども"})) == ["うらやす子ども劇場"]
