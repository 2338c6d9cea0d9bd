"""What search engines and link previews read: canonical, OGP, Twitter card and JSON-LD."""

import json
import re

import pytest

from cases.models import Case
from tests import factories

pytestmark = pytest.mark.django_db


def _meta(html: str, prop: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    return found[1] if found else None


def _json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return json.loads(found[1])


def test_case_page_shares_its_title_and_first_photo(client):
    partner = factories.organization("株式会社房総フーズ", kind="company")
    case = factories.case(title="フードバンクで食品ロスを減らす", partners=(partner,))
    factories.photo(case, order=1, alt_text="二枚目の写真")
    first = factories.photo(case, order=0, alt_text="一枚目：食品を仕分ける人たち")
    html = client.get(case.get_absolute_url()).content.decode()
    url = f"http://127.0.0.1:8000/cases/{case.number}/"
    assert _meta(html, "og:title").startswith("フードバンクで食品ロスを減らす")
    assert _meta(html, "og:type") == "article"
    assert _meta(html, "og:url") == url and f'<link rel="canonical" href="{url}">' in html
    assert _meta(html, "og:image") == f"http://127.0.0.1:8000{first.image.url}"
    assert _meta(html, "og:image:alt") == "一枚目：食品を仕分ける人たち"
    assert _meta(html, "twitter:card") == "summary_large_image"
    assert _meta(html, "og:description") == "地域の課題に一緒に取り組みました。"


def test_case_without_photos_shares_the_sites_image(client):
    case = factories.case()
    html = client.get(case.get_absolute_url()).content.decode()
    assert _meta(html, "og:image") == "http://127.0.0.1:8000/static/img/ogp.png"
    assert _meta(html, "twitter:card") == "summary"


def test_case_json_ld_is_an_article_with_its_organizations(client):
    lead = factories.organization("NPO法人みどりの会", kind="npo")
    city = factories.organization("千葉市 環境局", kind="government")
    case = factories.case(title="里山の保全", lead=lead, partners=(city,), photos=1)
    data = _json_ld(client.get(case.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "Article"
    assert data["headline"] == "里山の保全" and data["identifier"] == f"事例No.{case.number}"
    assert data["author"] == {
        "@type": "NGO",
        "name": "NPO法人みどりの会",
        "url": f"http://127.0.0.1:8000{lead.get_absolute_url()}",
    }
    assert [o["name"] for o in data["contributor"]] == ["千葉市 環境局"]
    assert data["contributor"][0]["@type"] == "GovernmentOrganization"
    assert data["datePublished"] == "2024-04-01" and len(data["image"]) == 1


def test_markup_in_a_title_cannot_leave_the_tags(client):
    case = factories.case(title='題名"><script>alert(1)</script>')
    html = client.get(case.get_absolute_url()).content.decode()
    head = html[: html.index("</head>")]
    assert "<script>alert(1)" not in head
    assert _meta(head, "og:title").startswith("題名&quot;&gt;&lt;script&gt;")
    assert _json_ld(head)["headline"] == case.title  # \\u003C inside the script block


def test_a_drafts_preview_has_no_json_ld(client, admin_user):
    case = factories.case(status=Case.Status.DRAFT, published_on=None)
    client.force_login(admin_user)
    assert "application/ld+json" not in client.get(case.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "path,title",
    [
        ("/", "コラボナビ ｜ 千葉県の協働事例ポータル"),
        ("/cases/", "協働事例を探す"),
        ("/organizations/", "団体を探す"),
        ("/about/", "コラボナビとは・使い方"),
        ("/privacy/", "プライバシーポリシー"),
        ("/inquiries/new/", "お問い合わせ・ご相談（入力）"),
        ("/casebook/", "マイ事例集"),
    ],
)
def test_every_public_page_has_canonical_and_ogp_tags(client, path, title):
    factories.case()
    html = client.get(path + "?utm_source=x").content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{path}">' in html
    assert _meta(html, "og:url") == f"http://127.0.0.1:8000{path}"
    assert title in _meta(html, "og:title")
    assert _meta(html, "og:site_name") == "コラボナビ" and _meta(html, "og:locale") == "ja_JP"
    assert _meta(html, "og:description")
    assert _meta(html, "og:image") == "http://127.0.0.1:8000/static/img/ogp.png"


def test_organization_page_has_its_name_as_og_title(client):
    lead = factories.organization("NPO法人みどりの会")
    factories.case(lead=lead)
    html = client.get(lead.get_absolute_url()).content.decode()
    assert _meta(html, "og:title") == "NPO法人みどりの会"


@pytest.mark.parametrize(
    "path,title",
    [
        ("/", "コラボナビ ｜ 千葉県の協働事例ポータル"),
        ("/cases/", "協働事例を探す ｜ コラボナビ"),
        ("/inquiries/new/", "お問い合わせ・ご相談（入力） ｜ コラボナビ"),
        ("/admin/", "事例と団体の管理 ｜ コラボナビ 管理"),
        ("/admin/inquiries/inquiry/", "を選択 ｜ コラボナビ 管理"),
    ],
)
def test_titles_end_with_the_site_after_a_full_width_bar(admin_client, path, title):
    html = admin_client.get(path).content.decode()
    assert re.search(r"<title>\s*(.*?)\s*</title>", html, re.S)[1].endswith(title)
    assert "—" not in re.search(r"<title>(.*?)</title>", html, re.S)[1]
