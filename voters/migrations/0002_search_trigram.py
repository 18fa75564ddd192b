"""Trigram index on the folded search text, on PostgreSQL only (SQLite has no pg_trgm)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS petition_search_trgm ON voters_petition USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS petition_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("voters", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
