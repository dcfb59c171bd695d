#!/usr/bin/env bash
# Load test of the webhook receiver, run by hand (not part of ./build.sh test); numbers go in docs/benchmarks.md.
#
#   tests/load/webhooks.sh            # needs wrk (apt-get install -y wrk) and the .NET SDK
#
# Starts samples/WebhookServer (Release, --bench) on 127.0.0.1 only, then measures with wrk, the same client settings
# for both routes, one after the other against the same process:
#   full: POST /twilio/messages  signature validation (HMAC-SHA1 over URL + sorted form), dedupe (new key each request),
#         typed payload + keyword classification, enqueue on the bounded queue, 200 empty TwiML; the hosted worker
#         drains the queue (built-in steps + a logging handler at Warning level) on the same 2 cores meanwhile;
#   bare: POST /bare/messages    the form read and parsed, the same 200 empty TwiML, nothing else.
# The routes are measured in alternation (ROUNDS rounds of full then bare, DURATION seconds each, after one WARMUP per
# route) and the median of each is reported, so background load on a shared machine hits both alike.
# Load time is bounded: 2 x (WARMUP + ROUNDS x DURATION) <= 30 s (default 2 x (2 + 6 x 2) = 28 s).
#
# OUTBOX=1 runs the full route in outbox mode: every store in PostgreSQL and every webhook stored in the outbox before
# its 200 (PGHOST, PGPORT, PGUSER, PGDATABASE say where: a local server, e.g. the one ./build.sh test starts). The run
# uses a fresh schema and drops it at the end; after the load it waits (at most 60 s) for the workers to empty the
# outbox and reports how long that took, since an ack rate the workers cannot keep up with is only a growing backlog.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${PORT:-5088}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-8}"
WARMUP="${WARMUP:-2}"
ROUNDS="${ROUNDS:-6}"
DURATION="${DURATION:-2}"
if (( 2 * (WARMUP + ROUNDS * DURATION) > 30 )); then
  echo "2 x (WARMUP + ROUNDS x DURATION) must stay within 30 s." >&2
  exit 2
fi

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

ACCOUNT_SID="AC$(printf '%032d' 1)"
AUTH_TOKEN="0123456789abcdef0123456789abcdef"
BASE="http://127.0.0.1:${PORT}"

dotnet build "$ROOT/samples/WebhookServer" -c Release -v quiet -nologo >/dev/null
DLL="$ROOT/samples/WebhookServer/bin/Release/net10.0/WebhookServer.dll"

STORAGE=()
if [[ "${OUTBOX:-0}" == 1 ]]; then
  command -v psql >/dev/null || { echo "OUTBOX=1 needs psql (the postgresql-client package)" >&2; exit 2; }
  export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-postgres}"
  SCHEMA="load_$$"
  STORAGE=("ConnectionStrings__OmniChannel=Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Database=$PGDATABASE" "PostgreSql__SchemaName=$SCHEMA" "PostgreSql__WebhookOutbox=true")
fi

env "${STORAGE[@]}" TWILIO_ACCOUNT_SID="$ACCOUNT_SID" TWILIO_AUTH_TOKEN="$AUTH_TOKEN" \
  Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production Webhooks__WorkerConcurrency="${WORKERS:-8}" \
  dotnet "$DLL" --bench --urls "$BASE" >/tmp/webhookserver-load.log 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true
  [[ -n "${SCHEMA:-}" ]] && psql -qAtc "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "$BASE/healthz" >/dev/null || { echo "WebhookServer did not start:"; cat /tmp/webhookserver-load.log; exit 1; }

# A realistic inbound SMS; the signature is computed here exactly as Twilio does (URL + sorted name/value pairs).
declare -A FORM=(
  [ToCountry]=US [ToState]=CA [SmsMessageSid]=SM0123456789abcdef0123456789abcdef [NumMedia]=0 [ToCity]="SAN FRANCISCO"
  [FromZip]=94105 [SmsSid]=SM0123456789abcdef0123456789abcdef [FromState]=CA [SmsStatus]=received [FromCity]="SAN FRANCISCO"
  [Body]="Hi, is my order 10492 shipping today?" [FromCountry]=US [To]=+14155550100 [ToZip]=94105 [NumSegments]=1
  [MessageSid]=SM0123456789abcdef0123456789abcdef [AccountSid]="$ACCOUNT_SID" [From]=+14155550111 [ApiVersion]=2010-04-01
)
urlencode() { local LC_ALL=C s="$1" out="" c i; for (( i=0; i<${#s}; i++ )); do c="${s:i:1}"; case "$c" in [a-zA-Z0-9.~_-]) out+="$c";; ' ') out+='+';; *) out+=$(printf '%%%02X' "'$c");; esac; done; printf '%s' "$out"; }
sign() { # -> BODY and SIGNATURE for the FORM as it stands
  BODY=""
  local signed="$BASE/twilio/messages" key
  for key in $(printf '%s\n' "${!FORM[@]}" | LC_ALL=C sort); do
    signed+="$key${FORM[$key]}"
    BODY+="${BODY:+&}$(urlencode "$key")=$(urlencode "${FORM[$key]}")"
  done
  SIGNATURE=$(printf '%s' "$signed" | openssl dgst -sha1 -hmac "$AUTH_TOKEN" -binary | base64)
}
# SENDERS distinct From numbers (default 1; 100 with OUTBOX=1): the pipeline keeps each sender's webhooks in order, so
# one sender is one lane in memory and one partition in the outbox, where its webhooks are claimed one at a time.
SENDERS="${SENDERS:-$([[ "${OUTBOX:-0}" == 1 ]] && echo 100 || echo 1)}"
BODIES=""
SIGNATURES=""
for (( i = 0; i < SENDERS; i++ )); do
  (( SENDERS > 1 )) && FORM[From]=$(printf '+1415556%04d' "$i")
  sign
  BODIES+="$BODY"$'\n'; SIGNATURES+="$SIGNATURE"$'\n'
done
export WEBHOOK_BODIES="$BODIES" WEBHOOK_SIGNATURES="$SIGNATURES"

# One signed request by hand first: it must be accepted, or the run would measure 403s.
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/twilio/messages" -H "X-Twilio-Signature: $SIGNATURE" \
  -H 'Content-Type: application/x-www-form-urlencoded' -H 'I-Twilio-Idempotency-Token: probe' --data "$BODY")
[[ "$STATUS" == 200 ]] || { echo "signed probe answered $STATUS, expected 200"; exit 1; }

RUN=0
TICKS=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; }
measure() { # route -> RESULT line, plus the server's CPU time per request (robust to other load on a shared machine)
  RUN=$((RUN + 1)); export WEBHOOK_RUN="$$-$RUN"
  local before after line requests
  before=$(cpu_ticks)
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$ROOT/tests/load/webhooks.lua" "$BASE$1" | grep '^RESULT')
  after=$(cpu_ticks)
  requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
  echo "$line server_cpu_us_per_req=$(awk -v t=$((after - before)) -v hz="$TICKS" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')"
}
median() { # field, lines on stdin -> the median value of field
  sed -E "s/.*$1=([0-9.]+).*/\1/" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "senders=$SENDERS outbox=${OUTBOX:-0} cores=$(nproc) threads=$THREADS connections=$CONNECTIONS rounds=$ROUNDS x ${DURATION}s per route (after ${WARMUP}s warm-up each); load average $(cut -d' ' -f1-3 /proc/loadavg)"
WEBHOOK_RUN="$$-warm-full" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$ROOT/tests/load/webhooks.lua" "$BASE/twilio/messages" >/dev/null
WEBHOOK_RUN="$$-warm-bare" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$ROOT/tests/load/webhooks.lua" "$BASE/bare/messages" >/dev/null
FULL_RUNS=""
BARE_RUNS=""
for round in $(seq 1 "$ROUNDS"); do
  RUN=$((RUN + 1)); f=$(measure /twilio/messages); b=$(measure /bare/messages)
  echo "round $round full ${f#RESULT }"
  echo "round $round bare ${b#RESULT }"
  FULL_RUNS+="$f"$'\n'; BARE_RUNS+="$b"$'\n'
done
HEALTH=$(curl -s "$BASE/healthz")
echo "health after the run: $HEALTH"

summary() { # runs label
  local runs="$1"
  printf '%s median: rps=%s p50_ms=%s p90_ms=%s p99_ms=%s server_cpu_us_per_req=%s non2xx=%s\n' "$2" \
    "$(grep . <<<"$runs" | median rps)" "$(grep . <<<"$runs" | median p50_ms)" "$(grep . <<<"$runs" | median p90_ms)" \
    "$(grep . <<<"$runs" | median p99_ms)" "$(grep . <<<"$runs" | median server_cpu_us_per_req)" "$(grep . <<<"$runs" | sed -E 's/.*non2xx=([0-9]+).*/\1/' | paste -sd+ | bc)"
}
FULL=$(summary "$FULL_RUNS" full)
BARE=$(summary "$BARE_RUNS" bare)
echo "$FULL"
echo "$BARE"
full_rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$FULL")
bare_rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$BARE")
full_p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$FULL")
ratio=$(awk -v f="$full_rps" -v b="$bare_rps" 'BEGIN { printf "%.1f", 100 * f / b }')
full_cpu=$(sed -E 's/.*server_cpu_us_per_req=([0-9.]+).*/\1/' <<<"$FULL")
bare_cpu=$(sed -E 's/.*server_cpu_us_per_req=([0-9.]+).*/\1/' <<<"$BARE")
echo "full/bare throughput: ${ratio}% (target >= 90%); full p99: ${full_p99} ms (target < 5 ms); server CPU per request: full ${full_cpu} us, bare ${bare_cpu} us"
if [[ -n "${SCHEMA:-}" ]]; then
  waited=0
  backlog=$(psql -qAtc "SELECT count(*) FROM $SCHEMA.webhook_outbox")
  echo "outbox backlog when the load stopped: $backlog webhooks"
  started=$(date +%s.%N)
  while (( backlog > 0 && waited < 600 )); do sleep 0.1; waited=$((waited + 1)); backlog=$(psql -qAtc "SELECT count(*) FROM $SCHEMA.webhook_outbox"); done
  echo "outbox drained in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s (left: $backlog)"
fi
