from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0003_move_proposal_photos_to_private_storage"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReceiptCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prefix", models.CharField(max_length=4, verbose_name="種類の記号")),
                ("year", models.PositiveIntegerField(verbose_name="年度")),
                ("last", models.PositiveIntegerField(default=0, verbose_name="最後の番号")),
            ],
            options={
                "verbose_name": "受付番号の連番",
                "verbose_name_plural": "受付番号の連番",
            },
        ),
        migrations.AddConstraint(
            model_name="receiptcounter",
            constraint=models.UniqueConstraint(
                fields=("prefix", "year"), name="receipt_counter_unique"
            ),
        ),
        migrations.AddField(
            model_name="inquiry",
            name="receipt_number",
            field=models.CharField(
                blank=True, editable=False, max_length=20, verbose_name="受付番号"
            ),
        ),
        migrations.AddField(
            model_name="updateproposal",
            name="receipt_number",
            field=models.CharField(
                blank=True, editable=False, max_length=20, verbose_name="受付番号"
            ),
        ),
        migrations.AddConstraint(
            model_name="inquiry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("receipt_number", ""), _negated=True),
                fields=("receipt_number",),
                name="inquiry_receipt_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="updateproposal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("receipt_number", ""), _negated=True),
                fields=("receipt_number",),
                name="proposal_receipt_unique",
            ),
        ),
    ]
