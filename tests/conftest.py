import os
from importlib import import_module

import pytest
from django.apps import apps

from tests import factories

# Playwright's sync API runs an event loop in the test thread; the ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EXPORT_CACHE_DIR = tmp_path / "exports"
    # What every process shares lives in the database in production without Redis; tests keep
    # it in memory, emptied per test (tests/test_shared_cache.py uses the database's).
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    factories.cold()  # versions start again with each test's database
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def migrated_site_db(tmp_path_factory):
    """A site database migrated once per test process, for tests that run manage.py or gunicorn."""
    from tests import served

    work = tmp_path_factory.mktemp("migrated-site")
    served.manage(served.environment(work), "migrate", "-v0")
    return work / "site.sqlite3"


@pytest.fixture
def site_env(migrated_site_db, tmp_path) -> dict:
    """served.environment(tmp_path) on a copy of the migrated database."""
    from tests import served

    served.copy_database(migrated_site_db, tmp_path / "site.sqlite3")
    return served.environment(tmp_path)


@pytest.fixture
def reference_data():
    """Areas, taxonomies, staff groups and guide pages from the data migrations, for
    transactional tests that flush them."""
    for module in (
        "partners.migrations.0002_standard_areas",
        "cases.migrations.0002_standard_taxonomies",
        "cases.migrations.0005_staff_roles",
        "cases.migrations.0013_award_staff_roles",
        "cases.migrations.0015_revision_staff_roles",
        "guide.migrations.0002_staff_roles",
        "guide.migrations.0003_first_pages",
        "guide.migrations.0004_privacy_page",
        "seeds.migrations.0003_staff_roles",
        "seeds.migrations.0004_administrators_manage_staff",
    ):
        import_module(module).forward(apps, None)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desk(browser):
    """A page at a clerk's 1280 px screen."""
    from tests.browser import DESKTOP

    context = browser.new_context(locale="ja-JP", viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()
