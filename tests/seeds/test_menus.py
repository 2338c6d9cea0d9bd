"""Seeds on the other pages: the top page, an organization's page and a case's page; all
page-cached per catalogue version, so a seed's change must show at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


def test_top_page_shows_the_newest_open_seeds(client):
    factories.seed(title="募集中の種")
    factories.seed(title="相談中の種", status="consulting")
    factories.seed(title="審査待ちの種", review="pending")
    html = client.get("/").content.decode()
    section = html.split('id="h-seeds"', 1)[1]
    assert "募集中の種" in section
    assert "相談中の種" not in section and "審査待ちの種" not in section


def test_organization_page_lists_its_open_seeds_and_menus(client):
    organization = factories.organization("いずみ野花の会", is_public=True)
    factories.seed(title="花壇の種", organization=organization, poster_name="")
    factories.seed(
        title="会場メニュー", kind="menu", organization=organization, status="discussing"
    )
    factories.seed(title="終わった種", organization=organization, status="closed")
    factories.seed(title="下書きの種", organization=organization, review="draft")
    factories.seed(title="よその種")
    html = client.get(organization.get_absolute_url()).content.decode()
    section = html.split('id="h-seeds"', 1)[1]
    assert "花壇の種" in section and "会場メニュー" in section
    for absent in ("終わった種", "下書きの種", "よその種"):
        assert absent not in section


def test_case_page_shows_seeds_on_its_theme(client):
    case = factories.case(domains=("環境",))
    factories.seed(title="環境の種", domains=("環境",))
    factories.seed(title="スポーツの種", domains=("スポーツ",))
    factories.seed(title="却下された環境の種", domains=("環境",), review="rejected")
    factories.seed(title="実践中の環境の種", domains=("環境",), status="practicing")
    html = client.get(case.get_absolute_url()).content.decode()
    section = html.split("同じテーマで協働相手を探しています", 1)[1]
    assert "環境の種" in section
    for absent in ("スポーツの種", "却下された環境の種", "実践中の環境の種"):
        assert absent not in section


def test_a_seed_change_shows_on_cached_pages_at_once(client):
    organization = factories.organization("いずみ野花の会", is_public=True)
    case = factories.case(domains=("環境",))
    seed = factories.seed(title="最初の題", organization=organization, domains=("環境",))
    for url in ("/", organization.get_absolute_url(), case.get_absolute_url()):
        assert "最初の題" in client.get(url).content.decode()
    seed.title = "直した題"
    seed.save()
    for url in ("/", organization.get_absolute_url(), case.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "直した題" in html and "最初の題" not in html, url
    seed.review = "rejected"
    seed.save()
    for url in ("/", organization.get_absolute_url(), case.get_absolute_url()):
        assert "直した題" not in client.get(url).content.decode(), url


def test_case_page_queries_stay_bounded(client):
    case = factories.case(domains=("環境",))
    factories.seed(domains=("環境",))

    def queries() -> int:
        factories.cold()
        with CaptureQueriesContext(connection) as captured:
            client.get(case.get_absolute_url())
        return len(captured.captured_queries)

    small = queries()
    for i in range(6):
        factories.seed(title=f"種{i}", domains=("環境",))
    assert queries() == small


def test_a_departments_page_lists_its_open_seeds_and_menus_then_the_rest(client):
    department = "千葉市 都市局 公園管理課"
    factories.seed(title="花壇の種", poster_name=department)
    factories.seed(title="会場メニュー", kind="menu", poster_name=department, status="discussing")
    factories.seed(title="終わった種", poster_name=department, status="closed")
    factories.seed(title="審査待ちの種", poster_name=department, review="pending")
    factories.seed(title="よその種", poster_name="いずみ野の会")
    response = client.get(f"/seeds/poster/{department}/")
    html = response.content.decode()
    seeking, earlier = html.split('id="h-seeking"', 1)[1].split('id="h-earlier"', 1)
    assert "花壇の種" in seeking and "会場メニュー" in seeking
    assert "終わった種" in earlier and "花壇の種" not in earlier
    assert "審査待ちの種" not in html and "よその種" not in html
    assert client.get("/seeds/poster/だれも投稿していない課/").status_code == 404
