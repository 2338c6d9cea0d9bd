"""kernel.formflow through every 入力→確認→完了 form: each keeps the input on the way back,
sends once, and asks to retry when the database refuses."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError

from inquiries.models import Inquiry
from seeds.models import Seed
from tests import factories

pytestmark = pytest.mark.django_db

RETRY = "システムの一時的な問題で、送信できませんでした。入力内容はそのまま残っています。"


@pytest.fixture(params=["inquiry", "seed", "consultation"])
def flow(request) -> tuple[str, str, dict, str]:
    """The 入力 and 確認 addresses, a valid post and a name it contains."""
    if request.param == "inquiry":
        return "/inquiries/new/", "/inquiries/confirm/", factories.inquiry_form(), "千葉 花子"
    if request.param == "seed":
        return "/seeds/new/", "/seeds/new/confirm/", factories.seed_form(), "ちば読書の会"
    url = f"/seeds/{factories.seed().pk}/consult/"
    return url, f"{url}confirm/", factories.consultation_form(), "相談 太郎"


def test_back_from_confirmation_shows_the_input_with_the_consent_ticked(client, flow):
    url, confirm, data, name = flow
    assert client.post(url, data)["Location"] == confirm
    html = client.get(url).content.decode()
    assert f'value="{name}"' in html
    assert 'id="id_consent" checked' in html


def test_what_was_sent_is_gone_from_the_session(client, flow):
    url, confirm, data, name = flow
    client.post(url, data)
    stored = Inquiry.objects.count() + Seed.objects.count()
    done = client.post(confirm)["Location"]
    assert client.get(done).status_code == 200
    assert client.post(confirm)["Location"] == url  # sent once
    assert f'value="{name}"' not in client.get(url).content.decode()
    assert Inquiry.objects.count() + Seed.objects.count() == stored + 1


def test_a_refused_draft_keeps_the_input(client, flow, monkeypatch):
    url, _, data, name = flow

    def refuse(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SessionStore, "save", refuse)
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert RETRY in html and "「入力内容を確認する」を押してください" in html
    assert f'value="{name}"' in html


def test_a_consultation_draft_is_kept_per_seed(client):
    first, second = factories.seed(title="一つめ"), factories.seed(title="二つめ")
    client.post(f"/seeds/{first.pk}/consult/", factories.consultation_form())
    client.post(
        f"/seeds/{second.pk}/consult/", {**factories.consultation_form(), "name": "別の 人"}
    )
    assert "相談 太郎" in client.get(f"/seeds/{first.pk}/consult/confirm/").content.decode()
    client.post(f"/seeds/{second.pk}/consult/confirm/")
    assert client.get(f"/seeds/{first.pk}/consult/confirm/").status_code == 200  # still kept
    gone = client.get(f"/seeds/{second.pk}/consult/confirm/")
    assert gone["Location"] == f"/seeds/{second.pk}/consult/"
