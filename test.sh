#!/usr/bin/env bash
# Runs every test project (unit, integration against real PostgreSQL/Redis/HTTP, deploy, browser) after installing
# prerequisites; dotnet test runs the four assemblies side by side and the summary sums their counts.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-prerequisites.sh
dotnet build SmsBridge.sln -c Debug -nologo -clp:ErrorsOnly
rm -rf TestResults/graph-logs
set +e
dotnet test SmsBridge.sln -c Debug --no-build -nologo --logger "console;verbosity=normal" \
  --results-directory TestResults "$@" 2>&1 | tee TestResults.log
status=${PIPESTATUS[0]}
set -e
passed=$( (grep -oE 'Passed: +[0-9]+' TestResults.log || true) | awk '{s+=$2} END {print s+0}')
failed=$( (grep -oE 'Failed: +[0-9]+' TestResults.log || true) | awk '{s+=$2} END {print s+0}')
rm -f TestResults.log
# A service that answered 500 keeps its logs (TestGraph): show the exceptions here, where CI's output is all one sees.
if [ -d TestResults/graph-logs ]; then
  echo "Unhandled exceptions in the services (one test causes a 500 on purpose; full logs in TestResults/graph-logs/):"
  find TestResults/graph-logs -name '*.log' -exec awk '
    /An unhandled exception has occurred/ { held = FILENAME ":\n" $0; start = NR; next }
    start && NR == start + 1 { if (/^Microsoft.AspNetCore.Http.BadHttpRequestException/) start = 0; else print held }
    start && NR <= start + 30 { print }' {} + 2>/dev/null | head -300 || true
fi
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
