"""The faults of issue 16, against gunicorn (2 workers, DEBUG off), and what held.

Builds a throwaway SQLite site (demo data + --cases synthetic cases) and runs each case in
turn, printing one line per check: spoofed X-Forwarded-For, lockout per address, 2 workers
without Redis (a staff change seen at once, limits not multiplied), Redis stopped (pointed at
a dead port: pages 200, /readyz 503), SQLite write-locked for 2 s, a read-only database on a
post (PostgreSQL, when one answers), a 100 MB upload, junk query strings, and the export's
memory. Reproduce with `.venv/bin/python bench/faults.py` (about 5 minutes, 3 of them building
the site; `--dir D` keeps it in D for the next run).
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import served  # noqa: E402

REDIS_DB = "14"
DEAD_REDIS = f"redis://127.0.0.1:9/{REDIS_DB}"
LIVE_REDIS = f"redis://127.0.0.1:6379/{REDIS_DB}"
PG_ADMIN = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PASSWORD = "correct-horse-battery-staple"
held = []


def report(name: str, ok: bool, seen: str) -> None:
    held.append(ok)
    print(f"{'held  ' if ok else 'FAILED'} {name}: {seen}", flush=True)


def production(work: Path, **extra: str) -> dict:
    return served.environment(
        work,
        DEBUG="false",
        SECRET_KEY="faults-" + "x" * 50,
        SECURE_HSTS_SECONDS="0",
        TRUSTED_PROXY_COUNT="1",
        EXPORT_CACHE_DIR=str(work / "exports"),
        AXES_FAILURE_LIMIT="5",
        LOG_LEVEL="CRITICAL",
        **extra,
    )


def prepare(work: Path, cases: int, env: dict) -> list[int]:
    if not (work / "site.sqlite3").exists():
        build(cases, env)
    else:
        served.manage(env, "migrate", "-v0")  # a site kept from an older run
    numbers = served.manage(
        env,
        code="from cases.models import Case; "
        "print(','.join(str(n) for n in Case.objects.published()"
        ".order_by('number').values_list('number', flat=True)[:5]))",
    )
    return [int(n) for n in numbers.split(",")]


def build(cases: int, env: dict) -> None:
    served.manage(env, "migrate", "-v0")
    served.manage(env, "load_demo", "-v0")
    if cases:
        served.manage(env, "generate_cases", str(cases), "-v0")
    served.manage(env, "collectstatic", "--noinput", "-v0")
    served.manage(
        env,
        code="from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('manager', 'm@example.jp', {PASSWORD!r})",
    )


def login(server: served.Server, forwarded: str, password: str) -> int:
    fields = {"username": "manager", "password": password, "next": "/admin/"}
    headers = {"X-Forwarded-For": forwarded}
    return server.post_form("/admin/login/", fields, headers, page="/admin/login/")[0]


def spoofing_and_lockout(server: served.Server) -> None:
    real = "203.0.113.50"
    statuses = [
        server.post_form(
            "/feedback/",
            {"path": "/", "useful": "true"},
            {"X-Forwarded-For": f"198.51.100.{i}, {real}"},
        )[0]
        for i in range(30)
    ]
    accepted = sum(s != 429 for s in statuses)
    report(
        "spoofed left-most X-Forwarded-For",
        accepted == 10,
        f"30 feedback posts from one address with 30 spoofed entries: {accepted} accepted "
        "(limit 10)",
    )
    attacker, office = "198.51.100.77", "203.0.113.60"
    for _ in range(5):
        login(server, attacker, "wrong")
    from_attacker = login(server, attacker, PASSWORD)
    from_office = login(server, f"{attacker}, {office}", PASSWORD)
    report(
        "lockout per user and address",
        from_attacker != 302 and from_office == 302,
        f"after 5 failures for manager from one address: right password there -> "
        f"{from_attacker}, from another address (spoofing the first) -> {from_office}",
    )
    many = "198.51.100.88"
    for i in range(20):
        server.post_form(
            "/admin/login/",
            {"username": f"guess{i}", "password": "x"},
            {"X-Forwarded-For": many},
            page="/admin/login/",
        )
    capped = login(server, many, PASSWORD)
    report(
        "per-address cap",
        capped != 302,
        f"20 failures under 20 names from one address: manager's right password there -> {capped}",
    )


def shared_without_redis(server: served.Server, env: dict, number: int) -> None:
    path = f"/cases/{number}/"
    before = [server.get(path)[0] for _ in range(40)]
    served.manage(
        env,
        code=f"from cases.models import Case; c = Case.objects.get(number="
        f"{number}); c.status = Case.Status.ARCHIVED; c.save()",
    )
    after = [server.get(path)[0] for _ in range(40)]
    report(
        "2 workers without Redis: a staff change seen at once",
        before.count(200) == 40 and after.count(410) == 40,
        f"before archiving {before.count(200)}/40 answered 200; after, "
        f"{after.count(410)}/40 answered 410",
    )
    served.manage(
        env,
        code=f"from cases.models import Case; c = Case.objects.get(number="
        f"{number}); c.status = Case.Status.PUBLISHED; c.save()",
    )
    statuses = [
        server.post_form(
            "/feedback/", {"path": "/", "useful": "true"}, {"X-Forwarded-For": "203.0.113.70"}
        )[0]
        for _ in range(20)
    ]
    accepted = sum(s != 429 for s in statuses)
    report(
        "2 workers without Redis: one form limit",
        accepted == 10,
        f"20 posts from one address: {accepted} accepted (limit 10)",
    )


def pages(number: int) -> list[str]:
    return [
        "/",
        "/cases/",
        f"/cases/{number}/",
        "/organizations/",
        "/about/",
        "/cases/?q=%E7%A6%8F%E7%A5%89",
        "/cases/feed/",
        "/sitemap.xml",
        f"/cases/{number}/pdf/",
        "/cases/export.csv?q=%E7%A6%8F%E7%A5%89",
    ]


def redis_stopped(work: Path, number: int) -> None:
    with served.Server(production(work, REDIS_URL=DEAD_REDIS)) as server:
        statuses = {path: server.get(path)[0] for path in pages(number)}
        start = time.monotonic()
        for _ in range(20):
            server.get("/cases/")
        slowest = (time.monotonic() - start) / 20
        ready, body = server.get("/readyz")
        cache = json.loads(body)["cache"]
        healthy = server.get("/healthz")[0]
    bad = {p: s for p, s in statuses.items() if s != 200}
    report(
        "Redis stopped: pages still answer",
        not bad,
        f"{len(statuses) - len(bad)}/{len(statuses)} pages 200 {bad or ''}; /cases/ "
        f"{slowest * 1000:.0f} ms a request from the database",
    )
    report(
        "Redis stopped: /readyz says so",
        ready == 503 and healthy == 200,
        f"/readyz {ready} cache={cache}, /healthz {healthy}",
    )


def junk_queries(work: Path) -> None:
    subprocess.run(["redis-cli", "-n", REDIS_DB, "flushdb"], capture_output=True)
    with served.Server(production(work, REDIS_URL=LIVE_REDIS)) as server:
        ready = server.get("/readyz")[0]
        server.get("/cases/")
        before = _dbsize()
        junk = [
            "utm_source=x{i}",
            "domain=999{i}",
            "page=-{i}",
            "sort=evil{i}",
            "q=&x{i}=1",
            "budget=%00{i}",
            "year=19{i}x",
            "area={i}e9",
            "page=x{i}",
            "domain=%FF{i}",
        ]
        statuses = [server.get(f"/cases/?{junk[i % 10].format(i=i)}")[0] for i in range(1000)]
        added = _dbsize() - before
        malformed = [
            server.get(f"/cases/?{q}")[0]
            for q in ("%", "a=%ZZ", "q=%00", "page=99999", "domain=1&domain=1&domain=x", "&&&=")
        ]
    report(
        "junk query strings share one cache entry",
        added <= 1 and set(statuses) <= {200, 302},
        f"/readyz with Redis {ready}; 1,000 junk query strings on /cases/: {added} Redis keys "
        f"added, answers {sorted(set(statuses))}; malformed ones {malformed}",
    )


def _dbsize() -> int:
    out = subprocess.run(["redis-cli", "-n", REDIS_DB, "dbsize"], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def sqlite_locked(server: served.Server, work: Path, number: int) -> None:
    database = sqlite3.connect(work / "site.sqlite3", timeout=10, check_same_thread=False)
    database.execute("BEGIN IMMEDIATE")  # holds the write lock
    database.execute("UPDATE django_migrations SET app = app WHERE id = 1")
    release = threading.Timer(2.0, database.rollback)
    release.start()
    start = time.monotonic()
    page = server.get(f"/cases/{number}/")[0]
    page_time = time.monotonic() - start
    post = server.post_form(
        "/feedback/", {"path": "/", "useful": "false"}, {"X-Forwarded-For": "203.0.113.90"}
    )[0]
    post_time = time.monotonic() - start
    release.join()
    database.close()
    report(
        "SQLite write-locked for 2 s",
        page == 200 and post in (200, 302),
        f"a page {page} in {page_time:.2f} s, a post {post} after {post_time:.2f} s",
    )


def upload(server: served.Server, number: int) -> None:
    for _ in range(6):
        server.get(f"/cases/{number}/update/")
    before = {pid: served.rss_kb(pid) for pid in server.worker_pids()}
    status = served.post_huge(server.port, f"/cases/{number}/update/", 100 * 1024 * 1024)
    after = {pid: served.rss_kb(pid) for pid in server.worker_pids()}
    growth = max(after[p] - before.get(p, after[p]) for p in after) / 1024
    report(
        "100 MB upload",
        status == 413 and growth < 5,
        f"answered {status}; workers' memory grew by at most {growth:.1f} MB",
    )


def export_memory(server: served.Server) -> None:
    pids = server.worker_pids()
    before = {pid: (served.rss_kb(pid), served.hwm_kb(pid)) for pid in pids}
    start = time.monotonic()
    status, body = server.get("/cases/export.json")
    first = time.monotonic() - start
    start = time.monotonic()
    again = server.get("/cases/export.json")[1]
    second = time.monotonic() - start
    peak = max(served.hwm_kb(pid) - before[pid][1] for pid in pids) / 1024
    count = json.loads(body)["count"]
    report(
        "export streams",
        status == 200 and peak < 40 and len(again) == len(body),
        f"/cases/export.json {count:,} cases, {len(body) / 1e6:.1f} MB: first {first:.2f} s, "
        f"then {second:.2f} s from the file; workers' peak memory rose {peak:.1f} MB",
    )


def read_only_post(work: Path) -> None:
    import psycopg

    name = "collanavi_harden_faults"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        print("skipped read-only database: no PostgreSQL at", PG_ADMIN)
        return
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        env = production(work, DATABASE_URL=url, DB_CONN_MAX_AGE="0")
        served.manage(env, "migrate", "-v0")
        number = served.manage(
            env,
            code="from tests import factories; "
            "print(factories.case(title='読み取り専用の事例').number)",
        )
        with served.Server(env) as server:
            server.get("/")
            admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
            text = "読み取り専用のときに送った問い合わせ本文"
            inquiry = {
                "kind": "question",
                "name": "房総 太郎",
                "email": "taro@example.jp",
                "message": text,
                "consent": "on",
            }
            status, body, _ = server.post_form("/inquiries/new/", inquiry, page="/about/")
            kept = text in body.decode(errors="replace")
            feedback = server.post_form("/feedback/", {"path": "/", "useful": "true"})[0]
            page = server.get(f"/cases/{number}/")[0]
            ready = server.get("/readyz")
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    report(
        "read-only database on a post (PostgreSQL)",
        status == 200 and kept,
        f"inquiry post {status}, its text shown again: {kept}; feedback post {feedback}; "
        f"a page {page}; /readyz {ready[0]} {json.loads(ready[1])['database']}",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000, help="synthetic cases beside the demo")
    parser.add_argument("--dir", help="a folder to build the site in, or to reuse it from")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="collanavi-faults-"))
    work.mkdir(exist_ok=True)
    env = production(work)
    started = time.monotonic()
    numbers = prepare(work, args.cases, env)
    print(
        f"site: {work} ({time.monotonic() - started:.0f} s to build), gunicorn 2 workers, "
        "DEBUG off, TRUSTED_PROXY_COUNT=1",
        flush=True,
    )
    with served.Server(env) as server:
        assert server.started, server.stop()
        spoofing_and_lockout(server)
        shared_without_redis(server, env, numbers[0])
        sqlite_locked(server, work, numbers[1])
        upload(server, numbers[1])
        export_memory(server)
    redis_stopped(work, numbers[1])
    junk_queries(work)
    read_only_post(work)
    print(f"{sum(held)} of {len(held)} held")


if __name__ == "__main__":
    main()
