#!/usr/bin/env bash
# Stops what start.sh started, by the pids it recorded (nothing else), and waits for each to exit.
set -euo pipefail
run="$(cd "$(dirname "$0")" && pwd)/run"
[ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ] && { echo "Usage: deploy/monitoring/stop.sh"; exit 0; }
shopt -s nullglob
for pidfile in "$run"/*.pid; do
    name="$(basename "$pidfile" .pid)" pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
        echo "$name stopped"
    fi
    rm -f "$pidfile"
done
