import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Domain
from partners.models import Area
from seeds.models import Seed
from tests import factories

pytestmark = pytest.mark.django_db


def _count(html: str) -> str:
    return html.split('class="results-count"', 1)[1].split("</h2>", 1)[0]


def test_board_lists_only_approved_seeds(client):
    factories.seed(title="公開中の種")
    factories.seed(title="審査待ちの種", review="pending")
    factories.seed(title="下書きの種", review="draft")
    factories.seed(title="却下された種", review="rejected")
    html = client.get("/seeds/").content.decode()
    assert "公開中の種" in html
    for hidden in ("審査待ちの種", "下書きの種", "却下された種"):
        assert hidden not in html
    assert "1件中 1–1件" in html


def test_each_facet_count_equals_the_total_it_gives(client):
    factories.seed(title="A", kind="wish", domains=("環境",), resources_wanted=["funds"])
    factories.seed(title="B", kind="offer", domains=("環境", "スポーツ"), area_name="市川市")
    factories.seed(title="C", kind="menu", status="consulting", partner_types_wanted=["npo"])
    factories.seed(title="D", kind="offer", review="pending", domains=("環境",))
    env = Domain.objects.get(name="環境").pk
    from seeds.selectors import SEEDS

    for params in ({}, {"domain": [str(env)]}, {"kind": ["offer"]}):
        result = SEEDS.search(params)
        for facet in result.facets:
            for value in facet.values:
                if not value.count:
                    continue
                query = dict(params)
                query[facet.name] = sorted({*query.get(facet.name, []), value.value})
                if facet.name in params:  # within a facet values are OR-ed: count it alone
                    query[facet.name] = [value.value]
                assert SEEDS.search(query).total == value.count, (params, facet.name, value)


def test_facets_filter_by_kind_resource_partner_and_status(client):
    factories.seed(title="資金を求める種", resources_wanted=["funds"])
    factories.seed(title="場所を提供する種", kind="offer", resources_offered=["expertise"])
    factories.seed(title="NPOを求める種", partner_types_wanted=["npo"], status="discussing")
    html = client.get("/seeds/?want=funds").content.decode()
    assert "資金を求める種" in html and "場所を提供する種" not in html
    html = client.get("/seeds/?kind=offer&offer=expertise").content.decode()
    assert "場所を提供する種" in html and "資金を求める種" not in html
    html = client.get("/seeds/?partner=npo&status=discussing").content.decode()
    assert "NPOを求める種" in html and "1件中 1–1件" in html
    assert "求める協働相手：NPO" in html  # the chip


def test_keyword_is_normalised_like_the_case_search(client):
    factories.seed(title="こども食堂の場所を探しています", issue="会場がない。", wish="週1回開く。")
    factories.seed(title="公園の花壇")
    html = client.get("/seeds/?q=子供").content.decode()
    assert "こども食堂の場所を探しています" in html and "公園の花壇" not in html
    html = client.get("/seeds/?q=公園　花壇").content.decode()  # a full-width space: AND
    assert "公園の花壇" in html and "こども食堂" not in html


def test_an_approval_shows_at_once_and_a_rejection_hides(client):
    seed = factories.seed(title="あとで承認する種", review="pending")
    assert "あとで承認する種" not in client.get("/seeds/").content.decode()
    seed.review = Seed.Review.APPROVED
    seed.save()
    assert "あとで承認する種" in client.get("/seeds/").content.decode()
    seed.review = Seed.Review.REJECTED
    seed.save()
    assert "あとで承認する種" not in client.get("/seeds/").content.decode()


def test_board_queries_are_bounded_whatever_the_size(client):
    def queries(url: str) -> int:
        factories.cold()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    factories.seed()
    small = queries("/seeds/?q=花壇&domain=1")
    for i in range(30):
        factories.seed(title=f"花壇の種{i}", area_name="市川市" if i % 2 else "千葉市")
    assert queries("/seeds/?q=花壇&domain=1") == small


@pytest.mark.parametrize(
    "query", ["page=x", "page=999999", "domain=999999", "kind=nope", "status=%FF", "sort=x"]
)
def test_malformed_parameters_never_fail(client, query):
    factories.seed()
    assert client.get(f"/seeds/?{query}").status_code == 200


def test_pagination_uses_get_urls(client):
    for i in range(21):
        factories.seed(title=f"種{i}")
    html = client.get("/seeds/?page=2").content.decode()
    assert "21件中 21–21件" in html
    assert 'href="?page=1"' in html


def test_area_facet_uses_the_cases_areas(client):
    factories.seed(area_name="市川市")
    ichikawa = Area.objects.get(name="市川市").pk
    html = client.get(f"/seeds/?area={ichikawa}").content.decode()
    assert "地域：市川市" in html and "1件中 1–1件" in html
