"""The audit log keeps who and which unit by name, never loses a row to a deleted account or unit (PROTECT:
SET_NULL would have to UPDATE append-only rows), and, on PostgreSQL, refuses TRUNCATE too: a statement
trigger for the owner, revoked rights for PUBLIC and the site's role (DATABASE_SITE_ROLE)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TRIGGER = """
CREATE OR REPLACE FUNCTION coordination_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    -- A superuser can drop or disable this trigger anyway; letting it through keeps `manage.py flush`
    -- (the test database's reset) working. Everyone else, the tables' owner included, is refused.
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER coordination_auditevent_no_truncate
    BEFORE TRUNCATE ON coordination_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION coordination_audit_no_truncate();
"""

REVERSE = """
DROP TRIGGER IF EXISTS coordination_auditevent_no_truncate ON coordination_auditevent;
DROP FUNCTION IF EXISTS coordination_audit_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGGER, params=None)  # no params: the "%" is PL/pgSQL, not a placeholder
    # The same as coordination.db_roles.audit_revoke, written out so this migration never changes with it.
    quote = schema_editor.connection.ops.quote_name
    role = getattr(settings, "DATABASE_SITE_ROLE", "")
    grantees = ", ".join(["PUBLIC"] + ([quote(role)] if role else []))
    schema_editor.execute(
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON coordination_auditevent FROM {grantees}"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0005_reminder_scan_watermark"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Adding a column with a default rewrites no row (PostgreSQL 11+): the UPDATE trigger is not fired.
        migrations.AddField(
            model_name="auditevent",
            name="actor_name",
            field=models.CharField(blank=True, default="", max_length=255, verbose_name="by (name then)"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="unit_name",
            field=models.CharField(blank=True, default="", max_length=255, verbose_name="unit (name then)"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="coordination.administrativeunit",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
