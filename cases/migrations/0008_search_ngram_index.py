"""The keyword n-gram index of cases (kernel.ngram), filled from the stored search texts."""

from django.db import migrations

from kernel import ngram


def forward(apps, schema_editor):
    case = apps.get_model("cases", "Case")
    ngram.create(case)
    ngram.rebuild(case)


def backward(apps, schema_editor):
    ngram.drop(apps.get_model("cases", "Case"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_case_start_year_idx")]
    operations = [migrations.RunPython(forward, backward)]
