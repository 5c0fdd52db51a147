#!/usr/bin/env bash
# Runs the whole SMS Bridge graph locally: PostgreSQL, Redis, receiver, admin and backup. Ctrl+C stops all.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-prerequisites.sh
exec dotnet run --project SmsBridge.AppHost -- "$@"
