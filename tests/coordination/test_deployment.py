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


def test_app_services_are_web_worker_and_beat():
    assert {command_of(service)[0] for service in APP_SERVICES.values()} == {"web", "worker", "beat"}


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
            assert condition == {"condition": "service_healthy"}, f"{name} → {dependency}"
            assert "healthcheck" in SERVICES[dependency], f"{name} waits for {dependency}, which has no healthcheck"
        assert "healthcheck" in service or depends_on, name
    for name in ("web", "worker", "beat"):
        assert {"postgres", "redis"} & set(SERVICES[name]["depends_on"]), name


def test_secrets_and_volumes_are_declared():
    for name, service in SERVICES.items():
        for secret in service.get("secrets", []):
            assert secret in COMPOSE["secrets"], f"{name} uses undeclared secret {secret}"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
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


def test_entrypoint_is_valid_shell():
    result = subprocess.run(["sh", "-n", str(ENTRYPOINT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


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


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
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
