#!/usr/bin/env bash
# Refreshes the operations page's screenshots in docs/ops (README, "Operations page"): the browser
# test that drives a busy demo page in headless Chromium writes them there.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x /usr/bin/chromium ]] || { apt-get update -qq && apt-get install -y -qq chromium; }
dotnet build tests/Browser.Tests -c Release
DISTRIBUTION_OPS_SCREENSHOTS="$PWD/docs/ops" \
  dotnet test tests/Browser.Tests -c Release --no-build --filter "FullyQualifiedName~Screenshots_of_a_busy_page"
ls -l docs/ops/*.png
