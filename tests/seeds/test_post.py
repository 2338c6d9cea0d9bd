import re

import pytest
from django.core import mail

from seeds.models import Seed
from tests import factories

pytestmark = pytest.mark.django_db


def test_input_confirm_done_keeps_it_for_review(client, django_capture_on_commit_callbacks):
    response = client.post("/seeds/new/", factories.seed_form())
    assert response.status_code == 302 and response["Location"] == "/seeds/new/confirm/"
    assert not Seed.objects.exists()
    confirm = client.get("/seeds/new/confirm/").content.decode()
    assert "読み聞かせのボランティアをします" in confirm and "この内容で投稿する" in confirm
    assert "教育・文化" in confirm and "場所" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/seeds/new/confirm/")
    assert done["Location"] == "/seeds/new/done/"
    seed = Seed.objects.get()
    assert re.fullmatch(r"S-\d{4}-\d{6}", seed.receipt_number)
    assert seed.review == Seed.Review.PENDING and seed.status == Seed.Status.OPEN
    assert seed.resources_offered == ["people"] and seed.partner_types_wanted == ["education"]
    assert [d.name for d in seed.domains.all()] == ["教育・文化"]
    staff, ack = mail.outbox
    assert "collanavi@example.jp" in staff.to and "審査待ち" in staff.subject
    assert "yomiko@example.jp" not in staff.body
    assert ack.to == ["yomiko@example.jp"] and seed.receipt_number in ack.subject + ack.body
    for mine in ("読み聞かせの担い手", "学校や図書館", "本田 読子"):  # never the sender's words
        assert mine not in ack.body and mine not in staff.body
    done = client.get("/seeds/new/done/").content.decode()
    assert "投稿を受け付けました" in done and seed.receipt_number in done
    # Not public until approved: not on the board, its page 404s.
    assert "読み聞かせのボランティア" not in client.get("/seeds/").content.decode()
    assert client.get(seed.get_absolute_url()).status_code == 404
    assert client.post("/seeds/new/confirm/")["Location"] == "/seeds/new/"  # sent once


def test_back_to_edit_keeps_what_was_typed(client):
    client.post("/seeds/new/", factories.seed_form())
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
        ({"contact_phone": "でんわ"}, "電話番号は数字とハイフンで"),
        ({"title": "一行目\n二行目"}, "改行や制御文字は使えません"),
        ({"issue": "あ" * 1001}, "1,000文字以内で入力してください（いま1001文字です）"),
        ({"wish": "あ" * 2001}, "やりたいことは2,000文字以内"),
        ({"resources_wanted": [], "resources_offered": []}, "どちらかを1つ以上選んでください"),
        ({"deadline": "2020-01-01"}, "今日以降の日付"),
        ({"deadline": "らいねん"}, "2026-03-31"),
        ({"consent": ""}, "プライバシーポリシーへの同意が必要です。"),
    ],
)
def test_errors_are_japanese_beside_the_field_and_input_is_kept(client, changes, message):
    html = client.post("/seeds/new/", {**factories.seed_form(), **changes}).content.decode()
    assert message in html
    assert "【入力エラー】" in html
    assert "ちば読書の会" in html  # what was typed stays
    assert not Seed.objects.exists()


def test_full_width_phone_and_date_are_converted(client):
    client.post(
        "/seeds/new/",
        {
            **factories.seed_form(),
            "contact_phone": "０４３－２２２－３３３３",
            "deadline": "２０９９－０３－３１",
        },
    )
    confirm = client.get("/seeds/new/confirm/").content.decode()
    assert "043-222-3333" in confirm and "2099年3月31日" in confirm


def test_a_refused_write_keeps_the_draft_and_asks_to_retry(client, monkeypatch):
    from django.db import DatabaseError

    from seeds import services

    client.post("/seeds/new/", factories.seed_form())

    def refuse(**_):
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "submit_seed", refuse)
    html = client.post("/seeds/new/confirm/").content.decode()
    assert "もう一度「この内容で投稿する」を押してください" in html
    assert "読み聞かせのボランティアをします" in html
    assert not Seed.objects.exists()


def test_admin_finds_a_seed_by_its_receipt_number(client, django_capture_on_commit_callbacks):
    client.post("/seeds/new/", factories.seed_form())
    client.post("/seeds/new/confirm/")
    seed = Seed.objects.get()
    factories.seed(title="ほかの種")
    factories.staff_login(client, "管理者")
    html = client.get("/admin/seeds/seed/", {"q": seed.receipt_number}).content.decode()
    assert "読み聞かせのボランティアをします" in html and "ほかの種" not in html
    page = client.get(f"/admin/seeds/seed/{seed.pk}/change/").content.decode()
    assert seed.receipt_number in page


def test_honeypot_refuses(client):
    html = client.post(
        "/seeds/new/", {**factories.seed_form(), "website_url": "http://spam"}
    ).content.decode()
    assert "送信できませんでした" in html
    assert client.get("/seeds/new/confirm/")["Location"] == "/seeds/new/"


def test_rate_limited(client, settings):
    settings.RATE_LIMIT_FORMS = (2, 600)
    for _ in range(2):
        client.post("/seeds/new/", factories.seed_form())
    assert client.post("/seeds/new/", factories.seed_form()).status_code == 429


def test_confirm_without_a_draft_goes_back(client):
    assert client.get("/seeds/new/confirm/")["Location"] == "/seeds/new/"


def test_board_links_the_form(client):
    factories.seed()
    assert 'href="/seeds/new/"' in client.get("/seeds/").content.decode()
