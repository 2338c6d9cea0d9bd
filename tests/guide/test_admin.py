import pytest

from guide.models import GuidePage
from tests import factories

pytestmark = pytest.mark.django_db


def _form(page: GuidePage, **changes) -> dict:
    data = {
        "title": page.title,
        "path": page.path,
        "description": page.description,
        "body": page.body,
        "menu": page.menu,
        "menu_label": page.menu_label,
        "order": page.order,
        "is_published": "on" if page.is_published else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_editor_changes_the_text_but_not_publication_or_a_public_address(client):
    factories.staff_login(client, "事例編集者")
    page = GuidePage.objects.get(path="/faq/")
    form = client.get(f"/admin/guide/guidepage/{page.pk}/change/")
    fields = form.context["adminform"].form.fields
    assert "is_published" not in fields and "path" not in fields
    response = client.post(
        f"/admin/guide/guidepage/{page.pk}/change/",
        _form(page, body="新しい回答です。", is_published="", path="/faq-new/"),
    )
    assert response.status_code == 302
    page.refresh_from_db()  # a public page: the change waits for a 管理者 (test_guide_admin_review)
    assert page.body != "新しい回答です。" and page.is_published and page.path == "/faq/"
    assert page.pending == {"body": "新しい回答です。"}
    assert page.pending_by.username == "事例編集者-user"
    assert "新しい回答です。" not in client.get("/faq/").content.decode()


def test_a_page_an_editor_adds_waits_unpublished(client):
    factories.staff_login(client, "事例編集者")
    response = client.post(
        "/admin/guide/guidepage/add/",
        {
            "title": "新しい案内",
            "path": "/guide/new/",
            "body": "本文",
            "menu": "footer",
            "order": 1,
        },
    )
    assert response.status_code == 302
    assert not GuidePage.objects.get(path="/guide/new/").is_published
    assert client.get("/admin/guide/guidepage/1/delete/").status_code == 403


def test_administrator_publishes_and_unpublishes(client):
    factories.staff_login(client, "管理者")
    page = GuidePage.objects.get(path="/accessibility/")
    response = client.post(
        f"/admin/guide/guidepage/{page.pk}/change/", _form(page, is_published="")
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.is_published


def test_history_lists_the_first_text_and_each_edit(client):
    factories.staff_login(client, "管理者")
    page = GuidePage.objects.get(path="/about/")
    client.post(f"/admin/guide/guidepage/{page.pk}/change/", _form(page, title="使い方"))
    html = client.get(f"/admin/guide/guidepage/{page.pk}/history/").content.decode()
    assert page.history.count() == 2
    assert "最初の内容" in html


def test_admin_list_is_in_japanese(client):
    factories.staff_login(client, "管理者")
    html = client.get("/admin/guide/guidepage/").content.decode()
    assert "ガイドページ" in html and "相談窓口" in html and "公開中" in html


def test_an_editors_revert_keeps_the_page_unpublished(client):
    page = GuidePage.objects.get(path="/faq/")
    first = page.history.earliest()
    page.is_published = False
    page.save()
    factories.staff_login(client, "事例編集者")
    url = f"/admin/guide/guidepage/{page.pk}/history/{first.history_id}/"
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(url, _form(first.instance))
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.is_published
    assert page.history.first().history_change_reason == "変更履歴から以前の版に戻しました"


def test_change_form_previews_the_saved_text_as_the_site_shows_it(client):
    factories.staff_login(client, "事例編集者")
    page = GuidePage.objects.get(path="/faq/")
    page.body = "## 見出し\n\n**強調**<script>alert(1)</script>"
    page.save()
    html = client.get(f"/admin/guide/guidepage/{page.pk}/change/").content.decode()
    preview = html[html.index('class="guide-preview"') :]
    assert "<h2>見出し</h2>" in preview and "<strong>強調</strong>" in preview
    assert "<script>alert(1)" not in html


def test_an_editors_revert_of_a_public_page_waits_for_review_with_the_old_text(client):
    page = GuidePage.objects.get(path="/faq/")
    first = page.history.earliest()
    page.body = "## 管理者が書き直した質問"
    page.save()
    factories.staff_login(client, "事例編集者")
    url = f"/admin/guide/guidepage/{page.pk}/history/{first.history_id}/"
    response = client.post(url, _form(first.instance), follow=True)
    assert "承認待ち" in response.content.decode()
    page.refresh_from_db()
    assert page.body == "## 管理者が書き直した質問"  # the public page as it was
    assert page.pending["body"] == first.instance.body.strip()  # the old text waits


def test_an_editors_save_without_a_change_holds_nothing(client):
    page = GuidePage.objects.get(path="/faq/")
    factories.staff_login(client, "事例編集者")
    response = client.post(f"/admin/guide/guidepage/{page.pk}/change/", _form(page), follow=True)
    assert "変更はありませんでした" in response.content.decode()
    page.refresh_from_db()
    assert page.pending is None
