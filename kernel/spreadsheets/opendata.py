"""Files the public and staff download: CSV streamed for Excel, file names in Japanese."""

import csv
import io
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from kernel.spreadsheets.cells import escape_formula


def csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """UTF-8 CSV with a BOM for Excel, a line at a time (open data streams it); cells that
    could run as formulas are escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(columns)
    yield "\ufeff" + flush()
    for row in rows:
        writer.writerow([escape_formula(v) if v is not None else "" for v in row.values()])
        yield flush()


def content_disposition(filename: str, fallback: str, *, kind: str = "attachment") -> str:
    """A download named in UTF-8 (RFC 5987/6266), with an ASCII name for old clients."""
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
