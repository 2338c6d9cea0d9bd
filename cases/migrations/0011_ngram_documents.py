"""PostgreSQL: the texts the keyword index checks longer terms on, in a narrow table of their
own (kernel.ngram); nothing to do on SQLite."""

from django.db import migrations

from kernel import ngram


def forward(apps, schema_editor):
    ngram.add_documents(apps.get_model("cases", "Case"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_bound_book")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
