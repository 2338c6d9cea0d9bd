import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seeds import services
from tests import factories

pytestmark = pytest.mark.django_db


def test_shows_the_fields_and_the_consult_link(client):
    seed = factories.seed(
        title="花壇を一緒に",
        partner_types_wanted=["npo", "company"],
        resources_wanted=["people", "expertise"],
        resources_offered=["goods"],
        deadline=datetime.date(2099, 3, 31),
        period="2027年度",
    )
    html = client.get(seed.get_absolute_url()).content.decode()
    assert "<h1>花壇を一緒に</h1>" in html
    for text in ("企業、NPO", "人材、専門知識", "物品", "2099年3月31日", "2027年度", "千葉市"):
        assert text in html
    assert f'href="/seeds/{seed.pk}/consult/"' in html


@pytest.mark.parametrize("review", ["draft", "pending", "rejected"])
def test_unapproved_seeds_answer_404(client, review):
    seed = factories.seed(review=review)
    assert client.get(seed.get_absolute_url()).status_code == 404
    assert client.get(f"/seeds/{seed.pk}/consult/").status_code == 404


def test_staff_preview_unapproved_seeds(client):
    seed = factories.seed(review="pending", title="審査待ちの種")
    factories.staff_login(client, "管理者")
    html = client.get(seed.get_absolute_url()).content.decode()
    assert "職員向けプレビュー" in html and "審査待ちの種" in html


def test_timeline_shows_dates_and_never_the_staff_note(client):
    seed = factories.seed()
    services.change_status(
        seed, to="consulting", note="内部だけのメモ", date=datetime.date(2026, 11, 2)
    )
    html = client.get(seed.get_absolute_url()).content.decode()
    timeline = html.split('class="timeline"', 1)[1].split("</ol>", 1)[0]
    assert "募集中" in timeline and "相談中" in timeline and "事例化" in timeline
    assert "2026年11月2日" in timeline
    assert 'aria-current="step"' in timeline.split("相談中")[0].rsplit("<li", 1)[1]
    assert "内部だけのメモ" not in html


def test_private_contact_is_never_on_the_page(client):
    seed = factories.seed()
    html = client.get(seed.get_absolute_url()).content.decode()
    for private in ("種田 花子", "hanako@example.jp", "043-111-2222"):
        assert private not in html


def test_links_the_posters_organization_when_it_is_listed(client):
    listed = factories.organization("いずみ野花の会", is_public=True)
    hidden = factories.organization("一覧にない会")
    seed = factories.seed(organization=listed, poster_name="")
    html = client.get(seed.get_absolute_url()).content.decode()
    assert f'href="{listed.get_absolute_url()}">いずみ野花の会</a>' in html
    other = factories.seed(organization=hidden, poster_name="")
    html = client.get(other.get_absolute_url()).content.decode()
    assert "一覧にない会" in html and hidden.get_absolute_url() not in html


def test_a_case_made_of_the_seed_is_linked_once_published(client):
    case = factories.case(title="生まれた事例", status="draft")
    seed = factories.seed(case=case, status="case")
    assert "生まれた事例" not in client.get(seed.get_absolute_url()).content.decode()
    case.status = "published"
    case.save()
    assert "生まれた事例" in client.get(seed.get_absolute_url()).content.decode()


def test_similar_cases_come_with_their_reasons(client):
    factories.case(title="同じ分野と地域の事例", domains=("環境",))
    factories.case(title="キーワードだけの事例", domains=("スポーツ",), summary="花壇の手入れ")
    factories.case(title="関係ない事例", domains=("スポーツ",), area_name="市川市")
    factories.case(title="下書きの事例", domains=("環境",), status="draft")
    seed = factories.seed(domains=("環境",), keywords="花壇")
    html = client.get(seed.get_absolute_url()).content.decode()
    section = html.split('id="h-similar"', 1)[1]
    assert "同じ分野と地域の事例" in section and "キーワードだけの事例" in section
    assert "関係ない事例" not in section and "下書きの事例" not in section

    def reasons(title: str) -> str:
        return section.split(title, 1)[1].split('class="match-reasons"', 1)[1].split("</p>")[0]

    first = reasons("同じ分野と地域の事例")
    assert "同じ分野" in first and "同じ地域" in first
    second = reasons("キーワードだけの事例")
    assert "キーワード「花壇」" in second and "同じ分野" not in second


def test_complementary_seeds_pair_needs_with_offers(client):
    need = factories.seed(
        title="人材を求める行政の種", kind="wish", domains=("環境",), resources_wanted=["people"]
    )
    factories.seed(
        title="人材を出せる団体の種", kind="offer", domains=("環境",), resources_offered=["people"]
    )
    factories.seed(title="別の分野の種", kind="offer", domains=("スポーツ",))
    factories.seed(title="審査待ちの提供", kind="offer", domains=("環境",), review="pending")
    factories.seed(title="却下された提供", kind="offer", domains=("環境",), review="rejected")
    factories.seed(title="終了した提供", kind="offer", domains=("環境",), status="closed")
    html = client.get(need.get_absolute_url()).content.decode()
    section = html.split('id="h-complements"', 1)[1]
    assert "人材を出せる団体の種" in section
    assert "「人材」を提供できる" in section and "同じ分野" in section
    for absent in ("別の分野の種", "審査待ちの提供", "却下された提供", "終了した提供"):
        assert absent not in section


def test_detail_queries_are_bounded_whatever_the_size(client):
    seed = factories.seed(domains=("環境",), keywords="花壇")

    def queries() -> int:
        factories.cold()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(seed.get_absolute_url()).status_code == 200
        return len(captured.captured_queries)

    factories.case(domains=("環境",))
    factories.seed(title="提供", kind="offer", domains=("環境",), resources_offered=["people"])
    small = queries()
    for i in range(8):
        factories.case(domains=("環境",), summary="花壇")
        factories.seed(
            title=f"提供{i}", kind="offer", domains=("環境",), resources_offered=["people"]
        )
    assert queries() == small


def test_feed_and_exports_hold_only_approved_seeds(client):
    factories.seed(title="公開の種")
    factories.seed(title="審査待ちの種", review="pending")
    factories.seed(title="却下の種", review="rejected")
    for url in ("/seeds/feed/", "/seeds/export.csv", "/seeds/export.json"):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8-sig")
        assert "公開の種" in text, url
        assert "審査待ちの種" not in text and "却下の種" not in text, url
        assert "hanako@example.jp" not in text and "種田 花子" not in text, url


def test_sitemap_lists_approved_seeds_only(client):
    public = factories.seed()
    pending = factories.seed(review="pending")
    text = client.get("/sitemap-seeds.xml").content.decode()
    assert f"/seeds/{public.pk}/" in text and f"/seeds/{pending.pk}/" not in text


def test_seed_changes_reach_cached_pages(client):
    seed = factories.seed(title="最初の題")
    assert "最初の題" in client.get(seed.get_absolute_url()).content.decode()
    seed.title = "直した題"
    seed.save()
    assert "直した題" in client.get(seed.get_absolute_url()).content.decode()


def test_a_departments_seeds_are_one_click_away(client):
    seed = factories.seed(poster_name="千葉市 公園管理課")
    factories.seed(title="同じ課の別の種", poster_name="千葉市 公園管理課")
    factories.seed(title="よその種", poster_name="市川市 スポーツ課", issue="体育館", wish="大会")
    html = client.get(seed.get_absolute_url()).content.decode()
    page = (
        "/seeds/poster/%E5%8D%83%E8%91%89%E5%B8%82%20%E5%85%AC%E5%9C%92%E7%AE%A1%E7%90%86%E8%AA%B2/"
    )
    assert f'href="{page}"' in html
    department = client.get(page).content.decode()
    assert "同じ課の別の種" in department and "よその種" not in department


def test_an_organizations_seed_links_to_the_seeds_on_its_page(client):
    organization = factories.organization("いずみ野花の会", is_public=True)
    seed = factories.seed(organization=organization, poster_name="")
    html = client.get(seed.get_absolute_url()).content.decode()
    assert f'href="{organization.get_absolute_url()}#h-seeds">この団体の協働の種を見る' in html
    assert seed.title in client.get(organization.get_absolute_url()).content.decode()
