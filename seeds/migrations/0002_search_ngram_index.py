"""The keyword n-gram index of seeds (kernel.ngram), as cases and organizations have."""

from django.db import migrations

from kernel import ngram


def forward(apps, schema_editor):
    seed = apps.get_model("seeds", "Seed")
    ngram.create(seed)
    ngram.rebuild(seed)


def backward(apps, schema_editor):
    ngram.drop(apps.get_model("seeds", "Seed"))


class Migration(migrations.Migration):
    dependencies = [("seeds", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
