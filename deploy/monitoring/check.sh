#!/usr/bin/env bash
# Validates the kit with the real tools (promtool, amtool, JSON) and, when start.sh is running, asks Prometheus which
# targets are down. Exits non-zero on the first failure, saying which file or target.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] && { echo "Usage: deploy/monitoring/check.sh [--env FILE]"; exit 0; }
env_args=()
[ "${1:-}" = "--env" ] && env_args=(--env "${2:?}")
[ ${#env_args[@]} -gt 0 ] || [ -f "$here/monitoring.env" ] || env_args=(--env "$here/monitoring.env.example")

rendered="$(mktemp --suffix=.yml)"
trap 'rm -f "$rendered"' EXIT
"$here/start.sh" "${env_args[@]}" --render-only "$rendered"
promtool check config "$rendered"
promtool check rules "$here"/prometheus/rules/*.yml
(cd "$here/prometheus/rules/tests" && promtool test rules ./*.yml)
if command -v amtool >/dev/null; then amtool check-config "$here/alertmanager/alertmanager.yml"; fi
for dashboard in "$here"/grafana/dashboards/*.json; do
    python3 -m json.tool "$dashboard" >/dev/null || { echo "Invalid JSON: $dashboard" >&2; exit 1; }
done
echo "Configuration OK."

if curl -fsS http://127.0.0.1:9090/-/ready >/dev/null 2>&1; then
    down="$(curl -fsS http://127.0.0.1:9090/api/v1/targets | python3 -c \
        'import json,sys; print(" ".join(t["scrapeUrl"] for t in json.load(sys.stdin)["data"]["activeTargets"] if t["health"] != "up"))')"
    if [ -n "$down" ]; then echo "Targets not up: $down (are the server's monitoring ports open?)" >&2; exit 1; fi
    echo "Every target is up."
fi
