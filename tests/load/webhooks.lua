-- wrk script for tests/load/webhooks.sh: every request carries one of the signed inbound-message bodies (one per sender,
-- taken in turn; the signature covers the URL and form, not headers) and a unique I-Twilio-Idempotency-Token, so the
-- dedupe store sees a new key each time and every request goes through validation + dedupe + enqueue (no
-- 200-for-a-repeat short cut).
-- The requests are formatted in init (not timed), so the client spends little CPU per request on the shared cores.
-- Environment: WEBHOOK_BODIES and WEBHOOK_SIGNATURES (one per line, same order), WEBHOOK_RUN (unique per wrk run), WEBHOOK_POOL (requests
-- formatted per thread; past them each request is formatted on the fly, still with a fresh token).
local pool = {}
local size = 0
local index = 0
local prefix = ""
local threads = {}
local bodies = {}
local signatures = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  for line in os.getenv("WEBHOOK_BODIES"):gmatch("[^\n]+") do table.insert(bodies, line) end
  for line in os.getenv("WEBHOOK_SIGNATURES"):gmatch("[^\n]+") do table.insert(signatures, line) end
  prefix = "load-" .. os.getenv("WEBHOOK_RUN") .. "-" .. wrk.thread:get("id") .. "-"
  size = tonumber(os.getenv("WEBHOOK_POOL") or "100000")
  for i = 1, size do
    pool[i] = format(i)
  end
end

function format(i)
  local sender = (i - 1) % #bodies + 1
  wrk.body = bodies[sender]
  wrk.headers["X-Twilio-Signature"] = signatures[sender]
  wrk.headers["I-Twilio-Idempotency-Token"] = prefix .. i
  return wrk.format()
end

function request()
  index = index + 1
  if index <= size then
    return pool[index]
  end
  return format(index)
end

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
