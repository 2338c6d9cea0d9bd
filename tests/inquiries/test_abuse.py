import pytest

from collanavi.ratelimit import client_address
from tests.inquiries.test_inquiry import VALID

pytestmark = pytest.mark.django_db


def test_rate_limit_refuses_politely_after_the_limit(client, settings):
    settings.RATE_LIMIT_FORMS = (3, 600)
    for _ in range(3):
        assert client.post("/inquiries/new/", {"name": ""}).status_code == 200
    refused = client.post("/inquiries/new/", {"name": ""})
    assert refused.status_code == 429
    assert "しばらくお待ちください" in refused.content.decode()
    # Another address is not affected; reading pages never is.
    other = client.post("/inquiries/new/", {"name": ""}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200
    assert client.get("/inquiries/new/").status_code == 200


def test_feedback_and_casebook_posts_are_limited_too(client, settings):
    settings.RATE_LIMIT_FORMS = (1, 600)
    settings.RATE_LIMIT_CLICKS = (1, 60)
    client.post("/feedback/", {"path": "/", "useful": "true"})
    assert client.post("/feedback/", {"path": "/", "useful": "true"}).status_code == 429
    client.post("/casebook/clear/")
    assert client.post("/casebook/clear/").status_code == 429


def test_forwarded_address_is_used_only_when_trusted(rf, settings):
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    assert client_address(request) == "10.0.0.1"
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_address(request) == "203.0.113.5"


def test_confirming_does_not_count_again(client, settings):
    settings.RATE_LIMIT_FORMS = (3, 600)
    assert client.post("/inquiries/new/", {**VALID, "name": ""}).status_code == 200
    assert client.post("/inquiries/new/", {**VALID, "name": ""}).status_code == 200
    assert client.post("/inquiries/new/", VALID).status_code == 302  # the last one allowed
    assert client.post("/inquiries/confirm/")["Location"] == "/inquiries/done/"
    assert client.post("/inquiries/new/", VALID).status_code == 429  # the fourth entry is not
