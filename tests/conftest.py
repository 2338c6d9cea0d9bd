import os
from importlib import import_module

import pytest
from django.apps import apps
from django.core.cache import cache

# Playwright's sync API runs an event loop in the test thread; the ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def reference_data():
    """Areas and taxonomies from the data migrations, for transactional tests that flush them."""
    for module in (
        "partners.migrations.0002_standard_areas",
        "cases.migrations.0002_standard_taxonomies",
    ):
        import_module(module).forward(apps, None)
