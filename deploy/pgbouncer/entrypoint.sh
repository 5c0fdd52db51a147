#!/bin/sh
# Writes PgBouncer's auth file for the app role from its secret file (or the environment) into a private tmpfs, then runs PgBouncer.
# The file holds the password in the clear (PgBouncer needs it to do SCRAM with the server); it never touches disk.
set -eu
: "${PGBOUNCER_USER:?PGBOUNCER_USER is empty}"
# shellcheck source=../lib/secret-files.sh
. "${SMSBRIDGE_LIB_DIR:-/opt/smsbridge/lib}/secret-files.sh"
read_secret pgbouncer PGBOUNCER_PASSWORD "PGBOUNCER_PASSWORD (the smsbridge-app-password secret)"
forbid_in_secret pgbouncer PGBOUNCER_PASSWORD '"' "the app password must not contain a double quote"
umask 077
auth_dir="${PGBOUNCER_AUTH_DIR:-/run/pgbouncer}"
printf '"%s" "%s"\n' "$PGBOUNCER_USER" "$PGBOUNCER_PASSWORD" > "$auth_dir/userlist.txt"
unset PGBOUNCER_PASSWORD
exec pgbouncer "${PGBOUNCER_INI:-/etc/pgbouncer/pgbouncer.ini}"
