"""A throwaway site served by gunicorn with 2 workers, for tests of what several processes
share (and bench/faults.py)."""

import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(work: Path, **extra: str) -> dict:
    """A production-like environment on a new SQLite database in `work`, without Redis."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="collanavi.settings",
        DATABASE_URL=f"sqlite:///{work / 'site.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        PRIVATE_MEDIA_ROOT=str(work / "private"),
        EXPORT_CACHE_DIR=str(work / "exports"),
        DEBUG="true",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        LOG_LEVEL="CRITICAL",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (its WAL included), as `migrate` left it."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def manage(env: dict, *args: str, code: str = "") -> str:
    command = [*MANAGE, *args] if not code else [*MANAGE, "shell", "-c", code]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


class Server:
    """gunicorn serving the site on a free port; stopped by `stop()` (or `with`)."""

    def __init__(self, env: dict, workers: int = 2, extra_args: tuple[str, ...] = ()):
        self.port = free_port()
        self.log = Path(env["MEDIA_ROOT"]).parent / f"gunicorn-{self.port}.log"
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "collanavi.wsgi", "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning", *extra_args],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log.open("wb"),
        )  # fmt: skip
        for _ in range(150):
            if self.process.poll() is not None:
                return  # refused to start: `started` says so
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)

    @property
    def started(self) -> bool:
        return self.process.poll() is None

    def request(self, method: str, path: str, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            conn.close()

    def get(self, path: str, headers=None) -> tuple[int, bytes]:
        status, body, _ = self.request("GET", path, headers=headers)
        return status, body

    def post_form(self, path: str, fields: dict, headers=None, page: str = "/about/"):
        """POST a form as a browser would: with the CSRF cookie and token of a page."""
        import re
        import urllib.parse

        status, body, got = self.request("GET", page, headers=headers)
        cookie = got.get("Set-Cookie", "").split(";")[0]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1].decode()
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        form_headers = {
            **(headers or {}),
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return self.request("POST", path, body=data, headers=form_headers)

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.log.read_text(errors="replace")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def hwm_kb(pid: int) -> int:
    """The peak resident memory of a process so far."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def post_huge(port: int, path: str, length: int) -> int:
    """Send a multipart body of `length` bytes as a client would, as far as the server reads."""
    boundary = "----collanavi"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="photos-0-image"; filename="a.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        chunk = b"\xff" * (1024 * 1024)
        try:
            for _ in range(length // len(chunk)):
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed without reading the rest
        answer = b""
        try:
            while data := sock.recv(65536):
                answer += data
        except (ConnectionResetError, TimeoutError):
            pass
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
