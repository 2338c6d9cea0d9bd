"""/healthz (the process answers) and /readyz (every part the site needs), and pages that
still answer when Redis does not."""

import logging
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import DatabaseError, OperationalError

from tests import factories

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "BACKEND": "kernel.cache.FaultTolerantRedisCache",
    "LOCATION": "redis://127.0.0.1:9/14",  # nothing listens on the discard port
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
}


def test_healthz_answers_while_the_process_does(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_names_each_part(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "read": "ok", "write": "ok"}
    assert body["cache"]["status"] == "ok"
    assert body["tasks"] == {"status": "ok", "waiting": 0, "oldest_waiting_seconds": 0}


def test_readyz_fails_when_the_database_does(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == {"status": "error", "error": "DatabaseError"}


def test_readyz_fails_when_the_database_refuses_writes(client):
    real = __import__("django.db.backends.utils", fromlist=["x"]).CursorWrapper.execute

    def read_only(self, sql, params=None):
        if sql.lstrip().upper().startswith("UPDATE"):
            raise OperationalError("attempt to write a readonly database")
        return real(self, sql, params)

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", read_only):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "error"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_over_plain_http_with_the_https_redirect_on(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(path).status_code == 200
    assert client.get("/cases/").status_code == 301


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": DEAD_REDIS, "shared": DEAD_REDIS}
    yield
    caches["default"].close()


def test_with_redis_down_pages_answer_and_readyz_says_so(client, redis_down, caplog):
    case = factories.case(title="Redisなしでも読める事例")
    paths = ["/", "/cases/", case.get_absolute_url(), "/organizations/", "/about/",
             f"/organizations/{case.lead_organization.pk}/", "/cases/?q=Redis"]  # fmt: skip
    with caplog.at_level(logging.ERROR, logger="kernel.cache"):
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
    assert "Redisなしでも読める事例" in client.get("/cases/").content.decode()
    assert any("served without Redis" in r.getMessage() for r in caplog.records)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"] == {"status": "error", "error": "ConnectionError"}
    assert response.json()["database"]["status"] == "ok"


def test_with_redis_down_posts_and_staff_changes_still_work(client, redis_down, settings):
    settings.RATE_LIMIT_FORMS = (2, 600)
    case = factories.case(title="保存できる事例")
    assert client.get(case.get_absolute_url()).status_code == 200
    case.status = case.Status.ARCHIVED
    case.save()  # the version is renewed in the stand-in cache, and again once Redis is back
    assert client.get(case.get_absolute_url()).status_code == 410
    form = {"path": "/", "useful": "true"}
    statuses = [client.post("/feedback/", form).status_code for _ in range(3)]
    assert statuses[-1] == 429  # counted per process meanwhile, but counted


LIVE_REDIS = {
    "BACKEND": "kernel.cache.FaultTolerantRedisCache",
    "LOCATION": "redis://127.0.0.1:6379/14",  # the tests' own database number
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
}


def test_a_change_made_while_redis_was_down_renews_the_version_when_it_is_back(
    client, settings, monkeypatch
):
    from django.core.cache.backends.redis import RedisCache

    from kernel import catalogue

    settings.CACHES = {"default": LIVE_REDIS, "shared": LIVE_REDIS}
    try:
        caches["shared"].ping()
    except Exception:
        pytest.skip("no Redis at 127.0.0.1:6379")
    case = factories.case(title="停止中に変えた事例")
    assert client.get(case.get_absolute_url()).status_code == 200  # cached in Redis
    before = catalogue.version()

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for name in ("get", "set", "add", "incr", "get_many", "set_many", "delete"):
        monkeypatch.setattr(RedisCache, name, down)
    case.status = case.Status.ARCHIVED
    case.save()
    monkeypatch.undo()
    for alias in ("default", "shared"):
        caches[alias]._down_until = 0  # Redis answers again
    assert catalogue.version() != before
    assert client.get(case.get_absolute_url()).status_code == 410
    caches["shared"].clear()
