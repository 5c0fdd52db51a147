#!/usr/bin/env bash
# Runs every test (unit, integration against real PostgreSQL/Redis/HTTP, browser) after installing prerequisites.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-prerequisites.sh
dotnet build SmsBridge.sln -c Debug -nologo -clp:ErrorsOnly
set +e
dotnet test SmsBridge.sln -c Debug --no-build -nologo --logger "console;verbosity=normal" \
  --results-directory TestResults "$@" 2>&1 | tee TestResults.log
status=${PIPESTATUS[0]}
set -e
passed=$( (grep -oE 'Passed: +[0-9]+' TestResults.log || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -oE 'Failed: +[0-9]+' TestResults.log || true) | awk '{s+=$2} END {print s+0}')
rm -f TestResults.log
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
