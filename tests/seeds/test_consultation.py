import re

import pytest
from django.core import mail

from inquiries.models import Inquiry
from seeds.models import Consultation
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_consultation_reaches_staff_never_the_poster(
    client, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFY_EMAILS = ["coordinator@example.jp"]
    seed = factories.seed(title="花壇を一緒に")
    url = f"/seeds/{seed.pk}/consult/"
    assert client.post(url, factories.consultation_form())["Location"] == f"{url}confirm/"
    confirm = client.get(f"{url}confirm/").content.decode()
    assert "花壇を一緒に" in confirm and "相談 太郎" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"{url}confirm/")
    assert done["Location"] == f"{url}done/"
    consultation = Consultation.objects.get()
    inquiry = consultation.inquiry
    assert consultation.seed == seed and inquiry.kind == Inquiry.Kind.CONSULTATION
    assert "花壇を一緒に" in inquiry.message and "講師を出せます" in inquiry.message
    staff, ack = mail.outbox
    assert staff.to == ["coordinator@example.jp"] and "花壇を一緒に" in staff.body
    assert ack.to == ["taro@example.jp"]
    assert re.fullmatch(r"Q-\d{4}-\d{6}", inquiry.receipt_number)
    assert inquiry.receipt_number in ack.subject and inquiry.receipt_number in staff.subject
    assert "講師を出せます" not in ack.body + staff.body  # never the sender's words
    everything = [m.body + m.subject + " ".join(m.to + m.cc + m.bcc) for m in mail.outbox]
    for private in ("hanako@example.jp", "種田 花子", "043-111-2222"):
        assert not any(private in text for text in everything)
    page = client.get(f"{url}done/").content.decode()
    assert "送信しました" in page and "hanako@example.jp" not in page
    assert inquiry.receipt_number in page
    assert client.post(f"{url}confirm/")["Location"] == url  # sent once


def test_errors_are_japanese_and_input_kept(client):
    seed = factories.seed()
    html = client.post(
        f"/seeds/{seed.pk}/consult/", {**factories.consultation_form(), "email": "x@"}
    ).content.decode()
    assert "メールアドレスの形式が正しくありません" in html and 'value="相談 太郎"' in html
    html = client.post(
        f"/seeds/{seed.pk}/consult/", {**factories.consultation_form(), "message": ""}
    ).content.decode()
    assert "ご相談の内容を入力してください。" in html


def test_honeypot_and_rate_limit(client, settings):
    seed = factories.seed()
    url = f"/seeds/{seed.pk}/consult/"
    html = client.post(url, {**factories.consultation_form(), "website_url": "x"}).content.decode()
    assert "送信できませんでした" in html
    settings.RATE_LIMIT_FORMS = (2, 600)
    client.post(url, factories.consultation_form())
    assert client.post(url, factories.consultation_form()).status_code == 429


@pytest.mark.parametrize("review", ["pending", "draft", "rejected"])
def test_no_consultation_about_an_unapproved_seed(client, review):
    seed = factories.seed(review=review)
    assert (
        client.post(f"/seeds/{seed.pk}/consult/", factories.consultation_form()).status_code == 404
    )
    assert client.post(f"/seeds/{seed.pk}/consult/confirm/").status_code == 404
