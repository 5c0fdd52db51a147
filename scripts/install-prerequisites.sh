#!/usr/bin/env bash
# Installs what SMS Bridge needs on a fresh Debian machine of this kind: PostgreSQL 15, Redis 7 and the
# tools the tests drive for real (promtool, nginx, docker-compose for `config`, pgbouncer, Chromium, rclone for off-site copies).
# Idempotent and quick when everything is already there. Needs root (or sudo).
set -euo pipefail

packages=(postgresql postgresql-contrib postgresql-client redis-server redis-tools prometheus prometheus-alertmanager nginx-light openssl
          docker-compose pgbouncer chromium fonts-dejavu-core procps rclone)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # Do not start the packaged daemons: the AppHost runs its own instances on free ports.
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  $sudo rm -f /usr/sbin/policy-rc.d
fi

for tool in /usr/lib/postgresql/15/bin/postgres redis-server redis-cli promtool rclone; do
  command -v "$tool" >/dev/null || { echo "missing after install: $tool" >&2; exit 1; }
done
echo "Prerequisites ready: $(/usr/lib/postgresql/15/bin/postgres --version), $(redis-server --version | cut -d' ' -f1-3)"
