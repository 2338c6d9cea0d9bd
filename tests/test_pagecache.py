"""Shared pages: rendered once for everyone, each visitor still sees their own page."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from tests import factories

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def buttons(html: str) -> list[str]:
    return re.findall(r"＋ 事例集に追加|事例集から外す", html)


@pytest.fixture
def cases():
    organization = factories.organization("NPO法人共有ページ")
    return [factories.case(title=f"共有事例{i}", lead=organization) for i in range(3)]


@pytest.mark.parametrize("url", ["/", "/cases/", "case", "/organizations/", "organization"])
def test_each_visitor_sees_their_own_casebook_on_a_cached_page(cases, url):
    url = {"case": cases[0].get_absolute_url(), "organization": f"/organizations/"
           f"{cases[0].lead_organization.pk}/"}.get(url, url)  # fmt: skip
    stranger, collector = Client(), Client()
    page(stranger, url)  # fills the cache
    collector.post(f"/casebook/add/{cases[0].number}/")
    collector.post(f"/casebook/add/{cases[1].number}/")

    theirs, mine = page(stranger, url), page(collector, url)
    assert 'class="casebook-count">0<' in theirs and 'class="casebook-count">2<' in mine
    assert "事例集から外す" not in theirs
    if url in ("/cases/", cases[0].get_absolute_url()):
        assert "事例集から外す" in mine
    for html in (theirs, mine):
        assert "<!--" not in html  # no hole or marker reaches the browser
        assert len(buttons(html)) == html.count('class="case-card"') + html.count("case__actions")


def test_the_cached_page_is_served_without_queries(cases):
    page(Client(), "/cases/")
    with CaptureQueriesContext(connection) as ctx:
        html = page(Client(), "/cases/")
    assert "共有事例2" in html
    assert [q["sql"] for q in ctx.captured_queries if "kernel_change" not in q["sql"]] == []
    assert len(ctx.captured_queries) == 1  # the change feed's head: the catalogue version


def test_forms_on_a_cached_page_carry_the_visitors_own_csrf_token(cases):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page(first, "/cases/")
    html = page(second, "/cases/")
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1 and "csrf-token-hole" not in tokens
    token = tokens.pop()
    response = second.post(
        f"/casebook/add/{cases[1].number}/", {"csrfmiddlewaretoken": token, "next": "/cases/"}
    )
    assert response.status_code == 302
    assert second.session["casebook"] == [cases[1].number]
    # the same page served to another visitor is useless for a forged post
    assert first.post(f"/casebook/remove/{cases[1].number}/").status_code == 403


def test_a_message_shows_once_on_a_cached_page(cases):
    client = Client()
    page(client, "/cases/")
    response = client.post(f"/casebook/add/{cases[0].number}/", {"next": "/cases/"}, follow=True)
    assert 'class="messages"' in response.content.decode()
    assert 'class="messages"' not in page(client, "/cases/")


def test_a_staff_preview_of_a_draft_is_never_served_to_the_public(admin_client, client):
    draft = factories.case(title="非公開の下書き", status=Case.Status.DRAFT, published_on=None)
    assert "非公開の下書き" in page(admin_client, draft.get_absolute_url())
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "非公開の下書き" not in page(client, "/cases/")


def test_a_missing_case_page_shows_the_visitors_own_counter(client):
    html = client.get("/cases/99999/").content.decode()
    assert "ページが見つかりません" in html
    assert "<!--casebook-count-->" not in html and "csrf-token-hole" not in html


def _entries() -> set[str]:
    from django.core.cache import cache

    return set(cache._cache)  # the per-process cache of the tests


JUNK = [
    "utm_source=x{i}",
    "domain=999{i}",
    "domain=%FF{i}",
    "page=-{i}",
    "page=x{i}",
    "sort=evil{i}",
    "q=&junk{i}=1",
    "budget=%00{i}",
    "year=19{i}x",
    "area={i}e9",
]


@pytest.mark.parametrize("path", ["/cases/", "/organizations/", "/", "CASE", "/about/"])
def test_junk_query_strings_share_one_cache_entry(cases, path):
    path = cases[0].get_absolute_url() if path == "CASE" else path
    client = Client()
    first = page(client, path)
    before = _entries()
    for i in range(100):
        html = page(client, f"{path}?{JUNK[i % 10].format(i=i)}")
        assert html.count("共有事例") == first.count("共有事例")
        assert "junk" not in html and "utm_source" not in html and "evil" not in html
    assert len(_entries() - before) <= 1


def test_parameters_in_another_order_share_an_entry(cases):
    domain = cases[0].domains.first().pk if cases[0].domains.exists() else 1
    client = Client()
    page(client, f"/cases/?sort=number&domain={domain}&q=共有")
    before = _entries()
    page(client, f"/cases/?q=共有&domain={domain}&sort=number&domain={domain}&page=")
    assert _entries() == before


def test_a_page_past_the_last_is_sent_to_the_last(cases, client):
    response = client.get("/cases/?page=99999")
    assert response.status_code == 302 and response["Location"] == "/cases/?page=1"


def test_a_page_larger_than_the_cap_is_served_but_not_kept(cases, monkeypatch):
    from kernel import pagecache

    monkeypatch.setattr(pagecache, "MAX_BYTES", 1000)
    before = _entries()
    assert "共有事例0" in page(Client(), "/cases/")
    assert not any(":page:" in key for key in _entries() - before)


def test_an_address_is_made_canonical_once_per_catalogue_version(cases, rf):
    from cases.selectors import CASES
    from kernel import pagecache

    pagecache._canonical.clear()
    worked_out = []

    def query(params):
        worked_out.append(1)
        return CASES.canonical_query(params)

    url = "/cases/?sort=number&junk=1"
    for _ in range(3):
        assert pagecache.canonical_path(rf.get(url), query) == "/cases/?sort=number"
    assert len(worked_out) == 1
    cases[0].save()  # a new catalogue version: the valid options may have changed
    assert pagecache.canonical_path(rf.get(url), query) == "/cases/?sort=number"
    assert len(worked_out) == 2
