"""`make run` runs `manage.py serve`: the server answers at once while its workers lay out PDFs."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

from tests.served import copy_database, free_port

pytestmark = pytest.mark.process  # starts make run's server and worker

CREATE_CASE = (
    "from tests import factories; from cases.models import CasePdf; "
    "assert not CasePdf.objects.exists(); print(factories.case(title='背景で作る事例').number)"
)


def test_make_run_serves_while_its_worker_lays_out_pdfs_in_the_background(
    tmp_path, migrated_site_db
):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EXPORT_CACHE_DIR": str(tmp_path / "exports"),
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    run = {"env": env, "cwd": settings.BASE_DIR, "check": True, "timeout": 300}
    copy_database(migrated_site_db, tmp_path / "db.sqlite3")
    number = subprocess.run(
        [*manage, "shell", "-v0", "-c", CREATE_CASE], capture_output=True, text=True, **run
    ).stdout.split()[-1]
    port = free_port()
    with open(tmp_path / "serve.log", "wb") as log:
        server = subprocess.Popen(
            [*manage, "serve", f"127.0.0.1:{port}", "--noreload", "--workers", "1"],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
        )
    try:
        url = f"http://127.0.0.1:{port}/cases/{number}/pdf/"
        answers, deadline = [], time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                started = time.monotonic()
                with urllib.request.urlopen(url, timeout=10) as response:
                    answers.append((response.headers["Content-Type"], time.monotonic() - started))
            except OSError:  # not listening yet
                time.sleep(0.3)
                continue
            if answers[-1][0] == "application/pdf":
                break
            time.sleep(0.5)
        assert answers and answers[-1][0] == "application/pdf", (tmp_path / "serve.log").read_text()
        assert all(seconds < 5 for _, seconds in answers)  # never laid out in the request
    finally:
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C
        try:
            server.wait(timeout=60)  # a worker mid-layout on a loaded machine finishes first
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            raise AssertionError((tmp_path / "serve.log").read_text()[-3000:]) from None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # the worker stops with the server
        try:
            os.killpg(server.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("a worker outlived Ctrl-C")


def test_a_killed_server_leaves_no_worker_behind(tmp_path, migrated_site_db):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EXPORT_CACHE_DIR": str(tmp_path / "exports"),
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    copy_database(migrated_site_db, tmp_path / "db.sqlite3")
    server = subprocess.Popen(
        [*manage, "serve", f"127.0.0.1:{free_port()}", "--noreload", "--workers", "2"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers, deadline = [], time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:
        found = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True)
        workers = [int(pid) for pid in found.stdout.split()]
        time.sleep(0.2)
    assert len(workers) == 2
    server.kill()  # no Ctrl-C, no clean-up: e.g. the OOM killer or `kill -9`
    server.wait(timeout=10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not any(_running(pid) for pid in workers):
            break
        time.sleep(0.2)
    else:
        raise AssertionError("a worker outlived its killed server")


def _running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False
