"""受付番号 (e.g. Q-2026-000123): a prefix per kind of submission, the fiscal year and a
sequence that restarts each year, quoted by the sender on the phone and searched in the admin."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from cases.filters import fiscal_year
from inquiries.models import ReceiptCounter


def next_receipt_number(prefix: str, *, today: datetime.date | None = None) -> str:
    """The next number of `prefix` this fiscal year; never the same twice, even in parallel.

    The counter row is incremented by one UPDATE, which holds its row lock (PostgreSQL) or the
    write lock (SQLite) until the caller's transaction ends, so no two transactions read the
    same value; the first number of a year is an INSERT guarded by the unique constraint.
    """
    year = fiscal_year(today)
    counter = ReceiptCounter.objects.filter(prefix=prefix, year=year)
    with transaction.atomic():
        if not counter.update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    ReceiptCounter.objects.create(prefix=prefix, year=year, last=1)
            except IntegrityError:  # another transaction began the year a moment ago
                counter.update(last=F("last") + 1)
        last = counter.values_list("last", flat=True).get()
    return format_receipt_number(prefix, year, last)


def format_receipt_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:06d}"
