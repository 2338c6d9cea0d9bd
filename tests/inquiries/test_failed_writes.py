"""When the database refuses a public post, the form comes back with the input and a message
to retry: nothing the sender typed is lost, and no bare error page."""

import pytest
from django.core import mail
from django.db import DatabaseError, OperationalError

from inquiries.models import Inquiry, PageFeedback, UpdateProposal
from tests import factories

pytestmark = pytest.mark.django_db

RETRY = "システムの一時的な問題で、送信できませんでした。入力内容はそのまま残っています。"


def refuse(monkeypatch, model, error=OperationalError):
    def save(*args, **kwargs):
        raise error("database is locked")

    monkeypatch.setattr(model, "save", save)


def test_a_refused_inquiry_shows_the_confirmation_again(client, monkeypatch):
    client.post("/inquiries/new/", factories.inquiry_form())
    refuse(monkeypatch, Inquiry)
    response = client.post("/inquiries/confirm/")
    html = response.content.decode()
    assert response.status_code == 200
    assert RETRY in html and "「この内容で送信する」を押してください" in html
    assert "千葉 花子" in html and "企業との協働について相談したいです。" in html
    assert client.session["inquiry_draft"]["name"] == "千葉 花子"  # kept for the retry
    monkeypatch.undo()
    assert client.post("/inquiries/confirm/")["Location"] == "/inquiries/done/"
    assert Inquiry.objects.get().name == "千葉 花子"


def test_a_refused_proposal_shows_the_form_again_with_the_input(client, monkeypatch):
    case = factories.case(title="里山の保全", summary="昔の概要です。")
    refuse(monkeypatch, UpdateProposal, DatabaseError)
    response = client.post(
        f"/cases/{case.number}/update/",
        factories.proposal_form(case, case_summary="新しい概要です。", message="よろしく"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert RETRY in html and "「更新を提案する」を押してください" in html
    assert "新しい概要です。" in html and 'value="房総 太郎"' in html and "よろしく" in html
    assert not UpdateProposal.objects.exists() and not mail.outbox
    assert "入力内容を確認してください" not in html  # not the sender's mistake


def test_refused_feedback_shows_the_widget_again_with_the_answers(client, monkeypatch):
    refuse(monkeypatch, PageFeedback)
    response = client.post(
        "/feedback/", {"path": "/cases/", "useful": "false", "comment": "地図がほしい"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert RETRY in html and "「回答を送信する」を押してください" in html
    assert "地図がほしい</textarea>" in html
    assert 'value="false" checked' in html and 'name="path" value="/cases/"' in html
    assert not PageFeedback.objects.exists()


def test_a_refused_draft_shows_the_input_form_again(client, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    refuse(monkeypatch, SessionStore)
    response = client.post("/inquiries/new/", factories.inquiry_form())
    html = response.content.decode()
    assert response.status_code == 200
    assert RETRY in html and "「入力内容を確認する」を押してください" in html
    assert 'value="千葉 花子"' in html and "企業との協働について相談したいです。" in html
