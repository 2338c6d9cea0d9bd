"""Casebook PDF benchmark: the project's bound casebook against one plain WeasyPrint render.

Usage: .venv/bin/python bench/casebook.py
Builds a throwaway SQLite database with the demo data, copies its cases up to 100 published
ones, then prints: a plain one-shot render of 30 cases, the project's casebook cold (no case
cached) and warm (cases cached), their ratios, and the peak memory of a 100-case casebook.
"""

import os
import resource
import statistics
import subprocess
import sys
import time

import throwaway  # bench/ is on the path when a script here runs

WORK = throwaway.setup("collanavi-bench-")

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402

from cases import pdf  # noqa: E402
from cases.models import Case, CasePartner, Photo, ScheduleItem  # noqa: E402
from cases.services import refresh_search_text  # noqa: E402


def prepare(total: int = 100) -> None:
    call_command("migrate", verbosity=0)
    if Case.objects.published().count() >= total:
        return
    call_command("load_demo", verbosity=0)
    originals = list(Case.objects.published().order_by("number"))
    number = Case.objects.order_by("-number").first().number
    while Case.objects.published().count() < total:
        source = originals[(number - len(originals)) % len(originals)]
        number += 1
        copy = Case.objects.get(pk=source.pk)
        copy.pk, copy.number, copy.title = None, number, f"{source.title}（その{number}）"
        copy.save()
        copy.domains.set(source.domains.all())
        copy.methods.set(source.methods.all())
        for model in (CasePartner, ScheduleItem, Photo):
            for row in model.objects.filter(case=source):
                row.pk, row.case = None, copy
                row.save()
        refresh_search_text(copy)


def cases(n: int) -> list[Case]:
    return list(pdf.with_pdf_data(Case.objects.published().order_by("number"))[:n])


def timed(fn, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def child_100() -> None:
    """Run in a fresh process: peak resident memory while building a 100-case casebook."""
    book = cases(100)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    content = pdf.casebook_pdf(book, title="100件の事例集")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        f"{seconds:.2f} {peak / 1024:.0f} {(peak - before) / 1024:.0f} "
        f"{workers / 1024:.0f} {len(content) / 1e6:.1f}"
    )


def main() -> None:
    prepare()
    book = cases(30)
    pdf.casebook_pdf(cases(2), title="warm-up")  # imports, fonts
    plain = timed(lambda: pdf.plain_casebook_pdf(book, title="30件の事例集"))
    cache.clear()
    cold = timed(lambda: pdf.casebook_pdf(book, title="30件の事例集"))
    warm = timed(lambda: pdf.casebook_pdf(book, title="30件の事例集"), repeat=3)
    out = subprocess.run(
        [sys.executable, __file__, "--child-100"],
        env={**os.environ, "BENCH_DIR": str(WORK)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print("30-case casebook                     seconds   ratio to plain")
    print(f"  plain one-shot WeasyPrint render   {plain:7.2f}   1.00")
    print(f"  project, cold (nothing cached)     {cold:7.2f}   {cold / plain:.2f}")
    print(f"  project, warm (cases cached)       {warm:7.2f}   {warm / plain:.2f}  (target < 0.25)")
    print(
        f"100-case casebook, cold: {out[0]} s, PDF {out[4]} MB; peak RSS: web process "
        f"{out[1]} MB (+{out[2]} MB during the build), largest layout worker {out[3]} MB"
    )


if __name__ == "__main__":
    if "--child-100" in sys.argv:
        child_100()
    else:
        main()
