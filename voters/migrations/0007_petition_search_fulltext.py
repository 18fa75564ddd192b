"""Full-text search over the folded search text, on PostgreSQL only (SQLite, the embedded default, keeps
searching the folded text with LIKE).

`search_vector` is a stored generated column, `to_tsvector('simple', search_text)` ('simple': no stemming,
no stop words; the text is already lower case without diacritics), with a GIN index. Stored rather than an
index over the expression: a plan that walks the received-date index (a common word) checks the match on
each row it reads, and parsing the text there cost ~30 µs a row (~35 ms for the 1,000 rows a capped count
reads); the stored vector is checked in ~1 µs. PostgreSQL computes the column on every INSERT and UPDATE
(the services, the batch import, the load generator's COPY): nothing writes it. It is not a model field:
only `voters.selectors.FoldedTextMatches` reads it. ANALYZE keeps statistics of its words, so the planner
tells a common word ("nghi": most petitions) from a rare one.

Adding the column rewrites the table (about a minute per million petitions)."""

from django.db import migrations

COLUMN = "search_vector"
INDEX = "petition_search_fts"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE voters_petition ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON voters_petition USING gin ({COLUMN})")
    # The rewrite emptied the visibility map (the list's counts are index-only scans that need it), and the
    # planner's word statistics of the new column exist only after ANALYZE. VACUUM runs outside a
    # transaction: this migration is not atomic.
    schema_editor.execute("VACUUM (ANALYZE) voters_petition")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE voters_petition DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("voters", "0006_petition_publication")]

    operations = [migrations.RunPython(forwards, backwards)]
