"""The site's PostgreSQL role: it reads and writes every table but may only add to the audit log.

The tables belong to the role that runs `manage.py migrate` (the owner); the site runs under another role,
named by the setting DATABASE_SITE_ROLE, which owns nothing, so it can neither drop the audit log's triggers
nor UPDATE, DELETE or TRUNCATE its rows. After every `migrate` (post_migrate), the owner grants that role
what the site needs on every table, the new ones included, and takes the audit log's rights back.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

AUDIT_TABLE = "coordination_auditevent"


def _role_is_superuser(cursor, role):
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        raise ImproperlyConfigured(
            f"DATABASE_SITE_ROLE {role!r} does not exist: create it (docker/postgres-init/10-roles.sh) first."
        )
    return bool(row[0])


def audit_revoke(connection, role=None):
    """Nobody but the owner may change the audit log: UPDATE, DELETE and TRUNCATE (and REFERENCES,
    TRIGGER) are revoked from PUBLIC and from the site's role."""
    quote = connection.ops.quote_name
    grantees = ["PUBLIC"] + ([quote(role)] if role else [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(AUDIT_TABLE)} FROM {', '.join(grantees)}"
        )


def site_role_grant(connection, role):
    """Give `role` what the site needs on every table and sequence of the schema, then revoke the audit log's
    rights (idempotent: run after every migration, so tables added later are granted too)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_schema()")
        current_user, schema = cursor.fetchone()
        if role == current_user:
            raise ImproperlyConfigured(
                f"DATABASE_SITE_ROLE is {role!r}, the role running the migrations: the site must run under "
                "a role that does not own the tables (see README, Deployment)."
            )
        if _role_is_superuser(cursor, role):
            raise ImproperlyConfigured(
                f"DATABASE_SITE_ROLE {role!r} is a PostgreSQL superuser, which no privilege binds: "
                "use a role created NOSUPERUSER."
            )
        cursor.execute(f"GRANT USAGE ON SCHEMA {quote(schema)} TO {quote(role)}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quote(schema)} TO {quote(role)}")
        cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {quote(role)}")
    audit_revoke(connection, role)


def grant_after_migrate(sender, using, **kwargs):
    """post_migrate receiver: on PostgreSQL with DATABASE_SITE_ROLE set, grant the site's role."""
    from django.db import connections

    role = getattr(settings, "DATABASE_SITE_ROLE", "")
    connection = connections[using]
    if not role or connection.vendor != "postgresql":
        return
    site_role_grant(connection, role)
