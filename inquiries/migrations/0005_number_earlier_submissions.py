"""Give the inquiries and proposals received before 受付番号 existed their numbers, in the
order they came, and leave the counters where the next one continues."""

from django.db import migrations
from django.utils import timezone


def _fiscal_year(moment) -> int:
    day = timezone.localtime(moment).date()
    return day.year if day.month >= 4 else day.year - 1


def forward(apps, schema_editor):
    Counter = apps.get_model("inquiries", "ReceiptCounter")
    for model, prefix in (("Inquiry", "Q"), ("UpdateProposal", "U")):
        rows = apps.get_model("inquiries", model).objects.filter(receipt_number="")
        for row in rows.order_by("created_at", "pk"):
            year = _fiscal_year(row.created_at)
            counter, _ = Counter.objects.get_or_create(prefix=prefix, year=year)
            counter.last += 1
            counter.save(update_fields=["last"])
            row.receipt_number = f"{prefix}-{year}-{counter.last:06d}"
            row.save(update_fields=["receipt_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0004_receipt_numbers"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
