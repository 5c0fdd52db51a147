#!/usr/bin/env bash
# Prepares a server for the SMS Bridge compose stack: generates every secret as a file in the secrets folder (owner root,
# group 10500, mode 0440: compose mounts them into the containers, which join that group), writes .env (mode 0600, no
# secret in it but the optional dashboard's) and creates the host folders the containers write to (logs, data, TLS,
# ACME webroot) with the right owners. Safe to re-run with --force (new secrets!) or --host-only (folders only).
# See docs/operations.md, "Secrets".
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
env_file="$here/.env"
example="$here/.env.example"
force=0 host=1 secrets=1 observability=0 domain="" secrets_dir=""
# The group the containers that mount secrets join (ProductionStack.SecretReaderGroup in the AppHost).
secret_group=10500

usage() {
    cat <<USAGE
Usage: deploy/setup-production.sh [--domain NAME] [--observability] [--force] [--env-file PATH] [--secrets-dir PATH]
                                  [--env-only | --host-only]

  --domain NAME     the public name the TLS certificate is for (SMSBRIDGE_DOMAIN)
  --observability   also run the Aspire dashboard (compose profile "observability") and export traces to it
  --force           overwrite an existing .env and secrets (every secret changes: see "Rotate secrets" in docs/operations.md)
  --env-file PATH   where to write the settings (default: deploy/.env, read by docker-compose)
  --secrets-dir PATH where to write one file per secret (default: secrets/ beside the .env file; SMSBRIDGE_SECRETS_DIR)
  --env-only        write .env and the secrets only, do not touch host folders
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
        --secrets-dir) secrets_dir="${2:?--secrets-dir needs a path}"; shift 2 ;;
        --env-only) host=0; shift ;;
        --host-only) secrets=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

[ -n "$secrets_dir" ] || secrets_dir="$(dirname "$env_file")/secrets"

# Secrets: 32 letters and digits (passwords go into connection strings and ACL lines unquoted), or a 256-bit key
# in base64 where the service decodes one. The formats match the AppHost's SecretStore.
password() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32; }
key() { head -c 32 /dev/urandom | base64 -w0; }
formatted_keys=" webhook-secret pin-encryption-key hash-key backup-encryption-key "
secret_for() {
    case "$1" in
        webhook-secret) printf 'whsec_%s' "$(key)" ;;
        pin-encryption-key|hash-key|backup-encryption-key) key ;;
        *) password ;;
    esac
}
# .env variables that are secrets: the optional dashboard's, whose image reads the environment only.
env_secrets=" DASHBOARD_TOKEN DASHBOARD_OTLP_API_KEY "

# One file per secret, written whole or not at all; root-owned and readable by the containers' group when run as root.
write_secret() {
    local name="$1" value="$2" temporary
    temporary="$(mktemp "$secrets_dir/.$name.XXXXXX")"
    chmod 0400 "$temporary"
    printf '%s' "$value" > "$temporary"
    if [ "$(id -u)" -eq 0 ]; then
        chown "root:$secret_group" "$temporary"
        chmod 0440 "$temporary"
    fi
    mv "$temporary" "$secrets_dir/$name"
}

write_env() {
    [ -f "$example" ] || { echo "Missing $example: run the compose publisher first (see deploy/README.md)." >&2; exit 1; }
    if { [ -e "$env_file" ] || [ -n "$(ls -A "$secrets_dir" 2>/dev/null)" ]; } && [ "$force" -ne 1 ]; then
        echo "$env_file or $secrets_dir exists: refusing to overwrite their secrets. Use --force to generate new ones (then" >&2
        echo "follow \"Rotate secrets\" in docs/operations.md), or --host-only to prepare folders only." >&2
        exit 1
    fi

    install -d -m 0700 "$secrets_dir"
    local temporary files=0 keys=0 name line
    temporary="$(mktemp "$(dirname "$env_file")/.env.XXXXXX")"
    trap 'rm -f "$temporary" "$secrets_dir"/.*.?????? 2>/dev/null' EXIT
    chmod 600 "$temporary"
    {
        echo "# Written by deploy/setup-production.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Mode 0600; never commit or share."
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in
                "#   secret "*)
                    name="${line#"#   secret "}"; name="${name%%:*}"
                    if [[ "$line" == *"a formatted key"* ]] && [[ "$formatted_keys" != *" $name "* ]]; then
                        echo "No known format for the key $name: add it to secret_for in $0 (see SecretStore in the AppHost)." >&2
                        exit 1
                    fi
                    write_secret "$name" "$(secret_for "$name")"
                    files=$((files + 1))
                    echo "$line"; continue ;;
                \#*|"") echo "$line"; continue ;;
            esac
            name="${line%%=*}"
            if [[ "$env_secrets" == *" $name "* ]]; then
                echo "$name=$(password)"
                keys=$((keys + 1))
            else
                case "$name" in
                    SMSBRIDGE_SECRETS_DIR) echo "$name=$(cd "$secrets_dir" && pwd)" ;;
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
    echo "Wrote $files generated secrets, one file each, in $secrets_dir, and $env_file (mode 0600; in it only the dashboard's $keys keys)."
    [ "$(id -u)" -eq 0 ] || echo "Not root: the secret files are yours, mode 0400; run again with sudo and --force for the containers' group." >&2
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
  4. The admin login is admin / the password in $secrets_dir/admin-password; store it in your password manager.
  5. Gateway phones: $secrets_dir/gateway-api-key; the backend: backend-api-key and webhook-secret from there.
NEXT
