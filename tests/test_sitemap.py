import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from cases.models import Case
from guide.models import GuidePage
from tests import factories

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locations(client) -> set[str]:
    """Every address the sitemap index leads to, as paths."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"] == "application/xml"
    found = set()
    for section in ET.fromstring(index.content).findall("sm:sitemap/sm:loc", NS):
        url = urlsplit(section.text)
        response = client.get(url.path + (f"?{url.query}" if url.query else ""))
        assert response.status_code == 200
        for loc in ET.fromstring(response.content).findall("sm:url/sm:loc", NS):
            assert loc.text.startswith("http://127.0.0.1:8000/")  # SITE_URL, as canonical links
            found.add(urlsplit(loc.text).path)
    return found


def test_sitemap_lists_every_published_case_and_no_draft_or_archived(client):
    published = [factories.case(title=f"公開{i}") for i in range(3)]
    draft = factories.case(status=Case.Status.DRAFT, published_on=None)
    archived = factories.case(status=Case.Status.ARCHIVED)
    paths = _locations(client)
    assert {c.get_absolute_url() for c in published} <= paths
    assert draft.get_absolute_url() not in paths
    assert archived.get_absolute_url() not in paths


def test_a_long_section_is_split_into_pages_the_index_lists(client, monkeypatch):
    from cases.sitemaps import CaseSitemap

    monkeypatch.setattr(CaseSitemap, "limit", 2)
    cases = [factories.case() for _ in range(5)]
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-cases.xml?p=3</loc>" in index
    assert {c.get_absolute_url() for c in cases} <= _locations(client)


def test_sitemap_lists_guide_pages_listed_organizations_and_entry_pages(client):
    lead = factories.organization("NPO法人のせる会")
    factories.case(lead=lead)
    hidden = factories.organization("NPO法人のせない会")
    GuidePage.objects.filter(path="/faq/").update(is_published=False)
    paths = _locations(client)
    assert {"/", "/cases/", "/organizations/", "/about/", "/consultation/"} <= paths
    assert lead.get_absolute_url() in paths and hidden.get_absolute_url() not in paths
    assert "/faq/" not in paths


def test_sitemap_follows_a_publish_at_once(client):
    case = factories.case(status=Case.Status.DRAFT, published_on=None)
    assert case.get_absolute_url() not in _locations(client)
    case.status = Case.Status.PUBLISHED
    case.save()
    assert case.get_absolute_url() in _locations(client)


def test_robots_txt_keeps_crawlers_off_staff_and_forms_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in lines
    for path in ("/admin/", "/inquiries/", "/feedback/", "/cases/*/update/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-cases.xml", "/robots.txt"])
def test_rejects_post(client, path):
    assert client.post(path).status_code == 405


def test_unknown_section_or_page_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-cases.xml?p=99").status_code == 404
