#!/usr/bin/env bash
# One entry point for a fresh machine.
#   ./build.sh test        install what the tests need (npm oracles from the lock file), build, run every test
#   ./build.sh quickstart  run samples/Quickstart (on the embedded emulator when no TWILIO_* variables are set)
#   ./build.sh pack        produce the NuGet packages under artifacts/packages
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\n== %s ==\n' "$*"; }

install_oracles() {
  # Reference implementations from npm, exactly as locked: Twilio's Node helper, google-libphonenumber, Prism.
  local dir="$ROOT/tests/oracles"
  local stamp="$dir/node_modules/.omnichannel-lock.sha"
  local want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "npm ci (tests/oracles)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
  export OMNICHANNEL_ORACLES_DIR="$dir"
}

summarize() {
  # Sum the TRX files into one closing line: 'Tests: N passed, N failed, N skipped'.
  python3 - "$1" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
}

run_tests() {
  install_oracles
  log "dotnet build"
  dotnet build OmniChannel.Messaging.sln -c Release
  local results="$ROOT/artifacts/test-results"
  rm -rf "$results"
  log "dotnet test"
  local status=0
  dotnet test OmniChannel.Messaging.sln -c Release --no-build --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?
  summarize "$results"
  return $status
}

case "${1:-test}" in
  test) run_tests ;;
  quickstart) dotnet run --project samples/Quickstart -c Release ;;
  pack) dotnet pack OmniChannel.Messaging.sln -c Release -o "$ROOT/artifacts/packages" ;;
  *) echo "usage: ./build.sh [test|quickstart|pack]" >&2; exit 2 ;;
esac
