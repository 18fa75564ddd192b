"""On PostgreSQL the audit log cannot be rewritten: not by the site's role (no rights, owns nothing), not by
the tables' owner (triggers), and deleting the accounts or units it names rewrites nothing."""

# ruff: noqa: S608 - the SQL is built from this module's constants only.

import re

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from coordination import services
from coordination.db_roles import AUDIT_TABLE, site_role_grant

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and triggers are PostgreSQL's"),
]

TAMPERING = {
    "UPDATE": f"UPDATE {AUDIT_TABLE} SET summary = 'tampered'",
    "DELETE": f"DELETE FROM {AUDIT_TABLE}",
    "TRUNCATE": f"TRUNCATE {AUDIT_TABLE}",
    "TRUNCATE CASCADE": f"TRUNCATE {AUDIT_TABLE} CASCADE",
    "DROP TRIGGER": f"DROP TRIGGER coordination_auditevent_append_only ON {AUDIT_TABLE}",
    "DROP TRUNCATE TRIGGER": f"DROP TRIGGER coordination_auditevent_no_truncate ON {AUDIT_TABLE}",
    "DISABLE TRIGGER": f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER ALL",
    "DROP TABLE": f"DROP TABLE {AUDIT_TABLE} CASCADE",
    "REPLACE TRIGGER FUNCTION": (
        "CREATE OR REPLACE FUNCTION coordination_audit_append_only() RETURNS trigger AS $$ "
        "BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql"
    ),
}


def _fails(sql):
    """The error PostgreSQL answers `sql` with (None if it ran), leaving the transaction usable."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as exc:
        return str(exc)
    return None


def _audit_rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, summary, actor_id, actor_name FROM {AUDIT_TABLE} ORDER BY id")
        return cursor.fetchall()


@pytest.fixture
def site_role():
    """The harness's site role (granted by the migrations that built this database), or one made here
    and granted the same way when the suite runs without the harness."""
    role = settings.DATABASE_SITE_ROLE
    if not role:
        role = "phoihop_test_site"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER")  # rolled back with the test
        site_role_grant(connection, role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        assert cursor.fetchone() == (False,), "a superuser bypasses every privilege: the proof would be void"
    return role


@pytest.fixture
def acting_as():
    """Run the block's statements as `role` (SET ROLE: privileges are checked against it, as on a login)."""
    from contextlib import contextmanager

    @contextmanager
    def act(role):
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")

    return act


def test_the_site_role_can_work_and_append_but_not_rewrite_the_audit_log(site_role, acting_as, clerk):
    with transaction.atomic():
        services.user_profile_update(actor=clerk, user=clerk, position="Chuyên viên")
    before = _audit_rows()

    with acting_as(site_role):
        # The site works: a service writes its row and its audit entry.
        services.user_profile_update(actor=clerk, user=clerk, position="Chuyên viên chính")
        errors = {name: _fails(sql) for name, sql in TAMPERING.items()}

    assert all(errors.values()), f"ran as the site role: {[name for name, error in errors.items() if not error]}"
    for name in ("UPDATE", "DELETE", "TRUNCATE", "TRUNCATE CASCADE"):
        assert "permission denied" in errors[name], errors[name]
    for name in ("DROP TRIGGER", "DROP TRUNCATE TRIGGER", "DISABLE TRIGGER", "DROP TABLE"):
        assert "must be owner" in errors[name], errors[name]
    # No CREATE on the schema (PostgreSQL 15+) or not the function's owner, whichever is checked first.
    assert re.search("must be owner|permission denied", errors["REPLACE TRIGGER FUNCTION"])
    after = _audit_rows()
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1


def test_public_has_no_right_to_rewrite_the_audit_log():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = %s AND grantee = 'PUBLIC'",
            [AUDIT_TABLE],
        )
        assert not {row[0] for row in cursor.fetchall()} & {"UPDATE", "DELETE", "TRUNCATE"}


def test_the_tables_owner_is_refused_by_the_triggers(acting_as, clerk):
    """The owner (who runs the migrations, not a superuser in production) keeps its rights but the
    triggers refuse UPDATE, DELETE and TRUNCATE."""
    with transaction.atomic():
        services.user_profile_update(actor=clerk, user=clerk, position="Chuyên viên")
    before = _audit_rows()
    with connection.cursor() as cursor:
        # Rolled back with the test: a non-superuser owner of the audit table, as in production.
        cursor.execute("CREATE ROLE phoihop_test_owner NOLOGIN NOSUPERUSER")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred FK check
        cursor.execute(f"ALTER TABLE {AUDIT_TABLE} OWNER TO phoihop_test_owner")

    with acting_as("phoihop_test_owner"):
        errors = {name: _fails(TAMPERING[name]) for name in ("UPDATE", "DELETE", "TRUNCATE", "TRUNCATE CASCADE")}

    for name, error in errors.items():
        assert error and "audit log is append-only" in error, (name, error)
    assert _audit_rows() == before


@pytest.mark.parametrize(
    ("role", "message"),
    [("phoihop_no_such_role", "does not exist"), ("postgres_superuser", "superuser"), (None, "running the migrations")],
)
def test_a_site_role_that_would_void_the_protection_is_refused(role, message):
    from django.core.exceptions import ImproperlyConfigured

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        current_user = cursor.fetchone()[0]
        if role == "postgres_superuser":
            role = "phoihop_test_superuser"
            cursor.execute(f"CREATE ROLE {role} NOLOGIN SUPERUSER")  # rolled back with the test
    with pytest.raises(ImproperlyConfigured, match=message):
        site_role_grant(connection, role or current_user)
