#!/bin/sh
# Runs once, when the postgres-data volume is first initialised (/docker-entrypoint-initdb.d), as the
# superuser POSTGRES_USER. Creates the two roles the application uses, neither a superuser:
#   - the owner of the database and its tables, which runs the migrations (the `migrate` service,
#     secrets/database_owner_url);
#   - the site's role (web, worker, beat: secrets/database_url), which owns nothing: the migrations grant
#     it what the site needs and only SELECT/INSERT on the audit log (coordination/db_roles.py).
# The names and passwords are read from the two URL secrets, postgres://USER:PASSWORD@HOST:PORT/DB
# (a password of URL-safe characters, as `secrets.token_urlsafe` makes).
set -eu

owner_url_file="${DATABASE_OWNER_URL_FILE:-/run/secrets/database_owner_url}"
site_url_file="${DATABASE_SITE_URL_FILE:-/run/secrets/database_url}"

url_part() {  # url_part FILE 1|2 -> the user (1) or password (2) of the URL in FILE
    sed -E -n "s#^[a-z0-9+]+://([^:@/]+):([^@/]*)@.*\$#\\$2#p" "$1" | head -n 1
}

owner="$(url_part "$owner_url_file" 1)"
owner_password="$(url_part "$owner_url_file" 2)"
site="$(url_part "$site_url_file" 1)"
site_password="$(url_part "$site_url_file" 2)"
if [ -z "$owner" ] || [ -z "$site" ] || [ "$owner" = "$site" ]; then
    echo "10-roles.sh: database_owner_url and database_url must name two different users with passwords" >&2
    exit 1
fi

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    -v owner="$owner" -v owner_password="$owner_password" \
    -v site="$site" -v site_password="$site_password" \
    -v dbname="${POSTGRES_DB:-postgres}" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"site" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'site_password';
ALTER DATABASE :"dbname" OWNER TO :"owner";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO :"site";
GRANT USAGE ON SCHEMA public TO :"site";
SQL
