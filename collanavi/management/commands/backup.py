"""Write every record and media file to one .tar.gz that `restore` can read back."""

import io
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

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


class Command(BaseCommand):
    help = "データベースの全データとメディア（写真）を1つの .tar.gz に書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="書き出すファイル（例：backup.tar.gz）")

    def handle(self, *args, archive: Path, **options):
        data = io.StringIO()
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDED,
            indent=None,
            stdout=data,
        )
        payload = data.getvalue().encode("utf-8")
        folders = {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}
        with tarfile.open(archive, "w:gz") as tar:
            info = tarfile.TarInfo("data.json")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
            for name, folder in folders.items():
                if folder.is_dir():
                    tar.add(folder, arcname=name)
        self.stdout.write(f"{archive} に書き出しました（データ {len(payload):,} バイト）。")
