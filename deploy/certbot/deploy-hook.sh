#!/bin/sh
# certbot deploy hook: copies the renewed certificate to the folder nginx reads (owned root, readable by the nginx
# container's group 101 only) and reloads nginx without dropping connections.
set -eu
. /etc/letsencrypt/smsbridge.env
lineage="${RENEWED_LINEAGE:-/etc/letsencrypt/live/smsbridge}"
case "$lineage" in */smsbridge) ;; *) exit 0 ;; esac   # another certificate on this host: not ours
tls="${SMSBRIDGE_TLS_DIR:-/etc/smsbridge/tls}"
install -d -m 0750 -o root -g 101 "$tls"
for file in fullchain.pem privkey.pem; do
    install -m 0640 -o root -g 101 "$lineage/$file" "$tls/$file.new"
    mv -f "$tls/$file.new" "$tls/$file"
done
docker-compose --project-directory "$SMSBRIDGE_DEPLOY_DIR" -f "$SMSBRIDGE_DEPLOY_DIR/docker-compose.yml" exec -T nginx nginx -s reload
logger -t smsbridge "TLS certificate renewed from $lineage and nginx reloaded" 2>/dev/null || true
