import pytest

from inquiries.models import PageFeedback
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_public_page_asks_the_two_questions(client):
    case = factories.case()
    for url in ["/", "/cases/", case.get_absolute_url(), "/casebook/", "/organizations/"]:
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
    assert response.status_code == 200
    html = response.content.decode()
    assert "入力内容を確認してください" in html and 'href="evil' not in html
    assert 'href="//evil' not in html and 'href="https://evil' not in html
    assert not PageFeedback.objects.exists()


def test_feedback_is_post_only(client):
    assert client.get("/feedback/").status_code == 405


def test_admin_summarises_per_page(admin_client):
    for useful in (True, True, False):
        PageFeedback.objects.create(path="/cases/", useful=useful)
    PageFeedback.objects.create(path="/", findable=True, comment="<b>良い</b>")
    html = admin_client.get("/admin/inquiries/pagefeedback/").content.decode()
    assert "ページごとの集計" in html
    # Per page: answers, useful, not useful, findable, hard to find, comments.
    assert ">/cases/</a></td><td>3</td><td>2</td><td>1</td><td>0</td><td>0</td><td>0</td>" in html
    assert ">/</a></td><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td><td>1</td>" in html
    assert "<b>良い</b>" not in html


def _widget(html: str) -> str:
    return html[html.index('id="feedback"') : html.index("</section>", html.index('id="feedback"'))]


@pytest.mark.parametrize("url", ["/cases/", "/casebook/"])  # a shared (cached) page, and not
def test_thanks_are_shown_inside_the_widget_to_the_sender_only(client, url):
    other = client.__class__()
    other.get(url)  # the page is in the cache before the post
    response = client.post("/feedback/", {"path": url, "useful": "true"})
    assert response["Location"] == f"{url}#feedback"
    page = client.get(url).content.decode()
    assert "ご回答ありがとうございました" in _widget(page)
    assert page.count("ご回答ありがとうございました") == 1  # in the widget, not at the top too
    assert "ご回答ありがとうございました" not in other.get(url).content.decode()


def test_an_empty_post_says_what_to_do_beside_the_widget(client):
    response = client.post("/feedback/", {"path": "/cases/"})
    assert response.status_code == 200
    widget = _widget(response.content.decode())
    assert "いずれかの質問にお答えいただくか、ご意見を入力してから送信してください。" in widget
    assert "1件の問題があります。</p>" in widget  # no link to promise: it is about the whole form
    assert 'name="path" value="/cases/"' in widget
    assert not PageFeedback.objects.exists()


def test_form_pages_have_no_feedback_widget_beside_their_own_button(client):
    assert 'id="feedback"' not in client.get("/inquiries/new/").content.decode()
    client.post("/inquiries/new/", factories.inquiry_form())
    confirm = client.get("/inquiries/confirm/").content.decode()
    assert "この内容で送信する" in confirm and 'id="feedback"' not in confirm
