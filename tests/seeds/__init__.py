"""Tests of the 協働の種 board."""


def cold() -> None:
    """Every cache empty and no index held in this process: a page computed from scratch."""
    from django.core.cache import caches

    from kernel import bitmaps, pagecache

    for cache in caches.all():
        cache.clear()
    bitmaps._held.clear()
    pagecache.forget()
