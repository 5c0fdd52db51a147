#!/usr/bin/env bash
# Prepares a server for the SMS Bridge compose stack: generates every secret into .env (mode 0600) and creates the
# host folders the containers write to (logs, data, TLS, ACME webroot) with the right owners. Safe to re-run with
# --force (new secrets!) or --host-only (folders only). See docs/operations.md.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
env_file="$here/.env"
example="$here/.env.example"
force=0 host=1 secrets=1 observability=0 domain=""

usage() {
    cat <<USAGE
Usage: deploy/setup-production.sh [--domain NAME] [--observability] [--force] [--env-file PATH] [--env-only | --host-only]

  --domain NAME     the public name the TLS certificate is for (SMSBRIDGE_DOMAIN)
  --observability   also run the Aspire dashboard (compose profile "observability") and export traces to it
  --force           overwrite an existing .env (every secret changes: see "Rotate secrets" in docs/operations.md)
  --env-file PATH   where to write the secrets (default: deploy/.env, read by docker-compose)
  --env-only        write .env only, do not touch host folders (no root needed)
  --host-only       create host folders only, keep .env
  -h, --help        this text
USAGE
}

while [ $# -gt 0 ]; do
    case "$1" in
        --domain) domain="${2:?--domain needs a name}"; shift 2 ;;
        --observability) observability=1; shift ;;
        --force) force=1; shift ;;
        --env-file) env_file="${2:?--env-file needs a path}"; shift 2 ;;
        --env-only) host=0; shift ;;
        --host-only) secrets=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

# Secrets: 32 letters and digits (passwords go into connection strings and ACL lines unquoted), or a 256-bit key
# in base64 where the service decodes one. The formats match the AppHost's SecretStore.
password() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32; }
key() { head -c 32 /dev/urandom | base64 -w0; }
formatted_keys=" WEBHOOK_SECRET PIN_ENCRYPTION_KEY HASH_KEY BACKUP_ENCRYPTION_KEY "
secret_for() {
    case "$1" in
        WEBHOOK_SECRET) printf 'whsec_%s' "$(key)" ;;
        PIN_ENCRYPTION_KEY|HASH_KEY|BACKUP_ENCRYPTION_KEY) key ;;
        *) password ;;
    esac
}
# Variables that are secrets although the manifest does not declare them (the stack's own).
stack_secrets=" REDIS_MONITOR_PASSWORD DASHBOARD_TOKEN DASHBOARD_OTLP_API_KEY "

write_env() {
    [ -f "$example" ] || { echo "Missing $example: run the compose publisher first (see deploy/README.md)." >&2; exit 1; }
    if [ -e "$env_file" ] && [ "$force" -ne 1 ]; then
        echo "$env_file exists: refusing to overwrite its secrets. Use --force to generate new ones (then follow" >&2
        echo "\"Rotate secrets\" in docs/operations.md), or --host-only to prepare folders only." >&2
        exit 1
    fi

    local temporary count=0 parameter=0 formatted=0 name
    temporary="$(mktemp "$(dirname "$env_file")/.env.XXXXXX")"
    trap 'rm -f "$temporary"' EXIT
    chmod 600 "$temporary"
    {
        echo "# Written by deploy/setup-production.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Mode 0600; never commit or share."
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in
                "# Secret parameters"*) parameter=1; echo "$line"; continue ;;
                "# Production stack"*) parameter=0; echo "$line"; continue ;;
                *"a formatted key"*) formatted=1; echo "$line"; continue ;;
                \#*|"") echo "$line"; continue ;;
            esac
            name="${line%%=*}"
            if [ "$formatted" -eq 1 ] && [[ "$formatted_keys" != *" $name "* ]]; then
                echo "No known format for the key $name: add it to secret_for in $0 (see SecretStore in the AppHost)." >&2
                exit 1
            fi
            formatted=0
            if [ "$parameter" -eq 1 ] || [[ "$stack_secrets" == *" $name "* ]]; then
                echo "$name=$(secret_for "$name")"
                count=$((count + 1))
            else
                case "$name" in
                    SMSBRIDGE_DOMAIN) echo "$name=$domain" ;;
                    COMPOSE_PROFILES) [ "$observability" -eq 1 ] && echo "$name=observability" || echo "$name=" ;;
                    OTEL_EXPORTER_OTLP_ENDPOINT) [ "$observability" -eq 1 ] && echo "$name=http://dashboard:18889" || echo "$name=" ;;
                    *) echo "$line" ;;
                esac
            fi
        done < "$example"
    } > "$temporary"
    mv "$temporary" "$env_file"
    trap - EXIT
    echo "Wrote $env_file (mode 0600) with $count generated secrets."
}

# The containers run as fixed unprivileged users; each writes only its own host folders.
prepare_host() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "Host folders need root (chown to the containers' users): run again with sudo, or pass --env-only." >&2
        exit 1
    fi
    # shellcheck disable=SC1090
    set -a; . "$env_file"; set +a
    local logs="${SMSBRIDGE_LOG_DIR:-/var/log/smsbridge}" data="${SMSBRIDGE_DATA_DIR:-/var/lib/smsbridge}"
    local tls="${SMSBRIDGE_TLS_DIR:-/etc/smsbridge/tls}" webroot="${SMSBRIDGE_ACME_WEBROOT:-/var/www/certbot}"
    local entry
    for entry in receiver:1654 admin:1654 backup:1654 postgres:999 redis:999 pgbouncer:10002 nginx:101; do
        install -d -m 0750 -o "${entry#*:}" -g "${entry#*:}" "$logs/${entry%%:*}"
    done
    install -d -m 0750 -o 1654 -g 1654 "$data/admin" "$data/backups"
    install -d -m 0755 "$webroot"
    install -d -m 0750 -o root -g 101 "$tls"
    if [ ! -f "$tls/fullchain.pem" ]; then
        # A placeholder so that nginx starts and can answer certbot's HTTP challenge; replaced by the real certificate.
        openssl req -x509 -nodes -newkey rsa:2048 -days 7 -subj "/CN=${SMSBRIDGE_DOMAIN:-localhost}" \
            -keyout "$tls/privkey.pem" -out "$tls/fullchain.pem" 2>/dev/null
        chown root:101 "$tls/privkey.pem" "$tls/fullchain.pem"
        chmod 0640 "$tls/privkey.pem" "$tls/fullchain.pem"
        echo "Placed a 7-day self-signed certificate in $tls until certbot replaces it."
    fi
    echo "Prepared $logs, $data, $tls and $webroot."
}

[ "$secrets" -eq 1 ] && write_env
[ "$host" -eq 1 ] && prepare_host

cat <<NEXT

Next steps (docs/operations.md, "Deploy"):
  1. docker-compose -f deploy/docker-compose.yml build
  2. docker-compose -f deploy/docker-compose.yml up -d
  3. sudo deploy/certbot/obtain-certificate.sh        (Let's Encrypt for \$SMSBRIDGE_DOMAIN, renewals reload nginx)
  4. The admin login is admin / ADMIN_PASSWORD from $env_file; store it in your password manager.
  5. Gateway phones: GATEWAY_API_KEY from $env_file; the backend: BACKEND_API_KEY and WEBHOOK_SECRET.
NEXT
