"""Case and casebook PDFs: WeasyPrint for layout, one stored render per case, pypdf to bind.

Each published case is laid out ahead of time by the background worker (cases/tasks.py) and
stored with a key derived from what it prints (`store.body_key`); a casebook binds the stored
pages and lays out only its cover and table of contents. A public request never lays out a case.

- `fetch`: what a PDF may fetch (project files only), photos downscaled for print;
- `store`: keys, stored pages, the printed version;
- `layout`: WeasyPrint (the only module that loads it);
- `bind`: pypdf binding, footers, page links.

Importing this package loads neither WeasyPrint nor pypdf: the names of `layout` and `bind`
are looked up when first used.
"""

import importlib

from cases.pdf.fetch import PRINT_IMAGE_MAX_PX, print_image
from cases.pdf.store import (
    LAYOUT_FILES,
    Body,
    body_html,
    body_key,
    book_key,
    case_keys,
    layout_version,
    out_of_date,
    stored_bodies,
    with_pdf_data,
)

_LAZY = {
    "LocalFilesOnly": "layout",
    "html_to_pdf": "layout",
    "lay_out": "layout",
    "plain_casebook_pdf": "layout",
    "render": "layout",
    "render_body": "layout",
    "case_pdf": "bind",
    "casebook_pdf": "bind",
}

__all__ = [
    "LAYOUT_FILES",
    "PRINT_IMAGE_MAX_PX",
    "Body",
    "body_html",
    "body_key",
    "book_key",
    "case_keys",
    "layout_version",
    "out_of_date",
    "print_image",
    "stored_bodies",
    "with_pdf_data",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f"cases.pdf.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
