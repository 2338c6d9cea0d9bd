import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from partners.models import OrganizationRecord
from tests import factories

pytestmark = pytest.mark.django_db


def test_shows_all_twelve_fields_in_order(client):
    lead = factories.organization(name="NPO法人みどりの手", founded_year=2008)
    OrganizationRecord.objects.create(
        organization=lead, year=2021, kind="award", title="県知事表彰"
    )
    partner = factories.organization(name="株式会社房総フーズ", kind="company")
    case = factories.case(
        title="フードバンクの協働",
        lead=lead,
        partners=(partner,),
        budget=1_200_000,
        background="経緯の本文",
        activities="活動の本文",
        outcomes="成果の本文",
        tips="コツの本文",
        future_plans="今後の本文",
        schedule=(("4月", "実行委員会"), ("通年", "食品の回収")),
        photos=1,
    )
    html = client.get(f"/cases/{case.number}/").content.decode()
    positions = [html.index(label) for label in factories.TWELVE_FIELDS]
    assert positions == sorted(positions)
    for text in [
        "1,200,000円",
        "経緯の本文",
        "実行委員会",
        "食品の回収",
        "株式会社房総フーズ",
        "役割1",
        "企業",
        "県知事表彰",
        "2008年",
        'alt="川辺で清掃する人たちのイラスト"',
        "清掃活動の様子",
        "情報確認日",
    ]:
        assert text in html
    assert f'href="{partner.get_absolute_url()}"' in html


def test_a_draft_is_not_found_by_the_public(client):
    case = factories.case(status=Case.Status.DRAFT)
    assert client.get(f"/cases/{case.number}/").status_code == 404


def test_an_archived_case_answers_gone_with_its_number_and_similar_cases(client):
    case = factories.case(
        title="終わった見守り活動",
        status=Case.Status.ARCHIVED,
        domains=("環境",),
        start_year=2018,
        end_year=2021,
    )
    factories.case(title="掲載中の似た事例", domains=("環境",))
    factories.case(title="下書きの似た事例", domains=("環境",), status=Case.Status.DRAFT)
    response = client.get(f"/cases/{case.number}/")
    html = response.content.decode()
    assert response.status_code == 410
    assert "この事例の掲載は終了しました" in html
    assert f"<dd>{case.number}</dd>" in html and "終わった見守り活動" in html
    assert "2018年度〜2021年度" in html
    assert "掲載中の似た事例" in html and "下書きの似た事例" not in html
    assert '<meta name="robots" content="noindex">' in html
    assert "事例集に追加" not in html.split('id="h-related"')[0]  # no button for the case itself


def test_staff_still_preview_an_archived_case(client, admin_user):
    case = factories.case(title="アーカイブした事例", status=Case.Status.ARCHIVED)
    client.force_login(admin_user)
    response = client.get(f"/cases/{case.number}/")
    assert response.status_code == 200
    assert "職員向けプレビュー" in response.content.decode()


def test_unknown_number_is_not_found(client):
    assert client.get("/cases/999999/").status_code == 404


def test_staff_can_preview_a_draft(client, admin_user):
    case = factories.case(title="準備中の事例", status=Case.Status.DRAFT)
    client.force_login(admin_user)
    response = client.get(f"/cases/{case.number}/")
    assert response.status_code == 200
    assert "職員向けプレビュー" in response.content.decode()


def test_related_cases_share_a_domain_or_method(client):
    case = factories.case(domains=("環境",), methods=("委託",))
    related = factories.case(title="同じ分野の事例", domains=("環境",), methods=("後援",))
    factories.case(title="無関係な事例", domains=("スポーツ",), methods=("共催",))
    factories.case(title="非公開の関連", domains=("環境",), status=Case.Status.DRAFT)
    html = client.get(f"/cases/{case.number}/").content.decode()
    assert related.title in html
    assert "無関係な事例" not in html
    assert "非公開の関連" not in html


def test_rejects_post(client):
    case = factories.case()
    assert client.post(f"/cases/{case.number}/").status_code == 405


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_partners_photos_or_related(client):
    case = factories.case(domains=("環境",), photos=1, partners=(factories.organization("A"),))
    for _ in range(4):
        factories.case(domains=("環境",))
    _count_queries(client, case.get_absolute_url())  # the search index built from nothing
    factories.case(domains=("環境",))
    few = _count_queries(client, case.get_absolute_url())  # then refreshed after a change
    richer = factories.case(
        domains=("環境",),
        photos=3,
        partners=tuple(factories.organization(f"団体{i}") for i in range(5)),
        schedule=tuple((f"{m}月", "活動") for m in range(1, 9)),
    )
    for _ in range(6):
        factories.case(domains=("環境",), photos=2)
    assert _count_queries(client, richer.get_absolute_url()) == few


def test_a_photo_keeps_its_size_and_a_lost_file_never_breaks_a_page(client, settings):
    case = factories.case(photos=1)
    photo = case.photos.get()
    assert (photo.width, photo.height) == (80, 60)  # stored, not read from the file each time
    photo.image.storage.delete(photo.image.name)
    assert client.get("/cases/").status_code == 200
    assert client.get(case.get_absolute_url()).status_code == 200
