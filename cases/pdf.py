"""Case and casebook PDFs: WeasyPrint for layout, one stored render per case, pypdf to bind.

Each published case is laid out ahead of time by the background worker (cases/tasks.py) and
stored with a key derived from what it prints (`body_key`); a casebook binds the stored pages
and lays out only its cover and table of contents. A public request never lays out a case.
"""

import contextlib
import datetime
import functools
import gc
import hashlib
import io
import mimetypes
import posixpath
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cases.models import Case, CasePdf
from cases.selectors import with_full_data
from kernel import catalogue
from kernel.context_processors import instance

PRINT_IMAGE_MAX_PX = 1200  # long side; 84 mm wide photos stay above 300 dpi
DATA_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}
PAGE_LINK_PREFIX = "https://collanavi.invalid/page/"  # TOC links, rewritten to in-PDF links
# What a case's PDF depends on besides its HTML: the layout files, and the font it embeds.
LAYOUT_FILES = ("templates/pdf/*", "static/css/pdf.css", "static/fonts/*.ttf")
KEYS_CACHE_SECONDS = 60 * 60
# A book asked again soon (a shared link, a second click) is served as bound.
BOOK_CACHE_SECONDS = 10 * 60
BOOK_CACHE_MAX_BYTES = 20 * 1024 * 1024


class LocalFilesOnly(URLFetcher):
    """Serves the project's own static and media files; refuses every other URL."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            mime = url[5:].split(",", 1)[0].split(";", 1)[0].strip().lower()
            if mime not in DATA_IMAGE_TYPES:
                raise ValueError(f"refused data: URL of type {mime or 'text/plain'}")
            return super().fetch(url, headers)
        parts = urlsplit(url)
        site = urlsplit(settings.SITE_URL)
        if parts.scheme in ("http", "https") and parts.netloc == site.netloc:
            return self._site_file(url, unquote(parts.path))
        if parts.scheme == "file":
            return self._local_file(url, Path(unquote(parts.path)))
        raise ValueError(f"refused URL outside the project: {url[:80]}")

    def _site_file(self, url: str, path: str) -> URLFetcherResponse:
        clean = posixpath.normpath(path)
        if clean != path.rstrip("/") or ".." in clean.split("/"):
            raise ValueError(f"refused path: {path}")
        static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        media_prefix = "/" + settings.MEDIA_URL.strip("/") + "/"
        if clean.startswith(static_prefix):
            found = finders.find(clean.removeprefix(static_prefix))
            if not found:
                raise ValueError(f"no such static file: {path}")
            return _response(url, Path(found).read_bytes())
        if clean.startswith(media_prefix):
            name = clean.removeprefix(media_prefix)
            with default_storage.open(name) as f:
                data = f.read()
            return _response(url, data)
        raise ValueError(f"refused path outside static and media: {path}")

    def _local_file(self, url: str, path: Path) -> URLFetcherResponse:
        real = path.resolve()
        roots = [Path(settings.MEDIA_ROOT), *map(Path, settings.STATICFILES_DIRS)]
        if settings.STATIC_ROOT:
            roots.append(Path(settings.STATIC_ROOT))
        if not any(real.is_relative_to(root.resolve()) for root in roots):
            raise ValueError(f"refused file outside static and media: {path}")
        return _response(url, real.read_bytes())


def _response(url: str, data: bytes) -> URLFetcherResponse:
    mime = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
    if mime in ("image/jpeg", "image/png", "image/webp", "image/gif"):
        data, mime = print_image(data), "image/jpeg"
    return URLFetcherResponse(url, data, {"Content-Type": mime})


def print_image(data: bytes) -> bytes:
    """Downscale a photo for print and re-encode it, so PDFs stay small and carry no EXIF."""
    with Image.open(io.BytesIO(data)) as image:
        if _fit_for_print(image):
            return data  # already small, clean JPEG (as uploads are stored): nothing to decode
        image = ImageOps.exif_transpose(image)
        image.thumbnail((PRINT_IMAGE_MAX_PX, PRINT_IMAGE_MAX_PX))
        if image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def _fit_for_print(image: Image.Image) -> bool:
    return (
        image.format == "JPEG"
        and image.mode in ("RGB", "L")
        and max(image.size) <= PRINT_IMAGE_MAX_PX
        and "exif" not in image.info
    )


_font_config = FontConfiguration()
_fetcher = LocalFilesOnly()


def render(template: str, context: dict) -> bytes:
    """One WeasyPrint render of a template, fetching only project files."""
    return html_to_pdf(_html(template, context))


def _html(template: str, context: dict) -> str:
    return render_to_string(template, {**instance(), **context})


def html_to_pdf(html: str) -> bytes:
    document = weasyprint.HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=_fetcher)
    with _without_gc():
        return document.write_pdf(stylesheets=[_stylesheet()], font_config=_font_config)


_gc_pauses = 0  # layouts and binds under way in this process (threads of one worker)
_gc_restore = False
_gc_lock = threading.Lock()


@contextlib.contextmanager
def _without_gc():
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


def with_pdf_data(qs):
    """Everything a case's PDF shows, in a fixed number of queries."""
    return with_full_data(qs).prefetch_related("schedule", "lead_organization__records")


@functools.cache
def layout_version() -> str:
    """A hash of the PDF templates, pdf.css, the font and WeasyPrint, computed once per process:
    a changed file gives every case a new key (and `render_pdfs` lays them out again)."""
    digest = hashlib.sha256(weasyprint.__version__.encode())
    for pattern in LAYOUT_FILES:
        for path in sorted(settings.BASE_DIR.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def body_html(case: Case) -> str:
    """The HTML of a case's pages: everything they print, names and site settings included."""
    return _html("pdf/case_body.html", {"case": case})


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


def lay_out(case: Case) -> bool:
    """Lay out and store a case's pages unless the stored ones are current (idempotent)."""
    html = body_html(case)
    key = body_key(html)
    if CasePdf.objects.filter(case=case, key=key).exists():
        return False
    content = html_to_pdf(html)
    fields = {"key": key, "content": content, "pages": len(PdfReader(io.BytesIO(content)).pages)}
    try:
        with transaction.atomic():
            CasePdf.objects.update_or_create(case=case, defaults=fields)
    except IntegrityError:  # another worker stored it meanwhile
        CasePdf.objects.filter(case=case).update(**fields)
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


def casebook_pdf(
    cases: list[Case], bodies: list[Body], *, title: str, dropped: list[int] = ()
) -> bytes:
    """Cover, table of contents, every case (its stored pages) from a new page, footers and
    bookmarks. The same book asked again within BOOK_CACHE_SECONDS is served as bound."""
    created = timezone.localdate()
    key = "pdf-book:" + book_key([body.key for body in bodies], title=title, dropped=dropped)
    if (book := cache.get(key)) is not None:
        return book
    book = _bind(cases, bodies, title=title, dropped=dropped, created=created)
    if len(book) <= BOOK_CACHE_MAX_BYTES:
        cache.set(key, book, BOOK_CACHE_SECONDS)
    return book


def book_key(keys: list[str], *, title: str, dropped: list[int]) -> str:
    """What a book holds: its cases' keys, its title, the numbers it left out and today."""
    what = (keys, title, list(dropped), timezone.localdate().isoformat())
    return hashlib.sha256(repr(what).encode()).hexdigest()


@_without_gc()
def _bind(cases: list[Case], bodies: list[Body], *, title: str, dropped, created) -> bytes:
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
        return toc, _html("pdf/front.html", context)

    # The TOC's own length decides where the cases start: guessed from the last book of this
    # size, laid out again only when the guess was wrong.
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
    writer = PdfWriter()
    writer.append(io.BytesIO(front), import_outline=False)
    with _readers_lock:  # a parsed reader is not safe to share between threads at once
        for body in bodies:
            writer.append(_reader(body), import_outline=False)
    _link_toc(writer, front_pages)
    _stamp_page_numbers(writer, skip_first=True)
    writer.add_outline_item(title="表紙", page_number=0)
    writer.add_outline_item(title="目次", page_number=1)
    for entry in toc:
        writer.add_outline_item(
            title=f"No.{entry.case.number} {entry.case.title}", page_number=entry.page_index
        )
    return _write(writer, title)


# Parsing a stored body is most of a bind's time: the last few parsed are kept, per process.
_readers: OrderedDict[str, PdfReader] = OrderedDict()
_readers_lock = threading.Lock()
PARSED_BODIES_KEPT = 150  # about 0.5 MB each


def _reader(body: Body) -> PdfReader:
    key = body.key
    if (reader := _readers.get(key)) is not None:
        _readers.move_to_end(key)
        return reader
    reader = _readers[key] = PdfReader(io.BytesIO(body.content))
    while len(_readers) > PARSED_BODIES_KEPT:
        _readers.popitem(last=False)
    return reader


def case_pdf(case: Case, body: Body) -> bytes:
    """One case, as in a casebook but without cover and contents."""
    writer = PdfWriter()
    writer.append(io.BytesIO(body.content), import_outline=False)
    _stamp_page_numbers(writer, skip_first=False)
    writer.add_outline_item(title=f"No.{case.number} {case.title}", page_number=0)
    return _write(writer, case.title)


def plain_casebook_pdf(cases: list[Case], *, title: str) -> bytes:
    """The same book in one WeasyPrint render, nothing cached: the benchmark's baseline."""
    context = {"title": title, "cases": cases, "dropped": [], "created": timezone.localdate()}
    return render("pdf/book.html", context)


def _link_toc(writer: PdfWriter, front_pages: int) -> None:
    """Turn the TOC's placeholder URLs into links to pages of this PDF."""
    for page in writer.pages[:front_pages]:
        for ref in page.get("/Annots", []):
            annotation = ref.get_object()
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action else ""
            if uri.startswith(PAGE_LINK_PREFIX):
                target = writer.pages[int(uri.removeprefix(PAGE_LINK_PREFIX))]
                annotation[NameObject("/Dest")] = ArrayObject(
                    [target.indirect_reference, NameObject("/Fit")]
                )
                del annotation["/A"]


# Footer lines: stacked on sheets by WeasyPrint, then each drawn at the foot of its page.
FOOTER_TOP_MM = 10
FOOTER_LINE_MM = 4
FOOTER_LINES_PER_SHEET = 60
FOOTER_MIDDLE_MM = 9  # above the paper's foot: the middle of pdf.css's 18 mm bottom margin
FOOTER_CACHE_SECONDS = 60 * 60 * 24 * 30
PT_PER_MM = 72 / 25.4


def _stamp_page_numbers(writer: PdfWriter, *, skip_first: bool) -> None:
    """「<site> ｜ N / M」 at the foot of every page, laid out by WeasyPrint in the embedded font.

    Case bodies are cached without footers, so a book numbers its pages once they are bound.
    All M footer lines are laid out together (cached per M) on a few sheets; each line becomes
    a form XObject of its own, which its page draws after its own content, moved to its foot.
    """
    reader = PdfReader(io.BytesIO(_footer_sheets(len(writer.pages))))
    lines = [_lines(sheet, reader) for sheet in reader.pages]
    save, restore = writer._add_object(_stream(b"q")), writer._add_object(_stream(b"Q"))
    middle = FOOTER_MIDDLE_MM * PT_PER_MM
    for index, page in enumerate(writer.pages):
        if skip_first and index == 0:
            continue
        sheet, line = divmod(index, FOOTER_LINES_PER_SHEET)
        source = reader.pages[sheet]
        line_middle = float(source.mediabox.height) - (
            (FOOTER_TOP_MM + (line + 0.5) * FOOTER_LINE_MM) * PT_PER_MM
        )
        form = _form(source, lines[sheet][line], writer)
        name = f"/CollaNaviFooter{index}"  # pages of one body share their resources
        resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
        xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
        xobjects[NameObject(name)] = writer._add_object(form)
        draw = _stream(f"q 1 0 0 1 0 {middle - line_middle:.3f} cm {name} Do Q".encode())
        contents = page.get(NameObject("/Contents"))
        if contents is None:
            existing = []
        elif isinstance(contents.get_object(), list):
            existing = list(contents.get_object())
        else:
            existing = [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [save, *existing, restore, writer._add_object(draw)]
        )


def _lines(page, reader: PdfReader) -> list[list]:
    """The drawing operations of each footer line of a sheet: its text runs, in their state.

    WeasyPrint writes a sheet's lines as text runs (Tm, then TJ) in one text object; the runs
    of the n-th line are those at the n-th distinct height from the top.
    """
    operations = ContentStream(page.get_contents(), reader).operations
    begin = next(i for i, (_, op) in enumerate(operations) if op == b"BT")
    end = max(i for i, (_, op) in enumerate(operations) if op == b"ET")
    runs, font = [], None
    for operands, op in operations[begin + 1 : end]:
        if op == b"Tm":
            runs.append((float(operands[5]), font, [(operands, op)]))
        else:
            font = (operands, op) if op == b"Tf" else font
            if runs:
                runs[-1][2].append((operands, op))
    prefix = operations[:begin]
    unclosed = sum(op == b"q" for _, op in prefix) - sum(op == b"Q" for _, op in prefix)
    lines = []
    for height in sorted({y for y, _, _ in runs}):
        text = [([], b"BT")]
        for y, run_font, ops in runs:
            if y == height:
                text += [run_font, *ops] if run_font else ops
        lines.append([*prefix, *text, ([], b"ET"), *[([], b"Q")] * unclosed])
    return lines


def _form(page, operations: list, writer: PdfWriter) -> StreamObject:
    """Some drawing operations of a page of another PDF, as a form XObject of this one."""
    content = ContentStream(None, None)
    content.operations = operations
    form = _stream(content.get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): page.mediabox,
            NameObject("/Resources"): page["/Resources"].get_object().clone(writer),
        }
    )
    return form.flate_encode()


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _footer_sheets(total: int) -> bytes:
    labels = [f"{settings.SITE_NAME} ｜ {number} / {total}" for number in range(1, total + 1)]
    per = FOOTER_LINES_PER_SHEET
    context = {
        "sheets": [labels[start : start + per] for start in range(0, total, per)],
        "top_mm": FOOTER_TOP_MM,
        "line_mm": FOOTER_LINE_MM,
    }
    html = _html("pdf/footer.html", context)
    key = "pdf-footer:" + hashlib.sha256((layout_version() + html).encode()).hexdigest()
    footers = cache.get(key)
    if footers is None:
        footers = html_to_pdf(html)
        cache.set(key, footers, FOOTER_CACHE_SECONDS)
    return footers


def _write(writer: PdfWriter, title: str) -> bytes:
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": settings.SITE_NAME,
            "/Creator": settings.SITE_NAME,
            "/CreationDate": datetime.datetime.now(datetime.UTC).strftime("D:%Y%m%d%H%M%SZ"),
        }
    )
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
