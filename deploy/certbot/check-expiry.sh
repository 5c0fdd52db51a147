#!/usr/bin/env bash
# Prints the served certificate's expiry and exits 1 when it expires within DAYS (default 21): for cron or the
# weekly checklist. Checks the file nginx reads and, with --host NAME, what the server really presents on 443.
set -euo pipefail
days=21 host="" file="${SMSBRIDGE_TLS_DIR:-/etc/smsbridge/tls}/fullchain.pem"
while [ $# -gt 0 ]; do
    case "$1" in
        --days) days="${2:?}"; shift 2 ;;
        --host) host="${2:?}"; shift 2 ;;
        --file) file="${2:?}"; shift 2 ;;
        -h|--help) echo "Usage: check-expiry.sh [--days N] [--host NAME] [--file PATH]"; exit 0 ;;
        *) echo "Unknown option: $1" >&2; exit 2 ;;
    esac
done
if [ -n "$host" ]; then
    pem="$(openssl s_client -connect "$host:443" -servername "$host" </dev/null 2>/dev/null | openssl x509)"
else
    pem="$(cat "$file")"
fi
echo "Expires: $(printf '%s\n' "$pem" | openssl x509 -noout -enddate | cut -d= -f2)"
if ! printf '%s\n' "$pem" | openssl x509 -noout -checkend $((days * 86400)) >/dev/null; then
    echo "The certificate expires within $days days: run 'certbot renew' and see docs/operations.md." >&2
    exit 1
fi
echo "OK: valid for more than $days days."
