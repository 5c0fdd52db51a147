#!/bin/sh
# Run once by the postgres image's entrypoint on a fresh data folder (as /docker-entrypoint-initdb.d/*.sh).
# Creates the smsbridge database and its owner/app/backup roles with the same SQL the AppHost runs locally
# (SmsBridge.AppHost/Resources, mounted at $SMSBRIDGE_SQL_DIR). Passwords come from files (or the environment), read by
# deploy/lib (mounted at $SMSBRIDGE_LIB_DIR), and reach PostgreSQL as session settings through psql's \getenv: never on a
# command line, never in SQL text.
set -eu

SMSBRIDGE_SQL_DIR="${SMSBRIDGE_SQL_DIR:-/opt/smsbridge/sql}"
export SMSBRIDGE_SQL_DIR
# shellcheck source=../../lib/secret-files.sh
. "${SMSBRIDGE_LIB_DIR:-/opt/smsbridge/lib}/secret-files.sh"
for variable in SMSBRIDGE_OWNER_PASSWORD SMSBRIDGE_APP_PASSWORD SMSBRIDGE_BACKUP_PASSWORD; do
    read_secret "smsbridge init" "$variable"
done

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'SQL'
\getenv owner_password SMSBRIDGE_OWNER_PASSWORD
\getenv app_password SMSBRIDGE_APP_PASSWORD
\getenv backup_password SMSBRIDGE_BACKUP_PASSWORD
\getenv sql_dir SMSBRIDGE_SQL_DIR
SET password_encryption = 'scram-sha-256';
SELECT set_config('smsbridge.owner_password', :'owner_password', false),
       set_config('smsbridge.app_password', :'app_password', false),
       set_config('smsbridge.backup_password', :'backup_password', false) \g /dev/null
\set init_file :sql_dir '/postgres-init.sql'
\i :init_file
SELECT 'CREATE DATABASE smsbridge OWNER smsbridge_owner'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'smsbridge') \gexec
SQL

psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "${POSTGRES_USER:-postgres}" --dbname smsbridge \
    --file "$SMSBRIDGE_SQL_DIR/postgres-init-database.sql"
echo "smsbridge init: database smsbridge with roles smsbridge_owner, smsbridge_app, smsbridge_backup is ready"
