"""Casebook PDF benchmark: click to download, against one plain WeasyPrint render of the book.

Usage: .venv/bin/python bench/casebook.py [--skip-plain] [--gunicorn]
Builds a throwaway SQLite database with the demo data, copies its cases up to 100 published
ones, starts the PDF workers as `make run` does, then times a 30-case casebook as a visitor gets
it through `/casebook/pdf/?cases=…`:
- plain: the same book in one WeasyPrint render, nothing stored (the old way, for scale);
- cold: right after all 30 cases were edited: the progress page, asked every second (as its
  script does) until the workers have laid the cases out, then the download;
- pre-rendered: every case laid out by the workers beforehand, a book never asked before;
- warm: the same cases under a new title (this process has read their pages before);
- again: the very same book (kept as bound for a few minutes).
While the cold book is made, a second visitor loads case pages; their slowest answer is shown.
--gunicorn instead serves the site with gunicorn (2 workers and Redis, REDIS_URL, default
database 13 on the local server) beside 2 PDF workers, edits the 30 cases, and sends 4 visitors
at once to the cold book while /healthz is asked every 0.2 s: every answer's status, and the
slowest /healthz.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import throwaway  # bench/ is on the path when a script here runs

os.environ.setdefault("RATE_LIMIT_PDFS", "1000000")  # one address asks everything here
if "--gunicorn" in sys.argv:  # as in production: a cache shared by every process
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
    os.environ.setdefault("PDF_CONCURRENT_BUILDS", "1")  # one gunicorn worker stays free
WORK = throwaway.setup("collanavi-bench-")

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from cases import pdf  # noqa: E402
from cases.models import Case, CasePartner, CasePdf, Photo, ScheduleItem  # noqa: E402
from collanavi.management.commands.serve import start_workers, stop_workers  # noqa: E402

TARGETS = {"cold": 10.0, "pre-rendered": 1.5, "warm": 1.0}
CPU: dict[str, float] = {}  # the web side's processor time per book URL, last asked


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


def cases(n: int) -> list[Case]:
    return list(pdf.with_pdf_data(Case.objects.published().order_by("number"))[:n])


def book_url(book: list[Case], title: str) -> str:
    return f"/casebook/pdf/?cases={','.join(str(c.number) for c in book)}&title={quote(title)}"


def cpu_seconds(pid: int) -> float:
    """User and system time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def download(url: str) -> tuple[float, int]:
    """Click to download as the progress page's script does it: (seconds, progress answers)."""
    client = Client(SERVER_NAME="127.0.0.1")
    start, waits = time.perf_counter(), 0
    cpu = time.process_time()
    response = client.get(url)
    while response["Content-Type"] != "application/pdf":
        assert response.status_code == 200, response.status_code
        waits += 1
        time.sleep(1)
        if client.get(url, headers={"Accept": "application/json"}).json()["done"]:
            response = client.get(url)
    CPU[url] = time.process_time() - cpu
    return time.perf_counter() - start, waits


def all_laid_out(book: list[Case], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    keys = pdf.case_keys(book)
    while pdf.out_of_date(book, keys):
        assert time.monotonic() < deadline, "the workers did not lay out the book"
        time.sleep(0.2)


def other_visitor(stop: threading.Event, seconds: list[float]) -> None:
    client = Client(SERVER_NAME="127.0.0.1")
    numbers = list(Case.objects.published().values_list("number", flat=True))
    i = 0
    while not stop.is_set():
        start = time.perf_counter()
        client.get(f"/cases/{numbers[i % len(numbers)]}/")
        seconds.append(time.perf_counter() - start)
        i += 1
        time.sleep(0.2)


def main() -> None:
    prepare()
    book = cases(30)
    rows, cpu = {}, {}
    if "--skip-plain" not in sys.argv:
        pdf.plain_casebook_pdf(cases(1), title="warm-up")  # imports, fonts
        start = time.perf_counter()
        pdf.plain_casebook_pdf(book, title="30件の事例集")
        rows["plain"] = time.perf_counter() - start
    count = int(os.environ.get("PDF_RENDER_WORKERS", os.cpu_count() or 1))
    workers = start_workers(count, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        call_command("render_pdfs", verbosity=0)
        all_laid_out(cases(100))
        # Pre-rendered, then warm: the same book again.
        run = time.strftime("%H%M%S")  # a title never asked before
        url = book_url(book, f"30件の事例集 {run}")
        rows["pre-rendered"], _ = download(url)
        cpu["pre-rendered"] = CPU[url]
        urls = [book_url(book, f"30件の事例集 {run} その{i}") for i in range(3)]
        rows["warm"] = statistics.median(download(url)[0] for url in urls)
        cpu["warm"] = statistics.median(CPU[url] for url in urls)
        rows["again"] = statistics.median(download(url)[0] for _ in range(3))
        cpu["again"] = CPU[url]
        hundred, _ = download(book_url(cases(100), f"100件の事例集 {run}"))  # bound by a worker
        # Cold: every case of the book edited, the visitor clicks at once.
        for case in Case.objects.filter(pk__in=[c.pk for c in book]):
            edited = case.title.removesuffix("（改）")
            case.title = edited if edited != case.title else f"{case.title}（改）"
            case.save()
        pages, stop = [], threading.Event()
        visitor = threading.Thread(target=other_visitor, args=(stop, pages))
        visitor.start()
        used = [cpu_seconds(worker.pid) for worker in workers]
        rows["cold"], waits = download(book_url(cases(30), f"30件の事例集 {run}"))
        stop.set()
        visitor.join()
        laid_out = [cpu_seconds(w.pid) - before for w, before in zip(workers, used, strict=True)]
    finally:
        stop_workers(workers)
    size = sum(len(bytes(c)) for c in CasePdf.objects.values_list("content", flat=True)[:30])
    python = sys.version.split()[0]
    print(
        f"machine: {os.cpu_count()} cores, Python {python}, {len(workers)} PDF workers, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "30-case casebook, click to download           seconds   target   ratio to plain"
        "   processor s"
    )
    labels = {
        "plain": "plain one-shot WeasyPrint render (no store)",
        "cold": f"cold: all 30 just edited ({waits} progress polls)",
        "pre-rendered": "pre-rendered: laid out by the workers",
        "warm": "warm: the same cases, a new title",
        "again": "the same book again (kept as bound)",
    }
    for name, label in labels.items():
        if name in rows:
            target = f"< {TARGETS[name]:.1f}" if name in TARGETS else ""
            ratio = f"{rows[name] / rows['plain']:.2f}" if "plain" in rows else "-"
            used = f"{cpu[name]:.2f}" if name in cpu else ""
            print(f"  {label:<45} {rows[name]:7.2f}   {target:>6}   {ratio:>14}   {used:>11}")
    print(f"100-case book, pre-rendered (bound by a worker): click to download {hundred:.2f} s")
    print(
        "cold: processor time of the layouts in each worker "
        + ", ".join(f"{seconds:.1f} s" for seconds in laid_out)
        + f" (the web side: {CPU[book_url(cases(30), f'30件の事例集 {run}')]:.2f} s)"
    )
    print(
        f"another visitor's case pages during the cold book: {len(pages)} loads, "
        f"median {statistics.median(pages) * 1000:.0f} ms, slowest {max(pages) * 1000:.0f} ms"
    )
    print(f"30 stored case PDFs: {size / 1e6:.1f} MB")


def fetch(url: str, accept: str = "") -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def gunicorn_visitor(url: str, statuses: list[int]) -> float:
    """Click to download over HTTP, as the progress page's script does."""
    start = time.perf_counter()
    status, kind, _ = fetch(url)
    statuses.append(status)
    while kind != "application/pdf" and time.perf_counter() - start < 300:
        time.sleep(1)
        status, _, body = fetch(url, "application/json")
        statuses.append(status)
        if status == 200 and json.loads(body)["done"]:
            status, kind, _ = fetch(url)
            statuses.append(status)
    return time.perf_counter() - start


def gunicorn_check() -> None:
    prepare()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gunicorn = [
        str(throwaway.ROOT / ".venv/bin/gunicorn"),
        "collanavi.wsgi",
        "--workers=2",
        "--timeout=20",
        f"--bind=127.0.0.1:{port}",
    ]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    server = subprocess.Popen(gunicorn, cwd=throwaway.ROOT, **quiet)
    workers = start_workers(2, **quiet)
    base = f"http://127.0.0.1:{port}"
    try:
        call_command("render_pdfs", verbosity=0)
        all_laid_out(cases(100))
        book = cases(30)
        for case in Case.objects.filter(pk__in=[c.pk for c in book]):
            edited = case.title.removesuffix("（改）")
            case.title = edited if edited != case.title else f"{case.title}（改）"
            case.save()
        while fetch(base + "/healthz")[0] != 200:
            time.sleep(0.2)
        health, stop = [], threading.Event()

        def ask_health() -> None:
            while not stop.is_set():
                start = time.perf_counter()
                health.append((fetch(base + "/healthz")[0], time.perf_counter() - start))
                time.sleep(0.2)

        watcher = threading.Thread(target=ask_health)
        watcher.start()
        statuses: list[int] = []
        url = base + book_url(cases(30), "30件の事例集")
        with ThreadPoolExecutor(4) as pool:
            seconds = list(pool.map(lambda _: gunicorn_visitor(url, statuses), range(4)))
        stop.set()
        watcher.join()
    finally:
        stop_workers(workers)
        server.terminate()
        server.wait(30)
    errors = sum(status >= 500 for status in statuses)
    print(
        f"gunicorn, 2 workers, PDF_CONCURRENT_BUILDS={os.environ['PDF_CONCURRENT_BUILDS']}, "
        f"2 PDF workers, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"4 visitors at once, cold 30-case book: {len(statuses)} answers, {errors} 5xx, "
        f"click to download {min(seconds):.1f}–{max(seconds):.1f} s"
    )
    slowest = max(seconds for _, seconds in health)
    print(
        f"/healthz during it: {len(health)} asked, all 200: "
        f"{all(status == 200 for status, _ in health)}, slowest {slowest * 1000:.0f} ms"
    )


if __name__ == "__main__":
    gunicorn_check() if "--gunicorn" in sys.argv else main()
