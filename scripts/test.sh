#!/usr/bin/env bash
# Runs every test of the project on a fresh Debian machine with the .NET SDK: installs and starts
# a private PostgreSQL (scripts/postgres.sh) for the durable-mode tests, checks formatting, builds
# with warnings as errors, then runs the unit, grain, API, PostgreSQL integration and deployment suites.
# Usage: bash scripts/test.sh [--no-format] [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

check_format=1
if [[ "${1:-}" == "--no-format" ]]; then
  check_format=0
  shift
fi

echo "== Chromium (browser tests)"
[[ -x /usr/bin/chromium ]] || { apt-get update -qq && apt-get install -y -qq chromium; }

echo "== PostgreSQL"
DISTRIBUTION_TEST_PG="$(bash scripts/postgres.sh start | tail -n 1)"
export DISTRIBUTION_TEST_PG

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "== Build (warnings are errors)"
dotnet build Distribution.Orleans.sln -c Release

if [[ $check_format -eq 1 ]]; then
  echo "== Format"
  dotnet format Distribution.Orleans.sln --verify-no-changes --no-restore
fi

status=0
log="$(mktemp)"
for project in tests/Domain.Tests tests/Grains.Tests tests/Api.Tests tests/Simulation.Tests tests/Integration.Tests tests/Deployment.Tests tests/Browser.Tests; do
  echo "== Test ${project}"
  dotnet test "$project" -c Release --no-build "$@" 2>&1 | tee -a "$log" || status=1
done

# One closing line over all suites, from the runner's own summaries.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [[ $passed -eq 0 ]]; then
  echo "no test ran" >&2
  status=1
fi
exit $status
