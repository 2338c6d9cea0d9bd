"""PostgreSQL: the texts the keyword index checks longer terms on, in a narrow table of their
own (kernel.ngram); nothing to do on SQLite."""

from django.db import migrations

from kernel import ngram


def forward(apps, schema_editor):
    ngram.add_documents(apps.get_model("partners", "Organization"))


class Migration(migrations.Migration):
    dependencies = [("partners", "0007_search_ngram_index")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
