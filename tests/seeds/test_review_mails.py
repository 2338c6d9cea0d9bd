"""The poster hears of the decision: approval with the page's address, rejection with the
coordinator's reason; no mail quotes what the poster wrote."""

import pytest
from django.core import mail

from seeds.models import Seed
from tests import factories
from tests.staff import admin_form_data, assert_japanese

pytestmark = pytest.mark.django_db

POSTERS_WORDS = (
    "審査待ちの花壇",
    "公園の植え込みが荒れています",
    "季節の花壇を一緒に",
    "種田 花子",
)


def _pending(**fields):
    fields.setdefault("receipt_number", "S-2026-000042")
    return factories.seed(title="審査待ちの花壇", review="pending", approved_on=None, **fields)


def _assert_quotes_nothing(message) -> None:
    for words in POSTERS_WORDS:
        assert words not in message.subject + message.body


def test_approving_mails_the_poster_the_address(client, django_capture_on_commit_callbacks):
    seed = _pending()
    factories.staff_login(client, "管理者")
    data = admin_form_data(client.get(f"/admin/seeds/seed/{seed.pk}/change/"))
    data["_approve"] = "1"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/seeds/seed/{seed.pk}/change/", data)
    (message,) = mail.outbox
    assert message.to == ["hanako@example.jp"]
    assert "掲載しました" in message.subject and "S-2026-000042" in message.subject
    assert f"http://127.0.0.1:8000/seeds/{seed.pk}/" in message.body
    _assert_quotes_nothing(message)
    # Approving again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/seeds/seed/", {"action": "approve", "_selected_action": [seed.pk]})
    assert len(mail.outbox) == 1


def test_approving_in_the_review_field_mails_too(client, django_capture_on_commit_callbacks):
    seed = _pending()
    factories.staff_login(client, "管理者")
    data = admin_form_data(client.get(f"/admin/seeds/seed/{seed.pk}/change/"))
    data["review"] = "approved"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/admin/seeds/seed/{seed.pk}/change/", data).status_code == 302
    seed.refresh_from_db()
    assert seed.review == Seed.Review.APPROVED and seed.approved_on is not None
    assert [c.to_status for c in seed.changes.all()] == ["open"]
    assert [m.to for m in mail.outbox] == [["hanako@example.jp"]]


def test_rejecting_asks_a_reason_and_mails_it(client, django_capture_on_commit_callbacks):
    seed = _pending()
    factories.staff_login(client, "管理者")
    response = client.post(
        "/admin/seeds/seed/", {"action": "reject", "_selected_action": [seed.pk]}
    )
    assert response["Location"] == f"/admin/seeds/seed/reject/?ids={seed.pk}"
    assert_japanese(client.get(response["Location"]))
    refused = client.post("/admin/seeds/seed/reject/", {"ids": str(seed.pk), "reason": "  "})
    assert_japanese(refused)
    html = refused.content.decode()
    assert 'id="id_reason_error"><li>理由（投稿者にメールで伝わります）：却下の理由を入力' in html
    assert 'aria-describedby="id_reason_error"' in html
    seed.refresh_from_db()
    assert seed.review == Seed.Review.PENDING and not mail.outbox
    reason = "営利目的の宣伝と判断しました。"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/admin/seeds/seed/reject/", {"ids": str(seed.pk), "reason": reason})
    assert done["Location"] == f"/admin/seeds/seed/{seed.pk}/change/"
    seed.refresh_from_db()
    assert seed.review == Seed.Review.REJECTED and reason in seed.staff_notes
    (message,) = mail.outbox
    assert message.to == ["hanako@example.jp"] and "S-2026-000042" in message.subject
    assert reason in message.body and "見送り" in message.subject
    _assert_quotes_nothing(message)


def test_rejecting_in_the_review_field_is_refused(client):
    seed = _pending()
    factories.staff_login(client, "管理者")
    data = admin_form_data(client.get(f"/admin/seeds/seed/{seed.pk}/change/"))
    data["review"] = "rejected"
    html = client.post(f"/admin/seeds/seed/{seed.pk}/change/", data).content.decode()
    assert "「却下する（理由を書いて知らせる）」から理由を入力してください" in html
    seed.refresh_from_db()
    assert seed.review == Seed.Review.PENDING


def test_rejecting_is_for_administrators(client):
    seed = _pending()
    factories.staff_login(client, "事例編集者")
    assert client.get(f"/admin/seeds/seed/reject/?ids={seed.pk}").status_code == 403
    assert (
        client.post("/admin/seeds/seed/reject/", {"ids": seed.pk, "reason": "x"}).status_code == 403
    )
    assert (
        "却下する（理由" not in client.get(f"/admin/seeds/seed/{seed.pk}/change/").content.decode()
    )


def test_a_seed_without_an_address_is_rejected_without_mail(
    client, django_capture_on_commit_callbacks
):
    seed = _pending(contact_email="")
    factories.staff_login(client, "管理者")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/seeds/seed/reject/", {"ids": str(seed.pk), "reason": "重複"})
    seed.refresh_from_db()
    assert seed.review == Seed.Review.REJECTED and not mail.outbox
