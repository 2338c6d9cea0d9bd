import pytest

from kernel.ratelimit import client_address
from tests import factories

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
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_address(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.5"


@pytest.mark.parametrize(
    "forwarded",
    [
        "203.0.113.5",
        "198.51.100.1, 203.0.113.5",
        "1.1.1.1, 2.2.2.2, 203.0.113.5",
        "not-an-address, 203.0.113.5",
        "203.0.113.99, 203.0.113.5",
        "[2001:db8::1]:443, 203.0.113.5",
    ],
)
def test_spoofed_left_most_entries_do_not_change_the_address(rf, settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == "203.0.113.5"


def test_two_proxies_take_the_second_entry_from_the_right(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    forwarded = "198.51.100.1, 203.0.113.5, 10.0.0.2"  # spoofed, client, the outer proxy
    request = rf.post("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == "203.0.113.5"


def test_a_request_past_the_proxy_is_known_by_its_own_address(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.post("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_address(request) == "10.0.0.3"
    assert client_address(rf.post("/", REMOTE_ADDR="10.0.0.3")) == "10.0.0.3"


def test_spoofed_forwarded_entries_do_not_escape_the_form_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMIT_FORMS = (3, 600)
    statuses = [
        client.post(
            "/feedback/",
            {"path": "/", "useful": "true"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.5",
        ).status_code
        for i in range(6)
    ]
    assert statuses.count(429) == 3


def test_confirming_does_not_count_again(client, settings):
    settings.RATE_LIMIT_FORMS = (3, 600)
    assert client.post("/inquiries/new/", factories.inquiry_form(name="")).status_code == 200
    assert client.post("/inquiries/new/", factories.inquiry_form(name="")).status_code == 200
    # The last one allowed:
    assert client.post("/inquiries/new/", factories.inquiry_form()).status_code == 302
    assert client.post("/inquiries/confirm/")["Location"] == "/inquiries/done/"
    # The fourth entry is not:
    assert client.post("/inquiries/new/", factories.inquiry_form()).status_code == 429
