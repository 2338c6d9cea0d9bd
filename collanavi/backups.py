"""What a backup archive holds, and `restore --check`: restore it on a scratch site and compare."""

import datetime
import hashlib
import json
import os
import secrets
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

from django.apps import apps
from django.conf import settings
from django.core.serializers import json as django_json
from django.db import connection, models

from kernel.models import Change
from kernel.storage import private_storage

DATA = "data.json"  # loaddata reads it as Django's JSON
FORMAT = "backup-json"  # written as Django's JSON, but with times to the microsecond
MANAGE = Path(settings.BASE_DIR) / "manage.py"
# Rebuilt by migrate/flush on the target, or worthless there (case PDFs: `render_pdfs`).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "cases.casepdf",
    "cases.boundbook",
    "django_tasks_database",
]


class RestoreFailed(Exception):
    """A step of the scratch restore failed; the message is its last line of errors."""


class _Encoder(django_json.DjangoJSONEncoder):
    """Times in full (Django's JSON cuts them to milliseconds: history would come back altered)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    """The FORMAT serializer (registered by `backup`)."""

    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = _Encoder


Deserializer = django_json.Deserializer


def media_folders() -> dict[str, Path]:
    """The archive's folder for each media root: public photos, and files only staff may see."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def counts(objects: list[dict]) -> Counter:
    """Rows per model ("cases.Case") in a dumpdata list."""
    return Counter(apps.get_model(row["model"])._meta.label for row in objects)


def named_files(objects: list[dict]) -> set[str]:
    """The media files the records name ("media/cases/photos/1.jpg"); history rows left out, as
    a deleted photo's history may name a file that is gone."""
    found = set()
    for row in objects:
        model = apps.get_model(row["model"])
        if hasattr(model, "instance_type"):  # a django-simple-history model
            continue
        for field in model._meta.fields:
            if isinstance(field, models.FileField) and row["fields"].get(field.name):
                private = getattr(field, "_storage_callable", None) is private_storage
                found.add(f"{'private' if private else 'media'}/{row['fields'][field.name]}")
    return found


def digests(folders: dict[str, Path]) -> dict[str, str]:
    """sha256 of every file under the folders, by its name in an archive ("media/...")."""
    return {
        f"{name}/{path.relative_to(folder).as_posix()}": hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for name, folder in folders.items()
        for path in (folder.rglob("*") if folder.is_dir() else [])
        if path.is_file()
    }


def check(archive: Path) -> list[str]:
    """Restore `archive` on a scratch database and media folders (never the live ones) and
    return its differences from the archive, one line each (Japanese, for the report)."""
    with tempfile.TemporaryDirectory(prefix="restore-check-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work / "archive", filter="data")
        if not (work / "archive" / DATA).is_file():
            raise RestoreFailed(f"バックアップに {DATA} がありません")
        backed_up = json.loads((work / "archive" / DATA).read_text("utf-8"))
        in_archive = digests({name: work / "archive" / name for name in media_folders()})
        restored_folders = {name: work / "site" / name for name in media_folders()}
        dump = ["dumpdata", "--natural-foreign", "--natural-primary", "-o", str(work / "dump.json")]
        with scratch_site(work / "site") as env:
            _manage(
                env,
                ["migrate", "--noinput"],
                ["restore", str(archive.resolve()), "--yes"],
                [*dump, *(f"--exclude={label}" for label in EXCLUDED)],
            )
        restored = json.loads((work / "dump.json").read_text("utf-8"))
        restored_files = digests(restored_folders)
    # A restore records its rebuild in the change feed, after the archive's last change.
    feed = Change._meta.label_lower
    last_change = max((r["pk"] for r in backed_up if r["model"] == feed), default=0)
    restored = [r for r in restored if r["model"] != feed or r["pk"] <= last_change]
    return _count_lines(counts(backed_up), counts(restored)) + _file_lines(
        named_files(backed_up), in_archive, restored_files
    )


def _count_lines(backed_up: Counter, restored: Counter) -> list[str]:
    lines = []
    for label in sorted(backed_up.keys() | restored.keys()):
        if backed_up[label] != restored[label]:
            lines.append(
                f"{_name(apps.get_model(label))}（{label}）：バックアップ {backed_up[label]:,}件、"
                f"復元後 {restored[label]:,}件"
            )
    return lines


def _name(model: type[models.Model]) -> str:
    """The model's name in Japanese; a history table's is 「協働事例の履歴」."""
    if not hasattr(model, "instance_type"):
        return str(model._meta.verbose_name)
    if model.instance_type._meta.auto_created:  # the history of a many-to-many field
        model = model._meta.get_field("history").related_model
    return f"{model.instance_type._meta.verbose_name}の履歴"


def _file_lines(named: set[str], in_archive: dict[str, str], restored: dict[str, str]) -> list[str]:
    lines = []
    for name in sorted(named | in_archive.keys() | restored.keys()):
        if name not in in_archive and name in named:
            lines.append(f"ファイル {name}：記録にありますがバックアップにありません")
        elif name not in in_archive:
            lines.append(f"ファイル {name}：バックアップにないのに復元後にあります")
        elif name not in restored:
            lines.append(f"ファイル {name}：復元されていません")
        elif restored[name] != in_archive[name]:
            lines.append(f"ファイル {name}：復元後の内容が違います")
    return lines


# Runs management commands one after another in one process: Django starts once, not thrice.
_COMMANDS = """
import json, sys
import django
django.setup()
from django.core.management import call_command
for args in json.loads(sys.argv[1]):
    print(args[0], file=sys.stderr, flush=True)
    call_command(*args)
"""


def _manage(env: dict, *commands: list[str]) -> None:
    """Run these manage.py commands, in order, in one new process on the scratch site."""
    done = subprocess.run(
        [sys.executable, "-c", _COMMANDS, json.dumps(commands)],
        env=env, capture_output=True, text=True, cwd=MANAGE.parent,
    )  # fmt: skip
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["(出力なし)"]
        started = [line for line in lines if line in {c[0] for c in commands}]
        name = started[-1] if started else commands[0][0]
        raise RestoreFailed(f"{name} が失敗しました：{lines[-1]}")


@contextmanager
def scratch_site(work: Path) -> Iterator[dict]:
    """The environment of a site on a new, empty database (a SQLite file in `work`, or a
    PostgreSQL database created here and dropped after) and media folders in `work`."""
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}  # nothing shared with live
    env.update(
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "collanavi.settings"),
        MEDIA_ROOT=str(work / "media"),
        PRIVATE_MEDIA_ROOT=str(work / "private"),
        EXPORT_CACHE_DIR=str(work / "exports"),
    )
    if connection.vendor == "sqlite":
        yield {**env, "DATABASE_URL": f"sqlite:///{work / 'check.sqlite3'}"}
        return
    if connection.vendor != "postgresql":
        raise RestoreFailed(f"{connection.vendor} には対応していません")
    # Named after the live database (so worktrees and test workers never share one), unique.
    name = f"{connection.settings_dict['NAME'][:40]}_check_{secrets.token_hex(4)}"
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        yield {**env, "DATABASE_URL": _postgres_url(connection.settings_dict, name)}
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")


def _postgres_url(params: dict, name: str) -> str:
    """A DATABASE_URL for database `name` on the server (and as the user) of `params`."""
    user, password = quote(params.get("USER") or "", safe=""), params.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = quote(params.get("HOST") or "", safe="")
    port = f":{params['PORT']}" if params.get("PORT") else ""
    options = {k: v for k, v in params.get("OPTIONS", {}).items() if isinstance(v, str)}
    query = f"?{urlencode(options)}" if options else ""
    return f"postgres://{auth}{host}{port}/{quote(name, safe='')}{query}"
