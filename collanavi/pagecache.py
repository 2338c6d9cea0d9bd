"""Public catalogue pages rendered once per catalogue version and address, for every visitor.

A shared page is rendered with holes where it belongs to the visitor: the CSRF token of its
forms, the My casebook counter, each case's add/remove button (both states are rendered,
between markers) and the one-time messages. The rendered page is cached under the catalogue
version (`collanavi.catalogue`), so a publish or any other content change shows at once; every
request, cached or not, then fills the holes for its visitor with a few string operations
instead of queries and template rendering.

Signed-in staff get the page rendered afresh (it may be a draft's preview) and never cached.
Markers are HTML comments and the CSRF hole sits inside an attribute: escaped content can
produce neither.
"""

import re
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from collanavi import catalogue

CSRF_HOLE = "csrf-token-hole"
COUNT_HOLE = "<!--casebook-count-->"
MESSAGES_HOLE = "<!--messages-->"
FEEDBACK_HOLE = "<!--feedback-notice-->"
_CSRF_FIELD = 'name="csrfmiddlewaretoken" value="{}"'
_BUTTON = re.compile(r"<!--casebook (\d+)-->(.*?)<!--or-->(.*?)<!--end-->", re.DOTALL)

# What templates see while a shared page is rendered (see context_processors.site).
HOLES = {"shared_page": True, "csrf_token": CSRF_HOLE, "casebook_count": mark_safe(COUNT_HOLE)}


def _render(view, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    try:
        return view(request, *args, **kwargs)
    except Exception:
        request.shared_page = False  # the error page is the visitor's own, not a shared one
        raise


def is_shared(request: HttpRequest) -> bool:
    return getattr(request, "shared_page", False)


def shared_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the view's page from the catalogue cache, with the visitor's parts filled in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.shared_page = True
        if request.user.is_authenticated:
            return _filled(_render(view, request, *args, **kwargs), request)
        key = f"page:{catalogue.key_for(request.get_full_path())}"
        html = cache.get(key)
        if html is None:
            response = _render(view, request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return _filled(response, request)
            html = response.content.decode()
            cache.set(key, html, catalogue.TIMEOUT)
        return HttpResponse(fill(html, request))

    return wrapper


def shared_document(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a document without holes (a sitemap, a feed) from the catalogue cache."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = f"document:{catalogue.key_for(request.get_full_path())}"
        held = cache.get(key)
        if held is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code != 200 or response.streaming:
                return response
            held = (response.content, dict(response.headers))
            cache.set(key, held, catalogue.TIMEOUT)
        content, headers = held
        return HttpResponse(content, headers=headers)

    return wrapper


def _filled(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
        response.content = fill(response.content.decode(), request)
    return response


def fill(html: str, request: HttpRequest) -> str:
    """The shared page as this visitor sees it."""
    from cases.casebook import Casebook  # a higher app: the visitor's casebook buttons

    numbers = set(Casebook(request.session).numbers)
    html = _BUTTON.sub(lambda m: m[3] if int(m[1]) in numbers else m[2], html)
    html = html.replace(COUNT_HOLE, str(len(numbers)))
    stored = messages.get_messages(request)
    for hole, template in (
        (MESSAGES_HOLE, "includes/messages.html"),
        (FEEDBACK_HOLE, "includes/feedback_notice.html"),  # the widget's thanks, in the widget
    ):
        notes = render_to_string(template, {"messages": stored}) if stored else ""
        html = html.replace(hole, notes)
    hole = _CSRF_FIELD.format(CSRF_HOLE)
    if hole in html:
        html = html.replace(hole, _CSRF_FIELD.format(get_token(request)))
    return html
