#!/bin/sh
# Sourced by the data stores' entrypoints (postgres/initdb.d, redis/entrypoint.sh, pgbouncer/entrypoint.sh) from
# $SMSBRIDGE_LIB_DIR, where the containers mount this folder (/opt/smsbridge/lib). POSIX sh only: it runs in the
# images' dash, and in bash when the postgres image sources an init script.

# read_secret TAG VARIABLE [NAME]: sets and exports VARIABLE from the file that <VARIABLE>_FILE names when given
# (compose secrets mount them at /run/secrets, as the postgres image reads POSTGRES_PASSWORD_FILE), else keeps it from
# the environment. Exits 1 with one line "TAG: ..." when the file cannot be read or the value is empty; NAME is how that
# line calls the value (VARIABLE unless given).
read_secret() {
    eval "secret_file=\${${2}_FILE:-}"
    if [ -n "$secret_file" ]; then
        [ -r "$secret_file" ] || refuse_secret "$1" "${2}_FILE names $secret_file, which cannot be read; run deploy/setup-production.sh"
        secret_value="$(cat "$secret_file")"
        eval "$2=\$secret_value"
        export "$2"
    fi
    eval "secret_value=\${$2:-}"
    [ -n "$secret_value" ] || refuse_secret "$1" "${3:-$2} is empty; run deploy/setup-production.sh"
    unset secret_file secret_value
}

# forbid_in_secret TAG VARIABLE PATTERN MESSAGE: exits 1 with "TAG: MESSAGE" when VARIABLE's value holds a match of the
# case PATTERN (a character that the file the value is written into cannot carry).
forbid_in_secret() {
    eval "secret_value=\${$2:-}"
    case "$secret_value" in *$3*) refuse_secret "$1" "$4" ;; esac
    unset secret_value
}

refuse_secret() {
    echo "$1: $2" >&2
    exit 1
}
