import pytest
from django.contrib.auth.models import User

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/cases/", "CASE", "/casebook/", "/inquiries/new/"])
def test_public_pages_send_a_strict_content_security_policy(client, path):
    case = factories.case()
    response = client.get(case.get_absolute_url() if path == "CASE" else path)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_hsts_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/")


def test_there_is_no_default_account():
    assert not User.objects.exists()


def test_admin_login_locks_out_brute_force(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_superuser("curator", "c@example.jp", "correct-horse-battery")
    for _ in range(3):
        client.post("/admin/login/", {"username": "curator", "password": "wrong"})
    response = client.post(
        "/admin/login/", {"username": "curator", "password": "correct-horse-battery"}
    )
    assert response.status_code in (403, 429)
    assert "ログインを一時的に停止しています" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_from_one_address_leaves_the_user_free_elsewhere(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_superuser("manager", "m@example.jp", "correct-horse-battery")
    attacker = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(3):
        client.post("/admin/login/", {"username": "manager", "password": "x"}, **attacker)
    right = {"username": "manager", "password": "correct-horse-battery"}
    refused = client.post("/admin/login/", right, **attacker)
    assert refused.status_code in (403, 429)
    # the same user from their own office; a spoofed left-most entry changes nothing
    office = {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.20"}
    assert client.post("/admin/login/", right, **office).status_code == 302
    assert client.session["_auth_user_id"]


def test_an_address_failing_under_many_names_is_stopped(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    User.objects.create_superuser("manager", "m@example.jp", "correct-horse-battery")
    for i in range(8):
        client.post("/admin/login/", {"username": f"guess{i}", "password": "x"})
    right = {"username": "manager", "password": "correct-horse-battery"}
    assert client.post("/admin/login/", right).status_code in (403, 429)
    assert client.post("/admin/login/", right, REMOTE_ADDR="192.0.2.44").status_code == 302


def test_admin_login_works_with_the_right_password(client):
    User.objects.create_superuser("curator", "c@example.jp", "correct-horse-battery")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "curator", "password": "correct-horse-battery", "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_check_deploy_asks_for_a_cache_shared_by_the_workers(settings):
    from cases.checks import shared_cache

    locmem = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {"default": locmem, "shared": locmem}
    assert [message.id for message in shared_cache(None)] == ["collanavi.W001"]
    settings.CACHES = {"default": locmem}
    assert [message.id for message in shared_cache(None)] == ["collanavi.W001"]
    database = {"BACKEND": "kernel.cache.SharedDatabaseCache", "LOCATION": "t"}
    settings.CACHES = {"default": locmem, "shared": database}
    assert shared_cache(None) == []
