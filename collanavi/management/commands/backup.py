"""Write every record and media file to one .tar.gz that `restore` can read back."""

import io
import tarfile
from pathlib import Path

from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand

from collanavi.backups import DATA, EXCLUDED, FORMAT, media_folders


class Command(BaseCommand):
    help = "データベースの全データとメディア（写真）を1つの .tar.gz に書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="書き出すファイル（例：backup.tar.gz）")

    def handle(self, *args, archive: Path, **options):
        data = io.StringIO()
        serializers.register_serializer(FORMAT, "collanavi.backups")
        call_command(
            "dumpdata",
            format=FORMAT,
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDED,
            indent=None,
            stdout=data,
        )
        payload = data.getvalue().encode("utf-8")
        with tarfile.open(archive, "w:gz") as tar:
            info = tarfile.TarInfo(DATA)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
            for name, folder in media_folders().items():
                if folder.is_dir():
                    tar.add(folder, arcname=name)
        self.stdout.write(f"{archive} に書き出しました（データ {len(payload):,} バイト）。")
