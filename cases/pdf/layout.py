"""WeasyPrint layout: a case's pages, a book's cover and contents, footers' sheets.

The only module of cases.pdf that imports WeasyPrint at load time: the web process loads it
when a book is bound or a draft previewed, the worker when it lays out a case.
"""

import contextlib
import functools
import gc
import io
import threading
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cases.models import Case
from cases.pdf import fetch
from cases.pdf.store import Body, body_html, body_key, is_stored, render_html, store

PAGE_LINK_PREFIX = "https://collanavi.invalid/page/"  # TOC links, rewritten to in-PDF links


class LocalFilesOnly(URLFetcher):
    """Serves the project's own static and media files; refuses every other URL (fetch.py)."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            fetch.check_data_url(url)
            return super().fetch(url, headers)
        data, mime = fetch.local_file(url)
        return URLFetcherResponse(url, data, {"Content-Type": mime})


_font_config = FontConfiguration()
_fetcher = LocalFilesOnly()


def render(template: str, context: dict) -> bytes:
    """One WeasyPrint render of a template, fetching only project files."""
    return html_to_pdf(render_html(template, context))


def html_to_pdf(html: str) -> bytes:
    document = weasyprint.HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=_fetcher)
    with without_gc():
        return document.write_pdf(stylesheets=[_stylesheet()], font_config=_font_config)


_gc_pauses = 0  # layouts and binds under way in this process (threads of one worker)
_gc_restore = False
_gc_lock = threading.Lock()


@contextlib.contextmanager
def without_gc():
    """No cyclic garbage collection meanwhile: a layout or a bind makes hundreds of thousands of
    objects, and every collection they trigger walks the parsed bodies this process keeps (a
    bind took twice as long). What they leave in cycles is collected afterwards."""
    global _gc_pauses, _gc_restore
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_restore = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_restore:
                gc.enable()


@functools.cache
def _stylesheet_source() -> str:
    return Path(finders.find("css/pdf.css")).read_text()


@functools.cache
def _stylesheet() -> weasyprint.CSS:
    """static/css/pdf.css, parsed once per process rather than once per document."""
    return weasyprint.CSS(
        string=_stylesheet_source(),
        base_url=settings.SITE_URL + "/",
        url_fetcher=_fetcher,
        font_config=_font_config,
    )


def lay_out(case: Case) -> bool:
    """Lay out and store a case's pages unless the stored ones are current (idempotent)."""
    html = body_html(case)
    key = body_key(html)
    if is_stored(case, key):
        return False
    content = html_to_pdf(html)
    store(case, Body(content, len(PdfReader(io.BytesIO(content)).pages), key))
    return True


def render_body(case: Case) -> Body:
    """A case's pages laid out now, not stored (a draft that staff preview)."""
    html = body_html(case)
    content = html_to_pdf(html)
    return Body(content, len(PdfReader(io.BytesIO(content)).pages), body_key(html))


@dataclass
class TocEntry:
    case: Case
    page_index: int

    @property
    def page_number(self) -> int:
        return self.page_index + 1


def lay_out_front(
    cases: list[Case], bodies: list[Body], *, title: str, dropped, created
) -> tuple[bytes, int, list[TocEntry]]:
    """A book's cover and table of contents, how many pages they take, and where each case
    starts. The TOC's own length decides where the cases start: guessed from the last book of
    this size, laid out again only when the guess was wrong."""

    def front_html(front_pages: int) -> tuple[list[TocEntry], str]:
        toc, start = [], front_pages
        for case, body in zip(cases, bodies, strict=True):
            toc.append(TocEntry(case, start))
            start += body.pages
        context = {
            "title": title,
            "cases": cases,
            "toc": toc,
            "dropped": dropped,
            "created": created,
            "page_link_prefix": PAGE_LINK_PREFIX,
        }
        return toc, render_html("pdf/front.html", context)

    guess_key = f"pdf-front-pages:{len(cases)}:{bool(dropped)}"
    front_pages = cache.get(guess_key) or 2
    for _ in range(3):
        toc, html = front_html(front_pages)
        front = html_to_pdf(html)
        pages = len(PdfReader(io.BytesIO(front)).pages)
        if pages == front_pages:
            break
        front_pages = pages
    cache.set(guess_key, front_pages, None)
    return front, front_pages, toc


def plain_casebook_pdf(cases: list[Case], *, title: str) -> bytes:
    """The same book in one WeasyPrint render, nothing cached: the benchmark's baseline."""
    context = {"title": title, "cases": cases, "dropped": [], "created": timezone.localdate()}
    return render("pdf/book.html", context)
