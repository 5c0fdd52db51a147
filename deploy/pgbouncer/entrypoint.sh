#!/bin/sh
# Writes PgBouncer's auth file for the app role from its secret file (or the environment) into a private tmpfs, then runs PgBouncer.
# The file holds the password in the clear (PgBouncer needs it to do SCRAM with the server); it never touches disk.
set -eu
: "${PGBOUNCER_USER:?PGBOUNCER_USER is empty}"
# From PGBOUNCER_PASSWORD_FILE when given (compose secrets mount it at /run/secrets).
if [ -n "${PGBOUNCER_PASSWORD_FILE:-}" ]; then
    [ -r "$PGBOUNCER_PASSWORD_FILE" ] || { echo "pgbouncer: PGBOUNCER_PASSWORD_FILE names $PGBOUNCER_PASSWORD_FILE, which cannot be read; run deploy/setup-production.sh" >&2; exit 1; }
    PGBOUNCER_PASSWORD="$(cat "$PGBOUNCER_PASSWORD_FILE")"
fi
if [ -z "${PGBOUNCER_PASSWORD:-}" ]; then
    echo "pgbouncer: PGBOUNCER_PASSWORD (the smsbridge-app-password secret) is empty; run deploy/setup-production.sh" >&2
    exit 1
fi
case "$PGBOUNCER_PASSWORD" in *'"'*) echo "pgbouncer: the app password must not contain a double quote" >&2; exit 1 ;; esac
umask 077
auth_dir="${PGBOUNCER_AUTH_DIR:-/run/pgbouncer}"
printf '"%s" "%s"\n' "$PGBOUNCER_USER" "$PGBOUNCER_PASSWORD" > "$auth_dir/userlist.txt"
unset PGBOUNCER_PASSWORD
exec pgbouncer "${PGBOUNCER_INI:-/etc/pgbouncer/pgbouncer.ini}"
