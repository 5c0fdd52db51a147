#!/usr/bin/env bash
# Laptop monitoring kit: renders prometheus.yml from the template and monitoring.env (or the admin service's
# export), then starts whichever of Prometheus, Alertmanager, postgres_exporter and redis_exporter are installed,
# all on 127.0.0.1, with pid files and logs in run/. Stop with stop.sh; check with check.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run="$here/run"
env_file="$here/monitoring.env"
export_file="" render_only=""

usage() {
    cat <<USAGE
Usage: deploy/monitoring/start.sh [--env FILE] [--export FILE] [--render-only OUT]

  --env FILE          settings (default: deploy/monitoring/monitoring.env, from monitoring.env.example)
  --export FILE       take the targets from GET /admin/monitoring/export-prometheus-config, saved to FILE:
                        curl -fsS -u admin:\$ADMIN_PASSWORD https://SERVER/admin/monitoring/export-prometheus-config -o export.yml
  --render-only OUT   write the rendered prometheus.yml to OUT and exit (check.sh uses it)
USAGE
}

while [ $# -gt 0 ]; do
    case "$1" in
        --env) env_file="${2:?}"; shift 2 ;;
        --export) export_file="${2:?}"; shift 2 ;;
        --render-only) render_only="${2:?}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

[ -f "$env_file" ] || { echo "No $env_file: copy monitoring.env.example to it and fill it in." >&2; exit 1; }
set -a; . "$env_file"; set +a
export MONITORING_DIR="$here"

# The export is a scrape config: take "host:port" of the jobs that name metrics, postgres and redis.
if [ -n "$export_file" ]; then
    while IFS=' ' read -r job target; do
        case "$job" in
            *postgres*) POSTGRES_PORT="${target##*:}" ;;
            *redis*) REDIS_PORT="${target##*:}" ;;
            *metrics*|*receiver*|*smsbridge*) SMSBRIDGE_HOST="${target%:*}"; METRICS_PORT="${target##*:}" ;;
        esac
    done < <(awk '/job_name:/ { gsub(/["\047,]/, ""); job = $NF }
                  /targets:/  { gsub(/[]["\047,]/, " "); for (i = 1; i <= NF; i++) if ($i ~ /:[0-9]+$/) print job, $i }' "$export_file")
    export SMSBRIDGE_HOST METRICS_PORT POSTGRES_PORT REDIS_PORT
fi

render() {
    local output="$1"
    perl -pe 's/\$\{(\w+)\}/exists $ENV{$1} ? $ENV{$1} : "\${$1}"/ge' "$here/prometheus/prometheus.yml.template" > "$output"
    if grep -q '\${' "$output"; then
        echo "Unset in $env_file: $(grep -o '\${[A-Z_]*}' "$output" | sort -u | tr '\n' ' ')" >&2
        exit 1
    fi
}

if [ -n "$render_only" ]; then
    render "$render_only"
    exit 0
fi

mkdir -p "$run"
render "$run/prometheus.yml"
promtool check config "$run/prometheus.yml" >/dev/null

start() {
    local name="$1"; shift
    if [ -f "$run/$name.pid" ] && kill -0 "$(cat "$run/$name.pid")" 2>/dev/null; then
        echo "$name is already running (pid $(cat "$run/$name.pid"))"
        return
    fi
    command -v "$1" >/dev/null || { echo "$name: $1 is not installed, skipped (apt-get install $2)"; return; }
    local binary="$1"; shift 2
    nohup "$binary" "$@" >"$run/$name.log" 2>&1 &
    echo $! > "$run/$name.pid"
    echo "$name started (pid $!, log run/$name.log)"
}

start prometheus prometheus prometheus --config.file="$run/prometheus.yml" --storage.tsdb.path="$run/prometheus-data" \
    --web.listen-address=127.0.0.1:9090 --storage.tsdb.retention.time=30d
start alertmanager prometheus-alertmanager prometheus-alertmanager --config.file="$here/alertmanager/alertmanager.yml" \
    --storage.path="$run/alertmanager-data" --web.listen-address=127.0.0.1:9093 --cluster.listen-address=
DATA_SOURCE_NAME="postgresql://smsbridge_backup:${POSTGRES_EXPORTER_PASSWORD}@${SMSBRIDGE_HOST}:${POSTGRES_PORT}/smsbridge?sslmode=disable" \
    start postgres_exporter prometheus-postgres-exporter prometheus-postgres-exporter \
    --web.listen-address=127.0.0.1:9187 --extend.query-path="$here/postgres-exporter/queries.yaml"
REDIS_USER=monitor REDIS_PASSWORD="${REDIS_EXPORTER_PASSWORD}" \
    start redis_exporter prometheus-redis-exporter prometheus-redis-exporter \
    --web.listen-address=127.0.0.1:9121 --redis.addr="redis://${SMSBRIDGE_HOST}:${REDIS_PORT}"

cat <<NEXT

Prometheus http://127.0.0.1:9090  Alertmanager http://127.0.0.1:9093
Grafana is not packaged for Debian; run it with the kit's provisioning:
  docker run -d --name smsbridge-grafana -p 127.0.0.1:3000:3000 --network host \\
    -v "$here/grafana/provisioning:/etc/grafana/provisioning:ro" \\
    -v "$here/grafana/dashboards:/var/lib/grafana/dashboards/smsbridge:ro" grafana/grafana-oss:11.3.0
Open the server's ports first (POST /admin/monitoring/open-all), then ./check.sh.
NEXT
