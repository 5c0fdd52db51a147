#!/usr/bin/env bash
# Requests the Let's Encrypt certificate for SMSBRIDGE_DOMAIN through the running nginx (webroot challenge) and
# installs this folder's deploy hook, so that every renewal by certbot's timer copies the new certificate to
# SMSBRIDGE_TLS_DIR and reloads nginx. Run as root on the server, after `docker-compose up -d`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    echo "Usage: sudo deploy/certbot/obtain-certificate.sh [--email ADDRESS] [--staging]"
    echo "Reads SMSBRIDGE_DOMAIN, SMSBRIDGE_TLS_DIR and SMSBRIDGE_ACME_WEBROOT from deploy/.env."
    exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "Run as root (certbot writes /etc/letsencrypt)." >&2; exit 1; }
command -v certbot >/dev/null || { echo "certbot is missing: apt-get install certbot" >&2; exit 1; }
set -a; . "$here/../.env"; set +a
: "${SMSBRIDGE_DOMAIN:?SMSBRIDGE_DOMAIN is empty in deploy/.env: run setup-production.sh --domain NAME --force, or set it}"

email_args=(--register-unsafely-without-email)
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --email) email_args=(--email "${2:?--email needs an address}" --no-eff-email); shift 2 ;;
        --staging) extra+=(--staging); shift ;;
        *) echo "Unknown option: $1" >&2; exit 2 ;;
    esac
done

# The hook is copied where certbot runs every deploy hook after any renewal, so renewals need nothing else.
install -D -m 0755 "$here/deploy-hook.sh" /etc/letsencrypt/renewal-hooks/deploy/smsbridge-nginx.sh
install -D -m 0600 /dev/null /etc/letsencrypt/smsbridge.env
printf 'SMSBRIDGE_DEPLOY_DIR=%s\nSMSBRIDGE_TLS_DIR=%s\n' "$(cd "$here/.." && pwd)" "${SMSBRIDGE_TLS_DIR:-/etc/smsbridge/tls}" \
    > /etc/letsencrypt/smsbridge.env

certbot certonly --non-interactive --agree-tos "${email_args[@]}" "${extra[@]}" \
    --webroot -w "${SMSBRIDGE_ACME_WEBROOT:-/var/www/certbot}" \
    --cert-name smsbridge -d "$SMSBRIDGE_DOMAIN"
# certonly runs deploy hooks only when it issued a certificate; run it once more so an existing one is installed too.
RENEWED_LINEAGE=/etc/letsencrypt/live/smsbridge /etc/letsencrypt/renewal-hooks/deploy/smsbridge-nginx.sh
echo "Certificate for $SMSBRIDGE_DOMAIN installed. Renewal: certbot's systemd timer; check with deploy/certbot/check-expiry.sh."
