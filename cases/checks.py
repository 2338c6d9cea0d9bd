"""Deployment checks (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Catalogue pages are cached under a version that a content change renews, and public posts
    are counted per address: both in the `shared` cache, which every worker must see."""
    backend = settings.CACHES.get("shared", {}).get("BACKEND", "")
    if not backend or backend.endswith(("LocMemCache", "DummyCache")):
        return [
            checks.Warning(
                "The shared cache is per process: with several workers, a published change "
                "shows only in the worker that saved it, and each worker counts its own limits.",
                hint="Leave CACHES['shared'] to the settings (the database, or REDIS_URL).",
                id="collanavi.W001",
            )
        ]
    return []
