"""On PostgreSQL, a pg_trgm GIN index makes LIKE '%term%' on the search text fast."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS case_search_text_trgm "
        "ON cases_case USING gin (search_text gin_trgm_ops)"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_standard_taxonomies")]
    operations = [migrations.RunPython(forward, backward)]
