"""Replace every record and media file with those of a `backup` archive, or (--check) restore
it on a scratch database and media folders and compare."""

import tarfile
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from collanavi import backups
from kernel import feed


class Command(BaseCommand):
    help = (
        "backup で書き出した .tar.gz から全データとメディアを復元します（既存のデータは消えます）。"
        "--check は一時的なデータベースに復元して中身と比べるだけで、今のデータには触れません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="確認せずに上書きする")
        parser.add_argument(
            "--check",
            action="store_true",
            help="一時的なデータベースに復元し、件数とファイルをバックアップと比べる",
        )

    def handle(self, *args, archive: Path, yes: bool, check: bool, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} が見つかりません。")
        if check:
            return self.compare(archive)
        if not yes:
            raise CommandError(
                "既存のデータはすべて置き換わります。よろしければ --yes を付けてください。"
            )
        with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")  # refuses absolute paths and links out of tmp
            data = Path(tmp) / backups.DATA
            if not data.is_file():
                raise CommandError(f"バックアップに {backups.DATA} がありません。")
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                # The backup holds the history as it was: loading it writes none of its own
                # (on PostgreSQL, new history rows took the numbers of the restored ones).
                with override_settings(SIMPLE_HISTORY_ENABLED=False), feed.bulk():
                    call_command("loaddata", str(data), verbosity=0)
                # feed.bulk: nothing recorded row by row, then every index and cache anew
            for name, folder in backups.media_folders().items():
                restored = Path(tmp) / name
                for path in restored.rglob("*") if restored.is_dir() else []:
                    if path.is_file():
                        target = folder / path.relative_to(restored)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(path.read_bytes())
        self.stdout.write(f"{archive} から復元しました。")

    def compare(self, archive: Path) -> None:
        try:
            differences = backups.check(archive)
        except (tarfile.TarError, backups.RestoreFailed) as error:
            raise CommandError(f"復元の確認：復元できませんでした（{error}）") from error
        for line in differences:
            self.stdout.write(line)
        if differences:
            raise CommandError(f"復元の確認：違いが {len(differences)} 件あります")
        self.stdout.write("復元の確認：問題ありません")
