import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from cases.models import Case, Domain
from tests import factories

pytestmark = pytest.mark.django_db
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def _feed(client, query: str = "") -> ET.Element:
    response = client.get(f"/cases/feed/{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # well-formed XML or this raises


def _titles(feed: ET.Element) -> list[str]:
    return [e.findtext("a:title", namespaces=ATOM) for e in feed.findall("a:entry", ATOM)]


def _aged(case: Case, days: int) -> None:
    when = timezone.now() - datetime.timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(updated_at=when)


def test_feed_lists_published_cases_newest_first(client):
    old = factories.case(title="古い事例", number=1)
    new = factories.case(title="新しい事例", number=2)
    factories.case(title="下書き", status=Case.Status.DRAFT, published_on=None)
    factories.case(title="アーカイブ", status=Case.Status.ARCHIVED)
    _aged(old, 30)
    _aged(new, 1)
    feed = _feed(client)
    assert _titles(feed) == ["新しい事例（事例No.2）", "古い事例（事例No.1）"]
    entry = feed.find("a:entry", ATOM)
    assert entry.find("a:link", ATOM).get("href") == "http://127.0.0.1:8000/cases/2/"
    assert entry.findtext("a:updated", namespaces=ATOM)
    assert entry.findtext("a:published", namespaces=ATOM).startswith("2024-04-01")
    assert entry.findtext("a:author/a:name", namespaces=ATOM) == new.lead_organization.name


def test_an_updated_case_comes_first(client):
    older = factories.case(title="更新された事例", number=1)
    factories.case(title="そのままの事例", number=2)
    _aged(older, 30)
    older.title = "更新された事例（改訂）"
    older.save()
    assert _titles(_feed(client))[0] == "更新された事例（改訂）（事例No.1）"


def test_feed_takes_the_parameters_of_the_case_search(client):
    factories.case(title="里山の保全", domains=("環境",))
    factories.case(title="海辺の清掃", domains=("環境",))
    factories.case(title="子ども食堂", domains=("福祉（子ども）",))
    environment = Domain.objects.get(name="環境").pk
    titles = _titles(_feed(client, f"?domain={environment}"))
    assert sorted(t.split("（")[0] for t in titles) == ["海辺の清掃", "里山の保全"]
    feed = _feed(client, f"?domain={environment}&q=里山")
    assert [t.split("（")[0] for t in _titles(feed)] == ["里山の保全"]
    assert "活動分野：環境" in feed.findtext("a:title", namespaces=ATOM)
    self_link = [link for link in feed.findall("a:link", ATOM) if link.get("rel") == "self"][0]
    assert (
        self_link.get("href")
        == f"http://127.0.0.1:8000/cases/feed/?domain={environment}&q=%E9%87%8C%E5%B1%B1"
    )


@pytest.mark.parametrize(
    "query", ["?domain=abc&budget=zz&year=x", "?page=-1&sort=%00", "?q=" + "あ" * 500]
)
def test_malformed_parameters_still_give_a_feed(client, query):
    factories.case()
    _feed(client, query)


def test_case_search_links_its_feed_with_the_same_parameters(client):
    factories.case(domains=("環境",))
    environment = Domain.objects.get(name="環境").pk
    html = client.get(f"/cases/?domain={environment}").content.decode()
    head = html[: html.index("</head>")]
    assert 'type="application/atom+xml" title="この条件の新着・更新事例（Atom）" ' in head
    assert f'href="/cases/feed/?domain={environment}"' in head
    assert f'<a href="/cases/feed/?domain={environment}">' in html


def test_a_new_case_shows_in_the_feed_at_once(client):
    factories.case(title="最初の事例")
    _feed(client)
    factories.case(title="次の事例")
    assert any(t.startswith("次の事例") for t in _titles(_feed(client)))


def test_rejects_post(client):
    assert client.post("/cases/feed/").status_code == 405
