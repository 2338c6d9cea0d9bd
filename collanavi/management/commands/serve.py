"""`make run`: the development server with the background workers beside it; Ctrl-C stops all."""

import ctypes
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

PR_SET_PDEATHSIG = 1  # prctl(2)
GRACE_SECONDS = 2  # a worker given Ctrl-C finishes its task; then it is told to stop


def worker_command() -> list[str]:
    """One background worker (`manage.py db_worker`), reloaded with the server, not its own."""
    manage = settings.BASE_DIR / "manage.py"
    return [sys.executable, str(manage), "db_worker", "--no-reload", "--interval", "0.5"]


def _as_worker() -> None:
    """In the worker before it starts: niced, so that pages keep answering while cases are laid
    out, and told to stop when the server process ends however it ends (Linux), so that a
    `kill` of the server leaves no worker behind."""
    os.nice(5)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_workers(count: int, **popen) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(worker_command(), cwd=settings.BASE_DIR, preexec_fn=_as_worker, **popen)
        for _ in range(count)
    ]


def stop_workers(workers: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + GRACE_SECONDS
    for worker in workers:
        try:
            worker.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.terminate()
    for worker in workers:
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()


class Command(BaseCommand):
    help = (
        "開発用サーバー（runserver）と、事例のPDFを作るワーカー（db_worker）を一緒に起動します。"
        "Ctrl-C で両方が止まります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.PDF_RENDER_WORKERS,
            help="ワーカーの数（既定：PDF_RENDER_WORKERS）",
        )
        parser.add_argument("--noreload", action="store_false", dest="use_reloader")

    def handle(self, *args, addrport: str, workers: int, use_reloader: bool, **options):
        if use_reloader and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's parent only restarts its child, which runs the server and workers.
            call_command("runserver", addrport, use_reloader=True)
            return
        # Ctrl-C stops the server and its workers even when this was started where SIGINT is
        # ignored (a background job inherits that; the workers set their own handlers).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        started = start_workers(workers)
        self.stdout.write(f"PDFのワーカーを{len(started)}つ起動しました。")
        try:
            call_command("runserver", addrport, use_reloader=use_reloader)
        finally:
            stop_workers(started)
