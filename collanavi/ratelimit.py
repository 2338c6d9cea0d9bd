"""A per-address limit on public POSTs, counted in the (shared) cache."""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.shortcuts import render


def client_address(request: HttpRequest) -> str:
    if settings.TRUST_X_FORWARDED_FOR and request.META.get("HTTP_X_FORWARDED_FOR"):
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(scope: str, setting: str = "RATE_LIMIT_FORMS"):
    """Refuse, politely and with 429, POSTs past the limit of `setting` for one address."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method == "POST":
                limit, seconds = getattr(settings, setting)
                window = int(time.time() // seconds)
                key = f"ratelimit:{scope}:{client_address(request)}:{window}"
                cache.add(key, 0, seconds)
                if cache.incr(key) > limit:
                    context = {"minutes": max(1, seconds // 60)}
                    return render(request, "rate_limited.html", context, status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
