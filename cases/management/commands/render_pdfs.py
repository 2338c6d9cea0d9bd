"""Lay out every published case's PDF again where it is out of date (templates, CSS, font)."""

from django.core.management.base import BaseCommand

from cases import tasks
from cases.models import Case


class Command(BaseCommand):
    help = (
        "公開中の全事例のPDFを、内容・テンプレート・CSS・フォントが変わったものだけ作り直します"
        "（既定ではワーカーに依頼します。--now はこのプロセスで作ります）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="ワーカーに頼まず、このプロセスで順に作る"
        )

    def handle(self, *args, now: bool, **options):
        if not now:
            tasks.refresh_all()
            self.stdout.write("公開中の全事例のPDFの作成をワーカーに依頼しました。")
            return
        pks = list(Case.objects.published().order_by("number").values_list("pk", flat=True))
        laid_out = sum(tasks.render_case_pdf.call(pk) for pk in pks)
        self.stdout.write(f"{len(pks):,}件中 {laid_out:,}件のPDFを作り直しました。")
