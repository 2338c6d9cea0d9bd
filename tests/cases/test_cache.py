import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Domain
from cases.selectors import CASES
from kernel import feed, listing
from tests import factories

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_search_results_and_counts_are_cached():
    case = factories.case(title="里山の保全", domains=("環境",))
    factories.case(title="海辺の清掃", domains=("環境",))
    params = QueryDict(f"q=里山&domain={Domain.objects.get(name='環境').pk}")

    def searched() -> list[str]:
        with feed.head_held(), CaptureQueriesContext(connection) as ctx:  # as in a request
            result = CASES.search(params)
        assert [c.title for c in result.page] == ["里山の保全"] and result.total == 1
        return [q["sql"] for q in ctx.captured_queries]

    first = searched()
    again = searched()
    listing.forget()
    with CaptureQueriesContext(connection) as cards:
        CASES.in_order([case.pk])
    assert any("_ngram" in sql for sql in first) and len(first) > len(cards.captured_queries) > 0
    # Nothing is counted, matched or read again: only the feed's head and the versions of the
    # kinds the facets' options read (the page's cards are held by the process).
    assert len(again) == 2
    assert not any("_ngram" in sql for sql in again)
    case.title = "里山の保全（改訂）"
    case.save()
    assert [c.title for c in CASES.search(params).page] == ["里山の保全（改訂）"]


def test_a_publish_shows_up_at_once(admin_client, client):
    factories.case(title="公開中の事例")
    draft = factories.case(
        title="これから公開する事例",
        status=Case.Status.DRAFT,
        published_on=None,
        partners=(factories.organization("協働パートナーの会"),),
    )
    assert "これから公開する事例" not in client.get("/cases/").content.decode()
    assert "1件中" in client.get("/cases/").content.decode()
    confirmed = {"action": "publish", "_selected_action": [draft.pk], "confirmed": "yes"}
    admin_client.post("/admin/cases/case/", confirmed)
    html = client.get("/cases/").content.decode()
    assert "これから公開する事例" in html and "2件中" in html
    assert "これから公開する事例" in client.get("/").content.decode()


def test_an_edit_or_archive_shows_up_at_once(client):
    case = factories.case(title="古い題名")
    assert "古い題名" in client.get("/cases/").content.decode()
    case.title = "新しい題名"
    case.save()
    assert "新しい題名" in client.get("/cases/").content.decode()
    case.status = Case.Status.ARCHIVED
    case.save()
    assert "該当する事例はありません" in client.get("/cases/").content.decode()


def test_renaming_a_partner_changes_keyword_results_at_once(client):
    partner = factories.organization("株式会社ふるい", kind="company")
    factories.case(partners=(partner,))
    assert "1件中" in client.get("/cases/?q=ふるい").content.decode()
    partner.name = "株式会社あたらしい"
    partner.save()  # the case's search text follows from the change feed
    assert "該当する事例はありません" in client.get("/cases/?q=ふるい").content.decode()
    assert "1件中" in client.get("/cases/?q=あたらしい").content.decode()


def test_organization_directory_follows_a_publish_at_once(client):
    lead = factories.organization("NPO法人あたらしい会", kana="アタラシイカイ")
    case = factories.case(lead=lead, status=Case.Status.DRAFT, published_on=None)
    assert "NPO法人あたらしい会" not in client.get("/organizations/").content.decode()
    case.status = Case.Status.PUBLISHED
    case.save()
    assert "NPO法人あたらしい会" in client.get("/organizations/").content.decode()


def test_a_keyword_search_looks_up_the_index_once(client):
    factories.case(title="里山の保全", domains=("環境",))
    factories.case(title="里山の学校", domains=("教育",))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/cases/?q=里山").content.decode()
    assert "2件中" in html
    scans = [q for q in ctx.captured_queries if "cases_case_ngram" in q["sql"]]
    assert len(scans) == 1  # results and every facet's counts reuse the matching keys
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/cases/?q=里山&domain=" + str(Domain.objects.get(name="環境").pk))
    assert "1件中" in html.content.decode()
    assert not [q for q in ctx.captured_queries if "cases_case_ngram" in q["sql"]]


def test_any_of_takes_more_keys_than_a_query_has_parameters():
    case = factories.case()
    keys = [*range(10**6, 10**6 + 70_000), case.pk]
    assert list(Case.objects.filter(pk__any_of=keys)) == [case]
    assert not Case.objects.filter(pk__any_of=[]).exists()


def test_keyword_matches_survive_a_change_and_recheck_only_the_changed_cases(monkeypatch):
    from kernel import catalogue, feed, ngram
    from lib.text import keyword_terms

    kept = factories.case(summary="里山の保全")
    changed = factories.case(summary="海辺の清掃")
    terms = keyword_terms("里山")
    assert list(catalogue.matching_keys(Case, terms)) == [kept.pk]
    asked = []
    monkeypatch.setattr(ngram, "matching", lambda *args: asked.append(args) or [])
    changed.summary = "里山と海辺の清掃"
    changed.save()
    assert list(catalogue.matching_keys(Case, terms)) == sorted([kept.pk, changed.pk])
    kept.delete()
    assert list(catalogue.matching_keys(Case, terms)) == [changed.pk]
    assert asked == []  # only the changed cases were read again
    feed.record({"search"})  # every search text rebuilt (reindex): the index is asked again
    catalogue.matching_keys(Case, terms)
    assert len(asked) == 1
