import re

import pytest
from django.contrib.auth.models import Group, User

from guide.models import GuidePage
from tests import factories

pytestmark = pytest.mark.django_db

SEEDED = {
    "/about/": "コラボナビとは・使い方",
    "/guide/collaboration/": "協働とは",
    "/guide/process/": "協働の進め方",
    "/faq/": "よくある質問",
    "/consultation/": "相談窓口",
    "/accessibility/": "ウェブアクセシビリティ方針",
    "/privacy/": "プライバシーポリシー（個人情報の取り扱い）",
}


def _page(**fields) -> GuidePage:
    fields.setdefault("title", "テストのページ")
    fields.setdefault("path", "/guide/test/")
    fields.setdefault("body", "本文です。")
    fields.setdefault("is_published", True)
    return GuidePage.objects.create(**fields)


@pytest.mark.parametrize("path,title", SEEDED.items())
def test_each_seeded_page_answers_with_its_title(client, path, title):
    html = client.get(path).content.decode()
    assert f"<h1>{title}</h1>" in html
    assert html.count("<p>") >= 3  # several paragraphs of real text


def test_collaboration_page_lists_the_nine_principles(client):
    html = client.get("/guide/collaboration/").content.decode()
    principles = ["対等な関係の保持", "自主性・自立性の尊重", "相互理解", "目的・目標の共有"]
    principles += ["情報公開", "機会平等", "役割分担", "時限性の確保", "評価の実施"]
    main = html[html.index("<main") : html.index("</main>")]
    assert all(p in main for p in principles)
    # Each actor has its own section (the meta description names them on every page).
    headings = re.findall(r"<h3>(.*?)</h3>", main)
    for actor in ("住民", "企業", "行政", "自治会"):
        assert any(actor in heading for heading in headings), actor


def test_process_page_links_the_inquiry_form_and_cases(client):
    html = client.get("/guide/process/").content.decode()
    assert 'href="/inquiries/new/?kind=consultation"' in html
    assert 'href="/cases/?q=' in html
    assert all(step in html for step in ("相談", "協議", "実践"))


def test_consultation_page_shows_the_contact_from_settings(client, settings):
    settings.CONTACT_OFFICE = "協働推進課"
    settings.CONTACT_PHONE = "043-223-4133"
    settings.CONTACT_EMAIL = "kyodo@example.jp"
    settings.CONTACT_HOURS = "平日 8時30分〜17時15分"
    html = client.get("/consultation/").content.decode()
    assert "協働推進課" in html and "平日 8時30分〜17時15分" in html
    assert 'href="tel:043-223-4133"' in html and 'href="mailto:kyodo@example.jp"' in html
    assert "{{" not in html


def test_markdown_is_rendered_and_sanitised(client):
    _page(
        body="## 小見出し\n\n**大事**なこと<script>alert('x')</script>\n\n"
        '<a href="javascript:alert(1)" onclick="alert(2)">危険なリンク</a>\n\n'
        "[安全なリンク](/cases/)\n\n<img src=x onerror=alert(3)>\n",
    )
    html = client.get("/guide/test/").content.decode()
    article = html[html.index("<article") : html.index("</article>")]
    assert "<h2>小見出し</h2>" in article and "<strong>大事</strong>" in article
    assert "<script" not in article and "alert('x')" not in article
    assert "javascript:" not in article and "onclick" not in article and "onerror" not in article
    assert '<a href="/cases/"' in article


def test_a_top_level_heading_becomes_h2_under_the_pages_title(client):
    _page(body="# 見出し\n\n本文")
    html = client.get("/guide/test/").content.decode()
    assert html.count("<h1>") == 1 and "<h2>見出し</h2>" in html


def test_unpublished_page_is_404_for_the_public_and_a_preview_for_staff(client):
    _page(is_published=False)
    assert client.get("/guide/test/").status_code == 404
    staff = User.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get("/guide/test/")
    assert response.status_code == 200 and "職員向けプレビュー" in response.content.decode()


def test_unknown_address_is_404_and_a_missing_slash_is_added(client):
    assert client.get("/no-such-page/").status_code == 404
    response = client.get("/faq")
    assert response.status_code == 301 and response["Location"] == "/faq/"


@pytest.mark.parametrize("path", ["/faq/", "/privacy/"])
def test_rejects_post(client, path):
    assert client.post(path).status_code == 405


def test_privacy_policy_is_a_page_staff_edit(client):
    page = GuidePage.objects.get(path="/privacy/")
    page.body = "## 1. 利用の目的\n\n改定した方針です。"
    page.save()
    html = client.get("/privacy/").content.decode()
    assert "改定した方針です。" in html
    inquiry_form = client.get("/inquiries/new/").content.decode()
    assert 'href="/privacy/"' in inquiry_form


def test_header_has_the_consultation_link_and_footer_the_guide_pages(client):
    factories.case()
    html = client.get("/cases/").content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    footer = html[html.index("<footer") : html.index("</footer>")]
    assert '<a href="/consultation/">相談する</a>' in header
    for path in SEEDED:
        assert f'href="{path}"' in footer


def test_a_page_edit_shows_in_the_menus_of_cached_pages_at_once(client):
    client.get("/cases/")  # cached
    page = GuidePage.objects.get(path="/faq/")
    page.menu_label = "Q&A"
    page.save()
    assert "Q&amp;A</a>" in client.get("/cases/").content.decode()
    page.is_published = False
    page.save()
    assert 'href="/faq/"' not in client.get("/cases/").content.decode()
    assert client.get("/faq/").status_code == 404


@pytest.mark.parametrize("path", ["/cases/", "/admin/", "/casebook/", "about/", "/About/", "/a"])
def test_an_address_the_site_uses_or_a_malformed_one_is_refused(path):
    page = GuidePage(title="x", path=path, body="x")
    with pytest.raises(Exception) as error:
        page.full_clean()
    assert "path" in error.value.message_dict


def test_a_free_address_is_accepted():
    GuidePage(title="x", path="/guide/new-page/", body="x").full_clean()


def test_editor_may_write_guide_pages_but_not_publish_or_delete():
    editor = Group.objects.get(name="事例編集者").permissions
    administrator = Group.objects.get(name="管理者").permissions
    codes = set(editor.filter(content_type__app_label="guide").values_list("codename", flat=True))
    assert codes == {"add_guidepage", "change_guidepage", "view_guidepage"}
    assert administrator.filter(codename="publish_guidepage").exists()
    assert administrator.filter(codename="delete_guidepage").exists()
