import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Domain
from tests import factories

pytestmark = pytest.mark.django_db


def test_lists_published_cases_with_total_and_facets(client):
    factories.case(title="川をきれいにする会", domains=("環境",))
    factories.case(title="非公開の下書き", status=Case.Status.DRAFT)
    response = client.get("/cases/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "川をきれいにする会" in html
    assert "非公開の下書き" not in html
    assert "1件中 1–1件" in html
    assert "活動分野" in html and "事業の手法" in html and "実施年度" in html


def test_paginates_twenty_a_page(client):
    for i in range(21):
        factories.case(number=i + 1)
    page2 = client.get("/cases/?page=2&sort=number").content.decode()
    assert "21件中 21–21件" in page2
    assert 'href="?page=1&amp;sort=number"' in page2


def test_active_filters_show_as_chips_that_remove_them(client):
    factories.case(domains=("環境",))
    env = Domain.objects.get(name="環境").pk
    html = client.get(f"/cases/?domain={env}&q=川").content.decode()
    assert "活動分野：環境" in html
    assert 'href="?q=%E5%B7%9D"' in html  # the chip for 環境 keeps the keyword
    assert "キーワード：川" in html


def test_zero_count_values_are_disabled_but_shown(client):
    factories.case(domains=("環境",))
    html = client.get("/cases/").content.decode()
    sport = Domain.objects.get(name="スポーツ").pk
    assert f'name="domain" value="{sport}" disabled' in html


def test_no_results_page_says_so(client):
    factories.case()
    html = client.get("/cases/?q=存在しないことば").content.decode()
    assert "該当する事例はありません" in html


@pytest.mark.parametrize(
    "query",
    [
        "page=x",
        "page=0",
        "page=999999",
        "domain=999999",
        "domain=%FF%FE",
        "method=1&method=1&method=-5",
        "year=abcd",
        "budget=%00",
        "sort=%3Cscript%3E",
        "q=%00",
        "q=" + "猫" * 10_000,
        "foo=bar&baz[]=1",
        "area=1e9999",
    ],
    ids=lambda q: q[:30],
)
def test_malformed_query_strings_never_fail(client, query):
    factories.case()
    response = client.get(f"/cases/?{query}", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) <= 1


def test_rejects_post(client):
    assert client.post("/cases/").status_code == 405


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_cases_or_facet_values(client):
    company = factories.organization(name="株式会社A", kind="company")
    factories.case(partners=(company,), photos=1)
    url = "/cases/?q=協働&partner=company&budget=unknown"
    _count_queries(client, url)  # the search index built from nothing
    factories.case(partners=(company,))
    few = _count_queries(client, url)  # then refreshed after a change
    many_partners = [factories.organization(name=f"団体{i}", kind="company") for i in range(4)]
    for i in range(25):
        factories.case(
            domains=("環境", "スポーツ", "まちづくり"),
            methods=("委託", "共催"),
            partners=tuple(many_partners[: i % 4 + 1]),
            start_year=2000 + i,
            photos=1,
        )
    assert _count_queries(client, url) <= few
