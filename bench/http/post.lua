-- wrk script: POSTs the file named by BODY_FILE with the Content-Type CONTENT_TYPE (default application/json)
-- and Accept ACCEPT (default: none), with X-API-Key API_KEY (default: none), and prints one machine-readable line at the end:
--   RESULT rps=<requests/s> p50_ms=<median latency> p95_ms=<95th percentile> p99_ms=<99th percentile> requests=<n>
--   errors=<n>
-- errors counts connection errors, timeouts and answers with status >= 400.
local file = assert(io.open(assert(os.getenv("BODY_FILE"), "set BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
local accept = os.getenv("ACCEPT")
if accept and accept ~= "" then wrk.headers["Accept"] = accept end
local key = os.getenv("API_KEY")
if key and key ~= "" then wrk.headers["X-API-Key"] = key end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
