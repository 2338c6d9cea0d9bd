import pytest

from cases.casebook import LIMIT, parse_numbers
from cases.models import Case
from tests import factories

pytestmark = pytest.mark.django_db


def numbers(client) -> list[int]:
    return client.session.get("casebook", [])


def test_parse_numbers_is_lenient():
    assert parse_numbers("12,3,7") == [12, 3, 7]
    assert parse_numbers("12, 3,,x,12,-4,0") == [12, 3, 4]
    assert parse_numbers("") == []
    assert len(parse_numbers(",".join(str(i) for i in range(1, 500)))) == LIMIT


def test_add_and_remove_redirect_back_to_where_the_person_was(client):
    case = factories.case(title="里山の保全")
    response = client.post(f"/casebook/add/{case.number}/", {"next": "/cases/?page=2#case-1"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/?page=2#case-1"
    assert numbers(client) == [case.number]
    page = client.get("/cases/").content.decode()
    assert "事例集から外す" in page
    assert 'class="casebook-count">1<' in page  # the header counter
    client.post(f"/casebook/remove/{case.number}/", {"next": "/cases/"})
    assert numbers(client) == []


def test_next_never_leads_off_the_site(client):
    case = factories.case()
    response = client.post(f"/casebook/add/{case.number}/", {"next": "https://evil.example/"})
    assert response["Location"] == case.get_absolute_url()


@pytest.mark.parametrize("url", ["/casebook/add/1/", "/casebook/remove/1/", "/casebook/clear/"])
def test_changes_are_post_only(client, url):
    assert client.get(url).status_code == 405


def test_only_published_cases_can_be_added(client):
    draft = factories.case(status=Case.Status.DRAFT)
    assert client.post(f"/casebook/add/{draft.number}/").status_code == 404
    assert client.post("/casebook/add/999999/").status_code == 404
    assert numbers(client) == []


def test_a_full_casebook_says_so_and_keeps_what_it_has(client):
    session = client.session
    session["casebook"] = list(range(10_000, 10_000 + LIMIT))
    session.save()
    case = factories.case()
    response = client.post(f"/casebook/add/{case.number}/", follow=True)
    assert f"事例集に入れられるのは{LIMIT}件まで" in response.content.decode()
    assert len(numbers(client)) == LIMIT and case.number not in numbers(client)


def test_arrange_reorder_title_and_clear(client):
    a, b, c = (factories.case(title=t) for t in ("事例A", "事例B", "事例C"))
    for case in (a, b, c):
        client.post(f"/casebook/add/{case.number}/")
    client.post(f"/casebook/move/{c.number}/", {"direction": "up"})
    assert numbers(client) == [a.number, c.number, b.number]
    client.post(f"/casebook/move/{a.number}/", {"direction": "up"})  # already first
    assert numbers(client) == [a.number, c.number, b.number]
    client.post("/casebook/title/", {"title": "  防災の事例集  "})
    html = client.get("/casebook/").content.decode()
    assert html.index(">事例A</a>") < html.index(">事例C</a>") < html.index(">事例B</a>")
    assert 'value="防災の事例集"' in html
    assert f"?cases={a.number},{c.number},{b.number}&amp;title=" in html
    client.post("/casebook/clear/")
    assert numbers(client) == []
    assert "事例集にはまだ事例がありません" in client.get("/casebook/").content.decode()


def test_shared_link_rebuilds_the_book_and_drops_hidden_cases(client):
    a = factories.case(title="公開の事例")
    draft = factories.case(title="下書きの事例", status=Case.Status.DRAFT)
    html = client.get(f"/casebook/?cases={a.number},{draft.number},999999&title=共有本").content
    html = html.decode()
    assert "共有された事例集：共有本" in html
    assert "公開の事例" in html and "下書きの事例" not in html
    assert f"{draft.number}、999999" in html  # the notice names what was left out
    client.post("/casebook/import/", {"cases": f"{a.number},{draft.number}", "title": "共有本"})
    assert numbers(client) == [a.number]
    assert client.session["casebook_title"] == "共有本"


def test_malformed_casebook_parameters_never_fail(client):
    factories.case()
    for query in ["cases=", "cases=abc", "cases=" + "9" * 5000, "cases=1,1,1&title=" + "x" * 999]:
        assert client.get(f"/casebook/?{query}").status_code == 200
    assert client.post("/casebook/move/1/", {"direction": "sideways"}).status_code == 302
