"""Import benchmark: 2,000 CP932 CSV rows of cases through the staff import (dry run, then real).

Usage: .venv/bin/python bench/import_cases.py
Uses a throwaway SQLite database with the demo data; prints the time of each step.
"""

import os
import time

import throwaway  # bench/ is on the path when a script here runs

WORK = throwaway.setup("collanavi-import-")

from django.core.management import call_command  # noqa: E402

from cases.models import Case, Domain, Method  # noqa: E402
from cases.resources import CaseResource  # noqa: E402
from kernel.spreadsheets import ExcelCSV  # noqa: E402
from partners.models import Area, Organization  # noqa: E402

ROWS = 2000


def sheet() -> bytes:
    """The demo cases' text, repeated into 2,000 new rows, written as Excel in Japan does."""
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    dataset = CaseResource().export()
    template = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    dataset.wipe()
    dataset.headers = list(template[0])
    for i in range(ROWS):
        row = dict(template[i % len(template)])
        row["事例No."] = 10_000 + i
        row["事例名"] = f"{row['事例名']}（{i}）"
        dataset.append(list(row.values()))
    return ExcelCSV().export_data(dataset).removeprefix("\ufeff").encode("cp932", "replace")


def main() -> None:
    data = sheet()
    print(f"machine: {os.cpu_count()} cores; {ROWS} rows, {len(data) / 1e6:.1f} MB CP932 CSV")
    print(f"lookups: {Area.objects.count()} areas, {Organization.objects.count()} organizations, "
          f"{Domain.objects.count()} domains, {Method.objects.count()} methods")  # fmt: skip
    start = time.perf_counter()
    dataset = ExcelCSV().create_dataset(data)
    print(f"read and decode:        {time.perf_counter() - start:6.2f} s")
    start = time.perf_counter()
    result = CaseResource().import_data(dataset, dry_run=True)
    print(f"dry run (preview):      {time.perf_counter() - start:6.2f} s  {dict(result.totals)}")
    assert not result.has_errors() and not result.has_validation_errors()
    start = time.perf_counter()
    result = CaseResource().import_data(dataset, dry_run=False, use_transactions=True)
    print(f"import (one transaction): {time.perf_counter() - start:4.2f} s  {dict(result.totals)}")
    print(f"cases now: {Case.objects.count()}")


if __name__ == "__main__":
    main()
