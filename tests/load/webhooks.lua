-- wrk script for tests/load/webhooks.sh: every request carries the same signed inbound-message body (the signature
-- covers the URL and form, not headers) and a unique I-Twilio-Idempotency-Token, so the dedupe store sees a new key
-- each time and every request goes through validation + dedupe + enqueue (no 200-for-a-repeat short cut).
-- Environment: WEBHOOK_BODY (form body), WEBHOOK_SIGNATURE.
local counter = 0
local id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.body = os.getenv("WEBHOOK_BODY")
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["X-Twilio-Signature"] = os.getenv("WEBHOOK_SIGNATURE")
  id = tonumber(wrk.thread:get("id"))
end

function request()
  counter = counter + 1
  wrk.headers["I-Twilio-Idempotency-Token"] = "load-" .. id .. "-" .. counter
  return wrk.format()
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, non2xx, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
