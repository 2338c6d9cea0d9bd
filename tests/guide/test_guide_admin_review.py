"""A 事例編集者's change to a public guide page waits for a 管理者."""

import pytest
from django.test import Client

from guide.models import GuidePage
from tests import factories
from tests.staff import admin_form_data, visible_text

pytestmark = pytest.mark.django_db


def test_an_editors_change_to_a_public_page_waits_until_a_manager_approves(client):
    page = GuidePage.objects.published().get(path="/faq/")
    before = page.body
    factories.staff_login(client, "事例編集者")
    url = f"/admin/guide/guidepage/{page.pk}/change/"
    data = admin_form_data(client.get(url))
    data["body"] = before + "\n\n## 新しい質問\n\n答えです。"
    saved = client.post(url, data, follow=True)
    assert "承認待ち" in visible_text(saved.content.decode())
    assert "新しい質問" not in Client().get("/faq/").content.decode()
    page.refresh_from_db()
    assert page.body == before and "新しい質問" in page.pending["body"]

    manager = factories.staff_user("管理者", "manager")
    client.force_login(manager)
    assert "承認待ちのガイドページ：1件" in client.get("/admin/").content.decode()
    listed = client.get("/admin/guide/guidepage/?waiting=1").content.decode()
    assert "確認する" in listed
    review = client.get(f"/admin/guide/guidepage/{page.pk}/review/")
    assert "新しい質問" in visible_text(review.content.decode())
    client.post(f"/admin/guide/guidepage/{page.pk}/review/", {"_approve": "1"})
    assert "新しい質問" in Client().get("/faq/").content.decode()
    page.refresh_from_db()
    assert page.pending is None
