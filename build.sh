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
  install_twilio_specs
}

# Twilio's official OpenAPI specs ship in this npm package; the tarball is pinned by its sha512 like the lock file pins
# the oracles. The strict copies (reference §8) are what Prism serves to the conformance tests.
TWILIO_SPECS_PACKAGE="@twilio-alpha/mcp@0.7.0"
TWILIO_SPECS_TARBALL="twilio-alpha-mcp-0.7.0.tgz"
TWILIO_SPECS_SHA512="YsUde1pMXwqHm8Cvq9JdtsyvclVCC/f/V+FmxTNN04u5Qt5aapkbQgcfqBYQ0xcmvATBNswgPDo3MPVaCtZK8Q=="
PRISM_PIDS=()

install_twilio_specs() {
  local cache="$ROOT/.tools/twilio-specs"
  local tarball="$cache/$TWILIO_SPECS_TARBALL"
  mkdir -p "$cache"
  if [ ! -f "$tarball" ] || [ "$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)" != "$TWILIO_SPECS_SHA512" ]; then
    log "npm pack $TWILIO_SPECS_PACKAGE (Twilio OpenAPI specs)"
    rm -f "$tarball"
    (cd "$cache" && npm pack "$TWILIO_SPECS_PACKAGE" --silent --loglevel=error >/dev/null)
  fi
  if [ "$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)" != "$TWILIO_SPECS_SHA512" ]; then
    echo "The sha512 of $TWILIO_SPECS_TARBALL does not match the pinned value; refusing to use it." >&2
    return 1
  fi
  rm -rf "$cache/spec" && mkdir -p "$cache/spec"
  tar -xzf "$tarball" -C "$cache/spec" --strip-components=4 \
    package/twilio-oai/spec/json/twilio_conversations_v1.json package/twilio-oai/spec/json/twilio_api_v2010.json
  for spec in twilio_conversations_v1 twilio_api_v2010; do
    node "$ROOT/tests/oracles/derive-strict-spec.js" "$cache/spec/$spec.json" "$cache/spec/$spec.strict.json"
  done
}

start_prism() {
  # One Prism mock per spec (both have /v1/Services-style paths); request validation is Prism's default in mock mode.
  local spec="$1" variable="$2" port pid
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  "$ROOT/tests/oracles/node_modules/.bin/prism" mock -h 127.0.0.1 -p "$port" "$spec" >"$ROOT/artifacts/prism-$port.log" 2>&1 &
  pid=$!
  PRISM_PIDS+=("$pid")
  export "$variable=http://127.0.0.1:$port/"
  echo "Prism $(basename "$spec") on port $port (pid $pid) -> $variable"
}

wait_prism() {
  local url
  for url in "$OMNICHANNEL_PRISM_CONVERSATIONS_URL" "$OMNICHANNEL_PRISM_API_URL"; do
    for _ in $(seq 1 120); do
      if curl -s -o /dev/null "$url"; then continue 2; fi
      sleep 0.5
    done
    echo "Prism at $url did not start; see artifacts/prism-*.log" >&2
    return 1
  done
}

stop_prism() {
  local pid
  for pid in "${PRISM_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PRISM_PIDS=()
}

PG_DIR=""
PG_BIN=""

start_postgres() {
  # A throw-away PostgreSQL cluster on 127.0.0.1 with a free port under a temp folder; installed from Debian when missing.
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$PG_BIN" ]; then
    log "apt-get install postgresql"
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
    else
      sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
    fi
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  PG_DIR=$(mktemp -d /tmp/omnichannel-pg.XXXXXX)
  local port run=()
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root: run the cluster as the 'postgres' system user the package creates.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync -E UTF8 >"$PG_DIR/initdb.log" 2>&1
  "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c max_connections=200" start >/dev/null
  export OMNICHANNEL_POSTGRES_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($PG_DIR) -> OMNICHANNEL_POSTGRES_CONNECTION"
}

stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
    local run=()
    [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
    "${run[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  PG_DIR=""
}

stop_services() {
  stop_prism
  stop_postgres
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

check_pack() {
  # The promise of the foundation issue: `dotnet pack -c Release` gives the seven packages, with no warning.
  log "dotnet pack (7 packages, warnings are errors)"
  local out="$ROOT/artifacts/packages"
  rm -rf "$out" && mkdir -p "$ROOT/artifacts"
  dotnet pack OmniChannel.Messaging.sln -c Release --no-build -o "$out" -warnaserror >"$ROOT/artifacts/pack.log" 2>&1 || { cat "$ROOT/artifacts/pack.log"; return 1; }
  if grep -qi "warning" "$ROOT/artifacts/pack.log"; then
    cat "$ROOT/artifacts/pack.log"; echo "dotnet pack printed a warning" >&2; return 1
  fi
  local count
  count=$(find "$out" -name '*.nupkg' | wc -l)
  if [ "$count" -ne 7 ]; then
    ls "$out"; echo "dotnet pack produced $count .nupkg files, expected 7" >&2; return 1
  fi
  echo "$count packages in $out"
}

check_aot() {
  # IsTrimmable/IsAotCompatible are promises: publish a native AOT app that roots every package whole (any trim or AOT
  # warning is an error) and run it against a stand-in Twilio on 127.0.0.1. Native AOT links with clang (or gcc) and zlib.
  log "native AOT publish (tests/aot-check)"
  if ! { command -v clang >/dev/null || command -v gcc >/dev/null; } || [ ! -f /usr/include/zlib.h ]; then
    log "apt-get install clang zlib1g-dev (native AOT toolchain)"
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang zlib1g-dev >/dev/null
    else
      sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q clang zlib1g-dev >/dev/null
    fi
  fi
  local out="$ROOT/artifacts/aot-check"
  rm -rf "$out" && mkdir -p "$ROOT/artifacts"
  dotnet publish tests/aot-check/AotCheck.csproj -c Release --use-current-runtime -o "$out" >"$ROOT/artifacts/aot-check.log" 2>&1 || { cat "$ROOT/artifacts/aot-check.log"; return 1; }
  "$out/AotCheck"
}

run_tests() {
  install_oracles
  log "dotnet build"
  dotnet build OmniChannel.Messaging.sln -c Release
  check_pack
  check_aot
  local results="$ROOT/artifacts/test-results"
  rm -rf "$results"
  mkdir -p "$ROOT/artifacts" && rm -f "$ROOT"/artifacts/prism-*.log
  log "Prism mocks (strict Twilio specs)"
  trap stop_services EXIT
  start_prism "$ROOT/.tools/twilio-specs/spec/twilio_conversations_v1.strict.json" OMNICHANNEL_PRISM_CONVERSATIONS_URL
  start_prism "$ROOT/.tools/twilio-specs/spec/twilio_api_v2010.strict.json" OMNICHANNEL_PRISM_API_URL
  wait_prism
  log "PostgreSQL (throw-away cluster)"
  start_postgres
  log "dotnet test"
  local status=0
  dotnet test OmniChannel.Messaging.sln -c Release --no-build --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?
  stop_services
  summarize "$results"
  return $status
}

case "${1:-test}" in
  test) run_tests ;;
  quickstart) dotnet run --project samples/Quickstart -c Release ;;
  pack) dotnet pack OmniChannel.Messaging.sln -c Release -o "$ROOT/artifacts/packages" ;;
  *) echo "usage: ./build.sh [test|quickstart|pack]" >&2; exit 2 ;;
esac
