"""The one listing (kernel.listing) as each of its declarations runs it."""

import datetime

import pytest

from cases.selectors import CASES
from directory.selectors import ORGANIZATIONS
from seeds.selectors import SEEDS
from tests import factories

pytestmark = pytest.mark.django_db

LISTINGS = {"cases": CASES, "organizations": ORGANIZATIONS, "seeds": SEEDS}


def _catalogue() -> None:
    """Rows with ties and blanks in every sort column."""
    for n, (day, budget) in enumerate(
        [(1, None), (1, 300_000), (None, 300_000), (5, 9_000_000), (None, None), (5, 0)]
    ):
        lead = factories.organization(f"会{n}", kana="オナジ" if n % 2 else f"カ{5 - n}")
        factories.case(
            number=n + 1,
            lead=lead,
            published_on=datetime.date(2025, 4, day) if day else None,
            budget=budget,
        )
    for n, deadline in enumerate([None, 3, 3, None, 9]):
        factories.seed(
            f"種{n}",
            approved_on=datetime.date(2026, 1, 1 + n % 2),
            deadline=datetime.date(2026, 12, deadline) if deadline else None,
        )


@pytest.mark.parametrize("name", LISTINGS)
def test_every_sort_pages_through_the_rows_in_its_sql_order(name, monkeypatch):
    _catalogue()
    listing = LISTINGS[name]
    monkeypatch.setattr(listing, "page_size", 2)
    for sort in listing.sorts:
        expected = list(listing.matching({}, sort).values_list("pk", flat=True))
        found = []
        for page in range(1, len(expected) // 2 + 2):
            result = listing.search({"sort": sort, "page": str(page)})
            found += [row.pk for row in result.page.object_list if page == result.page.number]
        assert found == expected, sort


def test_a_long_keyword_is_cut_with_the_same_notice_on_every_listing(client):
    notice = "キーワードが長すぎるため、先頭の200文字で検索しました。"
    for url in ("/cases/", "/organizations/", "/seeds/"):
        html = client.get(f"{url}?q={'あ' * 250}").content.decode()
        assert notice in html, url
        assert "あ" * 200 + "」" in html and "あ" * 201 not in html, url  # the title's keyword


def test_a_listing_with_one_sort_has_no_sort_parameter(rf):
    assert ORGANIZATIONS.canonical_query(rf.get("/", {"sort": "kana", "page": "2"}).GET) == [
        ("page", "2")
    ]
    assert CASES.canonical_query(rf.get("/", {"sort": "budget"}).GET) == [("sort", "budget")]


def test_facet_options_are_read_again_only_when_a_kind_they_read_changes():
    from cases.models import Domain
    from kernel import facets, feed

    reads = []

    def domain_options():
        reads.append(1)
        return [(str(d.pk), d.name) for d in Domain.objects.all()]

    def names() -> set[str]:
        with feed.head_held():  # as in a request
            return {name for _, name in facets.options("t", [spec])["domain"]}

    spec = facets.FacetSpec(
        "domain",
        "活動分野",
        domain_options,
        lambda qs, v: qs,
        members=lambda qs, o: [],
        reads=("domain",),
    )
    Domain.objects.create(name="協働の新分野")
    case = factories.case(number=1, domains=("協働の新分野",))
    assert "協働の新分野" in names()
    case.title = "書き直した題名"
    case.save()  # a new catalogue version, but no domain changed
    assert "協働の新分野" in names() and len(reads) == 1
    Domain.objects.filter(name="協働の新分野").update(name="改めた分野")  # recorded by the feed
    assert "改めた分野" in names() and "協働の新分野" not in names() and len(reads) == 2
