from django.conf import settings
from django.core.management.base import BaseCommand

from inquiries.services import purge_old_inquiries


class Command(BaseCommand):
    help = "保存期間（INQUIRY_RETENTION_DAYS）を過ぎたお問い合わせ（個人情報）を削除します。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.INQUIRY_RETENTION_DAYS)

    def handle(self, *args, days: int, **options):
        deleted = purge_old_inquiries(days=days)
        self.stdout.write(f"{days}日より前のお問い合わせを{deleted}件削除しました。")
