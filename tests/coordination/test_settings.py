"""The settings refuse to start in production mode without a secret key, and read it from a file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.smoke


def django_free_env():
    """This environment minus everything the settings read, so a child process starts from defaults."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "CELERY_", "DJANGO_"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "coordination.settings"
    return env


def django_setup(env):
    script = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)


def test_refuses_to_start_without_secret_key_when_debug_off():
    result = django_setup({**django_free_env(), "DEBUG": "0"})

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_reads_secret_key_from_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("s3cret-from-a-docker-secret-file-0123456789\n", encoding="utf-8")

    result = django_setup({**django_free_env(), "DEBUG": "0", "SECRET_KEY_FILE": str(secret)})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "s3cret-from-a-docker-secret-file-0123456789"


def test_reads_secret_key_from_environment():
    result = django_setup({**django_free_env(), "DEBUG": "0", "SECRET_KEY": "from-the-environment-0123456789"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-the-environment-0123456789"


def test_debug_mode_starts_without_secret_key():
    result = django_setup({**django_free_env(), "DEBUG": "1"})

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """JIT compilation cost the dashboard's aggregates ~0.3 s at a million petitions: the site turns it off."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
