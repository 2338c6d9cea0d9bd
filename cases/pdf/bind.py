"""Binding with pypdf: a book from its cover and its cases' stored pages, footers, page links.

Case bodies are stored without footers, so a book numbers its pages once they are bound.
"""

import datetime
import hashlib
import io
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)

from cases.models import Case
from cases.pdf import layout
from cases.pdf.store import Body, book_key, layout_version, render_html

# A book asked again soon (a shared link, a second click) is served as bound.
BOOK_CACHE_SECONDS = 10 * 60
BOOK_CACHE_MAX_BYTES = 20 * 1024 * 1024


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


@layout.without_gc()
def _bind(cases: list[Case], bodies: list[Body], *, title: str, dropped, created) -> bytes:
    front, front_pages, toc = layout.lay_out_front(
        cases, bodies, title=title, dropped=dropped, created=created
    )
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


def _link_toc(writer: PdfWriter, front_pages: int) -> None:
    """Turn the TOC's placeholder URLs into links to pages of this PDF."""
    for page in writer.pages[:front_pages]:
        for ref in page.get("/Annots", []):
            annotation = ref.get_object()
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action else ""
            if uri.startswith(layout.PAGE_LINK_PREFIX):
                target = writer.pages[int(uri.removeprefix(layout.PAGE_LINK_PREFIX))]
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
    html = render_html("pdf/footer.html", context)
    key = "pdf-footer:" + hashlib.sha256((layout_version() + html).encode()).hexdigest()
    footers = cache.get(key)
    if footers is None:
        footers = layout.html_to_pdf(html)
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
