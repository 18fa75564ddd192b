# Production image: gunicorn for the site, the same image runs the Celery worker and beat (docker/entrypoint.sh).
# Bookworm, as on the development machines: the same Pango/HarfBuzz that WeasyPrint is tested with.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint renders the annual report PDFs with Pango/HarfBuzz; the fonts themselves are bundled in static/fonts/.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system phoihop && useradd --system --gid phoihop --home-dir /app --shell /usr/sbin/nologin phoihop

WORKDIR /app
COPY requirements.txt /app/requirements.txt
RUN pip install -r /app/requirements.txt

COPY . /app

ENV DJANGO_SETTINGS_MODULE=coordination.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/var/lib/phoihop/media \
    STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage

# The build-time key only lets the settings load for collectstatic; it is never used to sign anything.
RUN DEBUG=0 SECRET_KEY=build-time-dummy-key-not-used-at-run-time python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /var/lib/phoihop/media /var/lib/phoihop/beat \
    && chown -R phoihop:phoihop /var/lib/phoihop \
    && chmod 0755 /app/docker/entrypoint.sh

USER phoihop
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
