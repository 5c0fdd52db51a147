#!/bin/sh
# Writes PgBouncer's auth file for the app role from the environment into a private tmpfs, then runs PgBouncer.
# The file holds the password in the clear (PgBouncer needs it to do SCRAM with the server); it never touches disk.
set -eu
: "${PGBOUNCER_USER:?PGBOUNCER_USER is empty}"
if [ -z "${PGBOUNCER_PASSWORD:-}" ]; then
    echo "pgbouncer: PGBOUNCER_PASSWORD (SMSBRIDGE_APP_PASSWORD in .env) is empty; run deploy/setup-production.sh" >&2
    exit 1
fi
case "$PGBOUNCER_PASSWORD" in *'"'*) echo "pgbouncer: the app password must not contain a double quote" >&2; exit 1 ;; esac
umask 077
auth_dir="${PGBOUNCER_AUTH_DIR:-/run/pgbouncer}"
printf '"%s" "%s"\n' "$PGBOUNCER_USER" "$PGBOUNCER_PASSWORD" > "$auth_dir/userlist.txt"
unset PGBOUNCER_PASSWORD
exec pgbouncer "${PGBOUNCER_INI:-/etc/pgbouncer/pgbouncer.ini}"
