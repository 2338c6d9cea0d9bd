"""Public catalogue pages rendered once per catalogue version and address, for every visitor.

A shared page is rendered with holes where it belongs to the visitor: the CSRF token of its
forms, the one-time messages, and the holes apps register (`register_filler`): My casebook's
counter and each case's add/remove button (both states rendered, between markers). The
rendered page is cached under the catalogue version (`kernel.catalogue`), so a publish or any
other content change shows at once; every request, cached or not, then fills the holes for its
visitor with a few string operations instead of queries and template rendering. Each process
holds the pages it served last (`_Held`), and for a visitor with nothing of their own yet (no
cookie but the CSRF one) the filled page itself, so that such a request only joins its token in.

One page is one cache entry whatever its address says: the key holds only the parameters the
view declares (`query`), valid and sorted, and the view sees only those (unknown parameters and
values that mean nothing are dropped before it renders, so no link on the shared page carries
them), so junk query strings cannot fill the cache. A page larger than MAX_BYTES is not kept.

Signed-in staff get the page rendered afresh (it may be a draft's preview) and never cached.
Markers are HTML comments and the CSRF hole sits inside an attribute: escaped content can
produce neither.
"""

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from kernel import catalogue

CSRF_HOLE = "csrf-token-hole"
MESSAGES_HOLE = "<!--messages-->"
FEEDBACK_HOLE = "<!--feedback-notice-->"
_CSRF_FIELD = 'name="csrfmiddlewaretoken" value="{}"'

logger = logging.getLogger(__name__)
MAX_BYTES = 512 * 1024

# The parameters of a request that make its page what it is, as (name, value) pairs.
Query = Callable[[QueryDict], list[tuple[str, str]]]


def no_parameters(params: QueryDict) -> list[tuple[str, str]]:
    return []


# What templates see while a shared page is rendered (see context_processors.site).
HOLES = {"shared_page": True, "csrf_token": CSRF_HOLE}

# Puts a visitor's own parts into a shared page's holes: (html, request) -> html.
Filler = Callable[[str, HttpRequest], str]
_fillers: list[Filler] = []


def register_filler(filler: Filler) -> None:
    """An app's per-visitor holes, filled on every shared page (call it in AppConfig.ready)."""
    if filler not in _fillers:
        _fillers.append(filler)


def _render(view, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    try:
        return view(request, *args, **kwargs)
    except Exception:
        request.shared_page = False  # the error page is the visitor's own, not a shared one
        raise


def is_shared(request: HttpRequest) -> bool:
    return getattr(request, "shared_page", False)


def canonical_path(request: HttpRequest, query: Query) -> str:
    """The page's one address: its path and its parameters that mean something, sorted.

    Working them out validates every parameter (a filter set with each facet's options,
    most of a cached page's time): the answers for the addresses asked last are kept, per
    process and catalogue version (the valid options change with it).
    """
    asked = (catalogue.version(), request.path, request.META.get("QUERY_STRING", ""))
    with _canonical_lock:
        if (known := _canonical.get(asked)) is not None:
            _canonical.move_to_end(asked)
            return known
    wanted = sorted(set(query(request.GET)))
    path = request.path + (f"?{urlencode(wanted)}" if wanted else "")
    with _canonical_lock:
        _canonical[asked] = path
        while len(_canonical) > CANONICAL_KEPT:
            _canonical.popitem(last=False)
    return path


# Addresses whose canonical form this process keeps (a bounded memory, whatever is asked).
CANONICAL_KEPT = 2000
_canonical: OrderedDict[tuple[str, str, str], str] = OrderedDict()
_canonical_lock = threading.Lock()


def _canonical_key(request: HttpRequest, query: Query, kind: str) -> str:
    """The cache key of the request's page; the request keeps only the parameters in it."""
    path = canonical_path(request, query)
    request.META["QUERY_STRING"] = path.partition("?")[2]
    request.GET = QueryDict(request.META["QUERY_STRING"])
    return f"{kind}:{catalogue.key_for(path)}"


def _keep(key: str, value, size: int) -> None:
    if size > MAX_BYTES:
        logger.warning("Not cached: %s bytes for %s", size, key)
        return
    cache.set(key, value, catalogue.TIMEOUT)


def shared_page(view: Callable | None = None, *, query: Query = no_parameters):
    """Serve the view's page from the catalogue cache, with the visitor's parts filled in;
    `query` gives the request's parameters that make the page (none by default)."""
    if view is None:
        return lambda view: shared_page(view, query=query)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.shared_page = True
        if request.user.is_authenticated:
            return _filled(_render(view, request, *args, **kwargs), request)
        key = _canonical_key(request, query, "page")
        page = _held.get(key)
        if page is None:
            html = cache.get(key)
            if html is None:
                response = _render(view, request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return _filled(response, request)
                html = response.content.decode()
                _keep(key, html, len(response.content))
            page = _held.put(key, _Page(html))
        if is_blank(request):
            return HttpResponse(page.for_blank(request))
        return HttpResponse(fill(page.html, request))

    return wrapper


def is_blank(request: HttpRequest) -> bool:
    """A visitor with nothing of their own yet (no session, no messages: no cookie but the
    CSRF one), as most visitors arriving from a search engine or a link are."""
    return all(name == settings.CSRF_COOKIE_NAME for name in request.COOKIES)


class _Page:
    """A shared page as held by this process: its HTML, and once asked, the page every blank
    visitor sees, cut at the CSRF hole (a request then only joins the parts with its token)."""

    __slots__ = ("html", "size", "until", "_blank")

    def __init__(self, html: str):
        self.html = html
        self.until = time.monotonic() + HELD_SECONDS
        self.size = 2 * len(html.encode())  # at most: the text, and a blank copy besides
        self._blank: list[bytes] | None = None

    def for_blank(self, request: HttpRequest) -> bytes:
        if self._blank is None:
            html = _personal(self.html, request)
            self._blank = [part.encode() for part in html.split(_CSRF_FIELD.format(CSRF_HOLE))]
        if len(self._blank) == 1:
            return self._blank[0]
        field = _CSRF_FIELD.format(get_token(request)).encode()
        return field.join(self._blank)


class _Held:
    """This process's most recently served shared pages, at most MAX_HELD_BYTES: a page asked
    again within HELD_SECONDS is served without the shared cache's round trip. Keys hold the
    catalogue version, so a held page is never stale (an older version's pages age out)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, _Page] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> "_Page | None":
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if page.until < time.monotonic():  # a page may say what day it is: asked anew
                self._bytes -= self._pages.pop(key).size
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: _Page) -> _Page:
        if page.size > self.max_bytes // 8:
            return page
        with self._lock:
            if (old := self._pages.pop(key, None)) is not None:
                self._bytes -= old.size
            self._pages[key] = page
            self._bytes += page.size
            while self._bytes > self.max_bytes:
                _, gone = self._pages.popitem(last=False)
                self._bytes -= gone.size
        return page

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


MAX_HELD_BYTES = 24 * 1024 * 1024
HELD_SECONDS = 60
_held = _Held(MAX_HELD_BYTES)
forget = _held.clear  # tests start from an empty process cache, as from an empty shared one


def shared_document(view: Callable | None = None, *, query: Query = no_parameters):
    """Serve a document without holes (a sitemap, a feed) from the catalogue cache."""
    if view is None:
        return lambda view: shared_document(view, query=query)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = _canonical_key(request, query, "document")
        held = cache.get(key)
        if held is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code != 200 or response.streaming:
                return response
            held = (response.content, dict(response.headers))
            _keep(key, held, len(response.content))
        content, headers = held
        return HttpResponse(content, headers=headers)

    return wrapper


def last_page(request: HttpRequest, number: int) -> HttpResponse | None:
    """A redirect to the page the paginator showed instead of the one asked for (past the
    end), so that every number past it is not a page of its own."""
    if request.GET.get("page", str(number)) == str(number):
        return None
    params = request.GET.copy()
    params["page"] = str(number)
    return HttpResponseRedirect(f"{request.path}?{params.urlencode()}")


def _filled(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
        response.content = fill(response.content.decode(), request)
    return response


def fill(html: str, request: HttpRequest) -> str:
    """The shared page as this visitor sees it."""
    html = _personal(html, request)
    hole = _CSRF_FIELD.format(CSRF_HOLE)
    if hole in html:
        html = html.replace(hole, _CSRF_FIELD.format(get_token(request)))
    return html


def _personal(html: str, request: HttpRequest) -> str:
    """The visitor's own parts but the CSRF token."""
    for filler in _fillers:  # first: their holes may hold forms, with a CSRF hole
        html = filler(html, request)
    stored = messages.get_messages(request)
    for hole, template in (
        (MESSAGES_HOLE, "includes/messages.html"),
        (FEEDBACK_HOLE, "includes/feedback_notice.html"),  # the widget's thanks, in the widget
    ):
        notes = render_to_string(template, {"messages": stored}) if stored else ""
        html = html.replace(hole, notes)
    return html
