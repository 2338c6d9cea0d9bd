"""The keyword n-gram index of organizations (kernel.ngram), filled from the stored search texts."""

from django.db import migrations

from kernel import ngram


def forward(apps, schema_editor):
    organization = apps.get_model("partners", "Organization")
    ngram.create(organization)
    ngram.rebuild(organization)


def backward(apps, schema_editor):
    ngram.drop(apps.get_model("partners", "Organization"))


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_administrators_publish_organizations")]
    operations = [migrations.RunPython(forward, backward)]
