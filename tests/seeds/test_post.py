import pytest
from django.core import mail

from cases.models import Domain
from partners.models import Area
from seeds.models import Seed
from tests import factories

pytestmark = pytest.mark.django_db


def valid() -> dict:
    return {
        "kind": "offer",
        "title": "読み聞かせのボランティアをします",
        "poster_name": "ちば読書の会",
        "contact_person": "本田 読子",
        "contact_email": "yomiko@example.jp",
        "contact_phone": "043-222-3333",
        "area": str(Area.objects.get(name="千葉市").pk),
        "domains": [str(Domain.objects.get(name="教育・文化").pk)],
        "issue": "読み聞かせの担い手が減っています。",
        "wish": "学校や図書館で読み聞かせをします。",
        "partner_types_wanted": ["education"],
        "resources_wanted": ["place"],
        "resources_offered": ["people"],
        "period": "通年",
        "deadline": "",
        "keywords": "読み聞かせ 図書館",
        "consent": "on",
    }


def test_input_confirm_done_keeps_it_for_review(client, django_capture_on_commit_callbacks):
    response = client.post("/seeds/new/", valid())
    assert response.status_code == 302 and response["Location"] == "/seeds/new/confirm/"
    assert not Seed.objects.exists()
    confirm = client.get("/seeds/new/confirm/").content.decode()
    assert "読み聞かせのボランティアをします" in confirm and "この内容で投稿する" in confirm
    assert "教育・文化" in confirm and "場所" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/seeds/new/confirm/")
    assert done["Location"] == "/seeds/new/done/"
    seed = Seed.objects.get()
    assert seed.review == Seed.Review.PENDING and seed.status == Seed.Status.OPEN
    assert seed.resources_offered == ["people"] and seed.partner_types_wanted == ["education"]
    assert [d.name for d in seed.domains.all()] == ["教育・文化"]
    staff, ack = mail.outbox
    assert "collanavi@example.jp" in staff.to and "審査待ち" in staff.subject
    assert "yomiko@example.jp" not in staff.body
    assert ack.to == ["yomiko@example.jp"]
    assert "投稿を受け付けました" in client.get("/seeds/new/done/").content.decode()
    # Not public until approved: not on the board, its page 404s.
    assert "読み聞かせのボランティア" not in client.get("/seeds/").content.decode()
    assert client.get(seed.get_absolute_url()).status_code == 404
    assert client.post("/seeds/new/confirm/")["Location"] == "/seeds/new/"  # sent once


def test_back_to_edit_keeps_what_was_typed(client):
    client.post("/seeds/new/", valid())
    html = client.get("/seeds/new/").content.decode()
    assert 'value="読み聞かせのボランティアをします"' in html
    assert 'name="resources_offered" value="people" id="id_resources_offered_2" checked' in html


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "タイトルを入力してください。"),
        ({"kind": ""}, "種類を選んでください。"),
        ({"area": ""}, "地域を選んでください。"),
        ({"domains": []}, "活動分野を1つ以上選んでください。"),
        ({"contact_email": "yomiko@"}, "メールアドレスの形式が正しくありません"),
        ({"contact_phone": "でんわ"}, "電話番号は半角数字とハイフンで"),
        ({"wish": "あ" * 2001}, "やりたいことは2,000文字以内"),
        ({"resources_wanted": [], "resources_offered": []}, "どちらかを1つ以上選んでください"),
        ({"deadline": "2020-01-01"}, "今日以降の日付"),
        ({"deadline": "らいねん"}, "2026-03-31"),
        ({"consent": ""}, "プライバシーポリシーへの同意が必要です。"),
    ],
)
def test_errors_are_japanese_beside_the_field_and_input_is_kept(client, changes, message):
    html = client.post("/seeds/new/", {**valid(), **changes}).content.decode()
    assert message in html
    assert "【入力エラー】" in html
    assert "ちば読書の会" in html  # what was typed stays
    assert not Seed.objects.exists()


def test_honeypot_refuses(client):
    html = client.post("/seeds/new/", {**valid(), "website_url": "http://spam"}).content.decode()
    assert "送信できませんでした" in html
    assert client.get("/seeds/new/confirm/")["Location"] == "/seeds/new/"


def test_rate_limited(client, settings):
    settings.RATE_LIMIT_FORMS = (2, 600)
    for _ in range(2):
        client.post("/seeds/new/", valid())
    assert client.post("/seeds/new/", valid()).status_code == 429


def test_confirm_without_a_draft_goes_back(client):
    assert client.get("/seeds/new/confirm/")["Location"] == "/seeds/new/"


def test_board_links_the_form(client):
    factories.seed()
    assert 'href="/seeds/new/"' in client.get("/seeds/").content.decode()
