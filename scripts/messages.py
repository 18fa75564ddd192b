"""Update one app's translation catalogs: `python scripts/messages.py voters [--compile]`.

Each app keeps its own catalogs in `<app>/locale/{vi,en}/LC_MESSAGES/django.po`, built from the
app's Python code and its templates in `templates/<app>/` (the core, `coordination`, also owns
`templates/base.html`, `templates/partials/` and `templates/registration/`). Separate catalogs let
the apps be translated independently. msgids are English; Vietnamese is the default language.
"""

# ruff: noqa: S603 - runs this project's own manage.py with fixed arguments.

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["coordination", "charters", "meetings", "voters", "supervision"]
CORE_TEMPLATE_DIRS = ["partials", "registration", "coordination", "emails", "public"]
CORE_TEMPLATE_FILES = ["base.html", "403.html", "404.html", "500.html"]


def build(app, compile_after):
    locale = ROOT / app / "locale"
    locale.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / app).symlink_to(ROOT / app)
        (tmp / "locale").symlink_to(locale)
        templates = tmp / "templates"
        templates.mkdir()
        names = CORE_TEMPLATE_DIRS + CORE_TEMPLATE_FILES if app == "coordination" else [app]
        for name in names:
            if (ROOT / "templates" / name).exists():
                (templates / name).symlink_to(ROOT / "templates" / name)
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="coordination.settings", DEBUG="1", PYTHONPATH=str(ROOT))
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run(
            [*manage, "makemessages", "-l", "vi", "--symlinks", "--no-obsolete",
             "--ignore", f"{app}/locale/*", "--ignore", f"{app}/migrations/*", "--add-location", "file"],
            cwd=tmp, env=env, check=True,
        )  # fmt: skip
        if compile_after:
            subprocess.run([*manage, "compilemessages", "-l", "vi"], cwd=ROOT / app, env=env, check=True)


def main(argv):
    apps = [arg for arg in argv if not arg.startswith("--")] or APPS
    for app in apps:
        if app not in APPS:
            raise SystemExit(f"unknown app {app!r}; one of {APPS}")
        build(app, "--compile" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
