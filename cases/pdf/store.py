"""Case PDFs' keys and their stored pages: what a case prints decides its key.

Each case's key is a hash of its HTML and of the layout files (`LAYOUT_FILES`); the worker
stores a case's pages under it (`CasePdf`), and a book binds them only when every key matches.
Nothing here lays out a page, so this module (and `cases.pdf`) never loads WeasyPrint.
"""

import functools
import hashlib
import importlib.metadata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Case, CasePdf
from cases.selectors import with_full_data
from kernel import catalogue
from kernel.context_processors import instance

# What a case's PDF depends on besides its HTML: the layout files, and the font it embeds.
LAYOUT_FILES = ("templates/pdf/*", "static/css/pdf.css", "static/fonts/*.ttf")
KEYS_CACHE_SECONDS = 60 * 60


def with_pdf_data(qs):
    """Everything a case's PDF shows, in a fixed number of queries."""
    return with_full_data(qs).prefetch_related("schedule", "lead_organization__records")


def render_html(template: str, context: dict) -> str:
    """A PDF template's HTML, with the site settings every page prints."""
    return render_to_string(template, {**instance(), **context})


@functools.cache
def layout_version() -> str:
    """A hash of the PDF templates, pdf.css, the font and WeasyPrint, computed once per process:
    a changed file gives every case a new key (and `render_pdfs` lays them out again)."""
    # WeasyPrint's version from its metadata (the same string as weasyprint.__version__):
    # computing a key must not load WeasyPrint.
    digest = hashlib.sha256(importlib.metadata.version("weasyprint").encode())
    for pattern in LAYOUT_FILES:
        for path in sorted(settings.BASE_DIR.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def body_html(case: Case) -> str:
    """The HTML of a case's pages: everything they print, names and site settings included."""
    return render_html("pdf/case_body.html", {"case": case})


def body_key(html: str) -> str:
    return hashlib.sha256((layout_version() + html).encode()).hexdigest()


def case_keys(cases: list[Case]) -> list[str]:
    """Each case's key, from its HTML laid out at most once per committed change: the progress
    page asks every second."""
    version = catalogue.version()  # the change feed's head: every change PDFs print moves it
    salt = hashlib.sha256(repr((layout_version(), sorted(instance().items()))).encode())
    prefix = f"pdf-key:{salt.hexdigest()[:16]}:{version}:"
    found = cache.get_many([f"{prefix}{case.pk}" for case in cases])
    fresh = {
        f"{prefix}{case.pk}": body_key(body_html(case))
        for case in cases
        if f"{prefix}{case.pk}" not in found
    }
    if fresh:
        cache.set_many(fresh, KEYS_CACHE_SECONDS)
    return [{**found, **fresh}[f"{prefix}{case.pk}"] for case in cases]


def book_key(keys: list[str], *, title: str, dropped: list[int]) -> str:
    """What a book holds: its cases' keys, its title, the numbers it left out and today."""
    what = (keys, title, list(dropped), timezone.localdate().isoformat())
    return hashlib.sha256(repr(what).encode()).hexdigest()


def out_of_date(cases: list[Case], keys: list[str]) -> list[tuple[Case, str]]:
    """The cases (and their keys) whose current pages are not stored yet."""
    stored = dict(CasePdf.objects.filter(case__in=cases).values_list("case_id", "key"))
    return [(c, key) for c, key in zip(cases, keys, strict=True) if stored.get(c.pk) != key]


@dataclass
class Body:
    """A case's pages as laid out, how many there are, and their key."""

    content: bytes
    pages: int
    key: str


def stored_bodies(cases: list[Case], keys: list[str]) -> list[Body] | None:
    """Each case's stored pages, or None while any of them is missing or out of date."""
    rows = CasePdf.objects.filter(case__in=cases, key__in=keys).values_list(
        "case_id", "content", "pages", "key"
    )
    found = {pk: Body(bytes(content), pages, key) for pk, content, pages, key in rows}
    if len(found) < len(cases):
        return None
    return [found[case.pk] for case in cases]


def store(case: Case, body: Body) -> None:
    """Keep a case's laid-out pages, replacing the ones stored before."""
    fields = {"key": body.key, "content": body.content, "pages": body.pages}
    try:
        with transaction.atomic():
            CasePdf.objects.update_or_create(case=case, defaults=fields)
    except IntegrityError:  # another worker stored it meanwhile
        CasePdf.objects.filter(case=case).update(**fields)


def is_stored(case: Case, key: str) -> bool:
    return CasePdf.objects.filter(case=case, key=key).exists()
