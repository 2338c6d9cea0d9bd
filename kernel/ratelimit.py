"""A per-address limit on public requests, and a cap on heavy work at once, counted in the
cache every process shares (kernel.cache.shared)."""

import contextlib
import functools
import logging
import secrets
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.shortcuts import render
from ipware import get_client_ip

from kernel.cache import shared

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The address of whoever sent the request: behind `TRUSTED_PROXY_COUNT` proxies, the entry
    of X-Forwarded-For that many places from the right (each proxy appends the address it was
    reached from, so the entries left of it are whatever the client wrote); else REMOTE_ADDR."""
    if count := settings.TRUSTED_PROXY_COUNT:
        # ipware counts the proxies listed after the client; the last one is REMOTE_ADDR.
        address, _ = get_client_ip(
            request,
            proxy_count=count - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(
    scope: str, setting: str = "RATE_LIMIT_FORMS", methods: tuple[str, ...] = ("POST",)
):
    """Refuse, politely and with 429, requests (POSTs unless `methods` says otherwise) past the
    limit of `setting` for one address."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method in methods:
                limit, seconds = getattr(settings, setting)
                window = int(time.time() // seconds)
                key = f"ratelimit:{scope}:{client_address(request)}:{window}"
                try:
                    shared.add(key, 0, seconds)
                    count = shared.incr(key)
                except ValueError:  # the cache lost it: count this one alone
                    count = 1
                except DatabaseError:  # a read-only or locked database: let the view answer
                    logger.exception("Rate limit %s not counted", scope)
                    count = 0
                if count > limit:
                    context = {"minutes": max(1, seconds // 60)}
                    return render(request, "rate_limited.html", context, status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@contextlib.contextmanager
def one_of(scope: str, setting: str, seconds: int = 60) -> Iterator[bool]:
    """Take one of the `setting` slots of `scope` shared by every process (True), or none when
    all are taken (False); a slot held by a killed process frees itself after `seconds`."""
    token = secrets.token_hex(8)
    taken = next(
        (
            key
            for key in (f"slot:{scope}:{i}" for i in range(getattr(settings, setting)))
            if shared.add(key, token, seconds)
        ),
        None,
    )
    try:
        yield taken is not None
    finally:
        if taken is not None and shared.get(taken) == token:
            shared.delete(taken)
