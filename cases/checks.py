"""Deployment checks (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Catalogue pages are cached under a version that a content change renews; with a
    per-process cache, other workers would not see the renewal and serve old pages."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [
            checks.Warning(
                "The cache is per process: with several workers, a published change shows "
                "only in the worker that saved it until its cached pages expire (1 hour).",
                hint="Set REDIS_URL to a Redis server shared by every worker.",
                id="collanavi.W001",
            )
        ]
    return []
