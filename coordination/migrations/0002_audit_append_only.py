"""On PostgreSQL, refuse UPDATE and DELETE on the audit log at the database level."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION coordination_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER coordination_auditevent_append_only
    BEFORE UPDATE OR DELETE ON coordination_auditevent
    FOR EACH ROW EXECUTE FUNCTION coordination_audit_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS coordination_auditevent_append_only ON coordination_auditevent;
DROP FUNCTION IF EXISTS coordination_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)  # no params: the "%" is PL/pgSQL, not a placeholder


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("coordination", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
