"""Trigram index on the folded search text (PostgreSQL only; SQLite searches without it)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS charters_charter_search_trgm "
        "ON charters_charter USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS charters_charter_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("charters", "0003_charter_scan_task_queryset")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
