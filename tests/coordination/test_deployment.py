"""docker-compose.yml and the Dockerfile point at things that exist, and pass only settings the code reads."""

import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from django.core.management import get_commands

from tests.realparts import wait_until

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
# The services running this project's image (the others are stock postgres/redis images).
APP_SERVICES = {name: service for name, service in SERVICES.items() if "build" in service}


def settings_variable_names():
    """Every environment variable coordination/settings.py reads (NAME_FILE too where it reads secrets)."""
    source = (ROOT / "coordination" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    secrets = set(re.findall(r"\benv_secret\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    return names | secrets | {f"{name}_FILE" for name in secrets}


def command_of(service):
    command = service.get("command", [])
    return command.split() if isinstance(command, str) else list(command)


def test_app_services_are_migrate_web_worker_and_beat():
    assert {command_of(service)[0] for service in APP_SERVICES.values()} == {"migrate", "web", "worker", "beat"}


def test_exactly_one_beat():
    beats = [name for name, service in SERVICES.items() if "beat" in command_of(service)]
    assert beats == ["beat"]
    assert SERVICES["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_every_environment_variable_is_read_by_the_settings():
    known = settings_variable_names()
    for name, service in APP_SERVICES.items():
        unknown = set(service["environment"]) - known
        assert not unknown, f"{name} sets variables coordination/settings.py never reads: {sorted(unknown)}"


def test_production_settings_are_set():
    environment = SERVICES["web"]["environment"]
    assert environment["DEBUG"] == "0"
    assert environment["SECRET_KEY_FILE"].startswith("/run/secrets/")
    assert environment["DATABASE_URL_FILE"].startswith("/run/secrets/")
    assert environment["STATICFILES_BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert not environment["MEDIA_ROOT"].startswith(environment["STATIC_ROOT"])
    for name in ("web", "worker"):
        mounts = [volume.split(":")[1] for volume in SERVICES[name]["volumes"]]
        assert SERVICES[name]["environment"]["MEDIA_ROOT"] in mounts


def test_every_service_is_health_checked_or_waits_for_healthy_ones():
    for name, service in SERVICES.items():
        depends_on = service.get("depends_on", {})
        for dependency, condition in depends_on.items():
            if dependency == "migrate":  # a one-shot job: waited for until it exits successfully
                assert condition == {"condition": "service_completed_successfully"}, f"{name} → {dependency}"
                continue
            assert condition == {"condition": "service_healthy"}, f"{name} → {dependency}"
            assert "healthcheck" in SERVICES[dependency], f"{name} waits for {dependency}, which has no healthcheck"
        assert "healthcheck" in service or depends_on, name
    for name in ("migrate", "web", "worker", "beat"):
        assert {"postgres", "redis"} & set(SERVICES[name]["depends_on"]), name
    assert SERVICES["migrate"].get("restart") == "no"


def _secret_file(service, variable):
    path = service["environment"][variable]
    assert path.startswith("/run/secrets/"), path
    secret = path.removeprefix("/run/secrets/")
    assert secret in service["secrets"], f"{variable} names a secret the service does not mount"
    return secret


def test_migrations_run_as_the_owner_and_the_site_as_its_own_role():
    """Only the one-shot `migrate` holds the owner's URL; web, worker and beat run as the site's role, which
    the migrations grant (DATABASE_SITE_ROLE) and the database's init script creates, not a superuser."""
    migrate = SERVICES["migrate"]
    assert command_of(migrate) == ["migrate"]
    assert _secret_file(migrate, "DATABASE_URL_FILE") == "database_owner_url"
    site_role = re.fullmatch(r"\$\{DATABASE_SITE_ROLE:-(\w+)\}", migrate["environment"]["DATABASE_SITE_ROLE"]).group(1)
    for name in ("web", "worker", "beat"):
        assert _secret_file(SERVICES[name], "DATABASE_URL_FILE") == "database_url", name
        assert "database_owner_url" not in SERVICES[name]["secrets"], f"{name} must not hold the owner's URL"
        assert "DATABASE_SITE_ROLE" not in SERVICES[name]["environment"], name
    assert SERVICES["web"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert "migrate" not in ENTRYPOINT.read_text(encoding="utf-8").split("web)", 1)[1].split(";;", 1)[0]

    postgres = SERVICES["postgres"]
    assert {"database_owner_url", "database_url"} <= set(postgres["secrets"])
    init_dir = next(volume.split(":")[0] for volume in postgres["volumes"] if "docker-entrypoint-initdb.d" in volume)
    script = (ROOT / init_dir / "10-roles.sh").read_text(encoding="utf-8")
    assert "/run/secrets/database_owner_url" in script and "/run/secrets/database_url" in script
    assert script.count("NOSUPERUSER") == 2
    # The README's recipe names the same site role as the migrations grant.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"postgres://{site_role}:" in readme
    assert "postgres://phoihop_owner:" in readme


def test_secrets_and_volumes_are_declared():
    for name, service in SERVICES.items():
        for secret in service.get("secrets", []):
            assert secret in COMPOSE["secrets"], f"{name} uses undeclared secret {secret}"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):  # a bind mount of this repository's files
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"
                continue
            assert source in COMPOSE["volumes"], f"{name} mounts undeclared volume {source}"


def test_beat_keeps_its_schedule_file_on_a_volume():
    """A beat recreated across the scan time must know what already ran: its schedule is not in /tmp."""
    schedule = re.search(r"beat\b.*--schedule\s+(\S+)", ENTRYPOINT.read_text(encoding="utf-8")).group(1)
    directory = str(Path(schedule).parent)
    assert not schedule.startswith("/tmp/")
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in SERVICES["beat"].get("volumes", [])}
    assert directory in mounts, f"{directory} is not a volume of the beat service"
    assert mounts[directory] in COMPOSE["volumes"]
    # The image creates it owned by the unprivileged user (a named volume copies that on first mount).
    assert re.search(rf"mkdir -p [^\n]*{re.escape(directory)}", DOCKERFILE)


def test_health_checks_use_the_readiness_answer():
    from django.urls import resolve

    from coordination import views

    assert resolve("/healthz").func is views.healthz
    assert resolve("/healthz/ready").func is views.healthz
    assert resolve("/healthz/live").func is views.healthz_live
    source = (ROOT / "docker" / "healthcheck.py").read_text(encoding="utf-8")
    assert 'url="http://127.0.0.1:8000/healthz"' in source


def test_every_periodic_job_is_also_a_management_command():
    from coordination.celery import beat_schedule

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = set(get_commands())
    for name in ("send_reminders", "requeue_digests", "requeue_reports", "refresh_dashboard"):
        assert name in commands, name
        assert f"`{name}" in readme, f"README does not document {name}"
    assert {"reminder-digests-requeue", "report-renders-requeue", "background-heartbeat"} <= set(beat_schedule())


def test_celery_app_path_is_a_celery_app():
    app = find_app("coordination")

    assert isinstance(app, Celery)
    assert app.main == "coordination"


def test_wsgi_application_imports():
    from coordination.wsgi import application

    assert callable(application)


def test_beat_schedule_tasks_are_named_in_our_packages():
    from coordination.celery import beat_schedule

    for entry in beat_schedule().values():
        assert entry["task"].split(".")[0] in {"coordination", "charters", "meetings", "voters"}


def test_management_commands_used_by_deployment_and_makefile_exist():
    sources = [DOCKERFILE, ENTRYPOINT.read_text(encoding="utf-8"), (ROOT / "Makefile").read_text(encoding="utf-8")]
    used = set()
    for text in sources:
        used.update(re.findall(r"manage\.py\s+(\w+)", text))

    assert {"migrate", "collectstatic", "seed_demo"} <= used
    assert used <= set(get_commands())


def test_files_the_image_needs_exist_and_are_not_ignored():
    for source in re.findall(r"^COPY\s+(?!--)(\S+)\s", DOCKERFILE, flags=re.MULTILINE):
        assert (ROOT / source).exists(), source
    assert re.search(r'ENTRYPOINT \["/app/docker/entrypoint\.sh"\]', DOCKERFILE)
    assert ENTRYPOINT.exists()
    assert os.access(ENTRYPOINT, os.X_OK)
    healthcheck = SERVICES["web"]["healthcheck"]["test"]
    assert healthcheck[-1] == "/app/docker/healthcheck.py"
    assert (ROOT / "docker" / "healthcheck.py").exists()
    ignored = {line.strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert not ignored & {"docker", "requirements.txt", "coordination", "templates", "static", "locale", "manage.py"}


@pytest.mark.parametrize(
    "script", [ENTRYPOINT, ROOT / "docker" / "postgres-init" / "10-roles.sh"], ids=lambda p: p.name
)
def test_shell_scripts_are_valid_and_executable(script):
    result = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert os.access(script, os.X_OK)


def test_gunicorn_is_installed():
    result = subprocess.run([sys.executable, "-m", "gunicorn", "--version"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def production_environment(**overrides):
    """The environment of the image: DEBUG off, a real key, manifest static files; nothing from this process."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_URL", "REDIS_URL", "DJANGO_", "SECRET_KEY", "DEBUG", "CELERY_", "SECURE_"))
    }
    environment.update(
        DEBUG="0",
        SECRET_KEY="build-time-dummy-key-not-used-at-run-time",
        DJANGO_SETTINGS_MODULE="coordination.settings",
        # WhiteNoise's CompressedManifestStaticFilesStorage resolves references exactly like Django's
        # ManifestStaticFilesStorage and then compresses every file, which takes a minute on the vendored
        # assets and fonts; the references are what can break, so the plain manifest storage is used.
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    )
    environment.update(overrides)
    return environment


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """What the Dockerfile runs: a file referenced from CSS but missing would fail the image build."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production_environment(STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return static_root


def test_collectstatic_at_build_succeeds_with_manifest_storage(collected_static):
    assert (collected_static / "staticfiles.json").exists()


def test_gunicorn_serves_the_site_in_production_mode(collected_static, tmp_path):
    """gunicorn with DEBUG off: the container health check passes, the login page and its static files load."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environment = production_environment(
        STATIC_ROOT=str(collected_static),
        # SELECT 1 and the login page need no tables: an empty SQLite file will do.
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        ALLOWED_HOSTS="phoihop.example.gov.vn",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "coordination.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--access-logfile", "-"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        healthcheck = [sys.executable, str(ROOT / "docker" / "healthcheck.py"), f"http://127.0.0.1:{port}/healthz"]
        wait_until(
            lambda: subprocess.run(healthcheck, env=environment, capture_output=True).returncode == 0,
            timeout=60,
            interval=0.5,
            message="gunicorn to pass the container health check",
        )
        headers = {"Host": "phoihop.example.gov.vn", "X-Forwarded-Proto": "https"}
        login = urllib.request.urlopen(
            urllib.request.Request(f"http://127.0.0.1:{port}/accounts/login/", headers=headers), timeout=10
        )
        page = login.read().decode()
        assert 'lang="vi"' in page
        assert "Secure" in login.headers["Set-Cookie"]
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
        assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), f"{stylesheet} is not a manifest (hashed) name"
        css = urllib.request.urlopen(
            urllib.request.Request(f"http://127.0.0.1:{port}{stylesheet}", headers=headers), timeout=10
        )
        assert css.status == 200
        assert "immutable" in css.headers["Cache-Control"]
        wrong_host = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(wrong_host, timeout=10)  # noqa: S310 - our own server
        assert refused.value.code == 400
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Booting worker" in output


@pytest.mark.parametrize("name", ["migrate", "web", "worker", "beat"])
def test_entrypoint_knows_each_role(name):
    assert re.search(rf"^\s+{name}\)$", ENTRYPOINT.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_readme_documents_only_variables_the_settings_read():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)`", section, flags=re.MULTILINE))
    documented |= set(re.findall(r"^\| `[A-Z][A-Z0-9_]*`, `([A-Z][A-Z0-9_]*)`", section, flags=re.MULTILINE))

    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= documented
    assert documented <= settings_variable_names()


def test_migrations_do_not_depend_on_where_the_project_lives(tmp_path):
    """CI and the image run from another directory than a developer's checkout: a model field whose
    migration embeds an absolute path (e.g. `FileSystemStorage(location=settings.MEDIA_ROOT)` given as
    `storage=`) makes `makemigrations --check` fail there. Pass a callable as `storage=` instead."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(("DATABASE_URL", "DJANGO_"))
    }
    environment.update(
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="coordination.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "elsewhere" / "media"),
        STATIC_ROOT=str(tmp_path / "elsewhere" / "static"),
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, f"migrations change with MEDIA_ROOT/STATIC_ROOT:\n{result.stdout}{result.stderr}"


def _psql():
    import glob
    import shutil

    found = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), reverse=True)), None)
    return found


@pytest.mark.postgres
def test_init_script_roles_migrate_as_owner_and_the_site_cannot_rewrite_the_audit_log(tmp_path):
    """The compose recipe for real on the harness's PostgreSQL: docker/postgres-init/10-roles.sh makes the two
    roles from the two URLs, `migrate` runs as the owner (not a superuser) granting DATABASE_SITE_ROLE, then
    the site's role works but cannot UPDATE, DELETE or TRUNCATE the audit log, and the owner's TRUNCATE is
    refused by the trigger."""
    import secrets as random_names

    import psycopg
    from django.conf import settings

    server = settings.DATABASES["default"]
    if not server["ENGINE"].startswith("django.db.backends.postgresql") or not _psql():
        pytest.skip("needs the harness's PostgreSQL and psql")
    suffix = random_names.token_hex(4)
    owner, site, database = f"deploy_owner_{suffix}", f"deploy_site_{suffix}", f"deploy_{suffix}"
    host, port, superuser = server["HOST"] or "127.0.0.1", str(server["PORT"] or 5432), server["USER"]
    (tmp_path / "owner_url").write_text(f"postgres://{owner}:pw-owner_1@{host}:{port}/{database}\n")
    (tmp_path / "site_url").write_text(f"postgres://{site}:pw-site_1@{host}:{port}/{database}\n")

    def connect(user, dbname=database):
        return psycopg.connect(host=host, port=port, user=user, dbname=dbname, password=server["PASSWORD"] or None)

    with connect(superuser, dbname="postgres") as admin:
        admin.autocommit = True
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        script = subprocess.run(
            ["sh", str(ROOT / "docker" / "postgres-init" / "10-roles.sh")],
            env={
                "PATH": f"{Path(_psql()).parent}:{os.environ['PATH']}",
                "PGHOST": host,
                "PGPORT": port,
                "PGPASSWORD": server["PASSWORD"] or "",
                "POSTGRES_USER": superuser,
                "POSTGRES_DB": database,
                "DATABASE_OWNER_URL_FILE": str(tmp_path / "owner_url"),
                "DATABASE_SITE_URL_FILE": str(tmp_path / "site_url"),
            },
            capture_output=True,
            text=True,
        )
        assert script.returncode == 0, script.stderr
        environment = {
            name: value for name, value in os.environ.items() if not name.startswith(("DATABASE_", "DJANGO_"))
        }
        environment.update(
            DEBUG="1",
            DJANGO_SETTINGS_MODULE="coordination.settings",
            DATABASE_URL=(tmp_path / "owner_url").read_text().strip(),
            DATABASE_SITE_ROLE=site,
        )
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert migrate.returncode == 0, migrate.stderr[-3000:]

        with connect(site) as connection:
            connection.autocommit = True
            for role in (site, owner):
                row = connection.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role]).fetchone()
                assert row == (False,), role
            assert connection.execute("SELECT count(*) FROM voters_petition").fetchone() == (0,)
            connection.execute("DELETE FROM voters_petition")  # the site writes its tables
            connection.execute(
                "INSERT INTO coordination_auditevent (created_at, content_type_id, object_id, object_repr, action,"
                " summary, changes, actor_name, unit_name) SELECT now(), id, '1', 'x', 'test', '', '{}', '', ''"
                " FROM django_content_type LIMIT 1"
            )
            for statement in (
                "UPDATE coordination_auditevent SET summary = 'tampered'",
                "DELETE FROM coordination_auditevent",
                "TRUNCATE coordination_auditevent",
                "DROP TRIGGER coordination_auditevent_append_only ON coordination_auditevent",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(statement)
        with connect(owner) as connection:
            connection.autocommit = True
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                connection.execute("TRUNCATE coordination_auditevent")
            assert connection.execute("SELECT count(*) FROM coordination_auditevent").fetchone() == (1,)
    finally:
        with connect(superuser, dbname="postgres") as admin:
            admin.autocommit = True
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{site}"')
            admin.execute(f'DROP ROLE IF EXISTS "{owner}"')
