import pytest

from inquiries.models import PageFeedback
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_public_page_asks_the_two_questions(client):
    case = factories.case()
    for url in ["/", "/cases/", case.get_absolute_url(), "/casebook/", "/inquiries/new/"]:
        html = client.get(url).content.decode()
        assert "このページの情報は役に立ちましたか？" in html, url
        assert "このページの情報は見つけやすかったですか？" in html, url


def test_feedback_is_stored_anonymously_and_leads_back(client):
    response = client.post(
        "/feedback/",
        {"path": "/cases/?q=猫", "useful": "true", "findable": "false", "comment": "地図がほしい"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response["Location"] == "/cases/?q=%E7%8C%AB#feedback"
    feedback = PageFeedback.objects.get()
    assert (feedback.path, feedback.useful, feedback.findable) == ("/cases/", True, False)
    assert "203.0.113.7" not in str(feedback.__dict__)


@pytest.mark.parametrize(
    "data",
    [
        {"path": "https://evil.example/", "useful": "true"},
        {"path": "//evil.example/", "useful": "true"},
        {"path": "/"},
        {"path": "/", "useful": "maybe?", "website_url": "spam"},
    ],
)
def test_bad_feedback_is_not_stored_and_never_fails(client, data):
    response = client.post("/feedback/", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not PageFeedback.objects.exists()


def test_feedback_is_post_only(client):
    assert client.get("/feedback/").status_code == 405


def test_admin_summarises_per_page(admin_client):
    for useful in (True, True, False):
        PageFeedback.objects.create(path="/cases/", useful=useful)
    PageFeedback.objects.create(path="/", findable=True, comment="<b>良い</b>")
    html = admin_client.get("/admin/inquiries/pagefeedback/").content.decode()
    assert "ページごとの集計" in html
    assert "<td>/cases/</td>" in html or ">/cases/</a></td><td>3</td><td>2</td><td>1</td>" in html
    assert "<b>良い</b>" not in html
