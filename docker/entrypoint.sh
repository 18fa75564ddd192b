#!/bin/sh
# Container entry point: `web` (gunicorn), `worker`, `beat`, `migrate`, or any command.
# `migrate` runs as the tables' owner (docker-compose.yml gives only that container the owner's URL);
# the others run as the site's role, which cannot migrate.
# Extra arguments after the role go to gunicorn/celery, e.g. `web --workers 4`, `worker --concurrency 2`.
set -eu

role="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$role" in
    web)
        exec gunicorn coordination.wsgi:application --bind 0.0.0.0:8000 \
            --access-logfile - --error-logfile - "$@"
        ;;
    worker)
        exec celery -A coordination worker --loglevel INFO "$@"
        ;;
    beat)
        # Exactly one beat may run: it is the only scheduler of the periodic jobs. Its schedule file (when each
        # job last ran) lives on the beat-schedule volume, so a recreated container keeps it.
        exec celery -A coordination beat --loglevel INFO --schedule /var/lib/phoihop/beat/celerybeat-schedule "$@"
        ;;
    migrate)
        exec python manage.py migrate --noinput "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
