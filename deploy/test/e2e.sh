#!/usr/bin/env bash
# End-to-end test of the operations kit on loopback: two kzgd replicas behind the real nginx config
# (deploy/nginx), scraped by Prometheus with the real rules (deploy/prometheus), under steady load while one
# replica is killed and then both are restarted one at a time (a rolling upgrade). Passes when nginx answers
# /debug itself, no client request failed, every replica served traffic again after its restart, Prometheus
# reports both targets up and the recording rules and every dashboard query have data.
#
# Usage: deploy/test/e2e.sh [path/to/kzgd]   (default build/service/kzgd; KEEP=1 keeps the work directory)
# Needs nginx, prometheus, python3 and curl (scripts/install-deps.sh). About 40 seconds.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kzgd="${1:-$root/build/service/kzgd}"
rate="${E2E_RATE:-150}" # requests per second from the load generator

for tool in nginx prometheus python3 curl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "e2e: $tool not found (scripts/install-deps.sh installs it)" >&2
    exit 1
  fi
done
if [[ ! -x "$kzgd" ]]; then
  echo "e2e: $kzgd is not an executable; build it first (cmake --build build --target kzgd)" >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/kzgd-e2e.XXXXXX")"
declare -A pid=()
cleanup() {
  local name
  for name in "${!pid[@]}"; do
    kill -TERM "${pid[$name]}" 2>/dev/null || true
  done
  for name in "${!pid[@]}"; do
    wait "${pid[$name]}" 2>/dev/null || true
  done
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "e2e: work directory kept: $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

started=$SECONDS
log() { printf 'e2e [%3ds] %s\n' "$((SECONDS - started))" "$*"; }
fail() {
  echo "e2e: FAILED: $*" >&2
  for f in "$work"/*.log "$work"/nginx/error.log; do
    [[ -f "$f" ]] && { echo "--- last lines of $f" >&2; tail -n 15 "$f" >&2; }
  done
  exit 1
}

read -r port_a port_b port_lb port_prom < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
declare -A port=([a]=$port_a [b]=$port_b)

# A replica as an operator would run it, made quick to start: no cell-proof or fixed-base tables (the load
# only verifies KZG proofs), one worker, a 1 s drain and a 5 s grace period.
start_kzgd() {
  local name=$1
  KZGD_SETUP_CELL_PROOFS=false KZGD_SETUP_FIXED_BASE_MSM=false \
    "$kzgd" --listen "127.0.0.1:${port[$name]}" --grpc-listen 127.0.0.1:0 --workers 1 --log-level warn \
    --drain-delay-seconds 1 --grace-seconds 5 >>"$work/kzgd-$name.log" 2>&1 &
  pid[$name]=$!
}

# Waits (up to 30 s) for GET /ready to answer 200.
wait_ready() {
  local name=$1 deadline=$((SECONDS + 30))
  until curl -fsS -o /dev/null "http://127.0.0.1:${port[$name]}/ready" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "replica $name not ready after 30 s"
    kill -0 "${pid[$name]}" 2>/dev/null || fail "replica $name exited during start-up"
    sleep 0.1
  done
}

# Waits (up to 30 s) until nginx has sent the replica 20 requests that it answered 200, that is until the load
# balancer uses it again (after a failure nginx skips a replica for fail_timeout).
wait_traffic() {
  local name=$1 deadline=$((SECONDS + 30)) served
  while :; do
    served="$(curl -fsS "http://127.0.0.1:${port[$name]}/metrics" 2>/dev/null |
      awk '/^kzgd_http_requests_total\{operation="verify_kzg_proof",status="200"\}/ {print $2}')"
    [[ -n "$served" ]] && ((${served%.*} >= 20)) && break
    ((SECONDS < deadline)) || fail "nginx sent replica $name no traffic within 30 s (served: ${served:-0})"
    sleep 0.2
  done
}

# SIGTERM, then wait for the graceful exit (drain, close, finish); exit code 0 expected.
stop_kzgd() {
  local name=$1 status=0
  kill -TERM "${pid[$name]}"
  wait "${pid[$name]}" || status=$?
  unset "pid[$name]"
  ((status == 0)) || fail "replica $name exited with $status after SIGTERM (expected 0)"
}

log "kzgd: $kzgd; replicas on ports $port_a and $port_b, nginx on $port_lb, prometheus on $port_prom"
start_kzgd a
start_kzgd b
wait_ready a
wait_ready b
log "both replicas ready"

"$root/deploy/test/render-nginx.sh" "$work/nginx" "$port_a" "$port_b" "$port_lb"
nginx -t -q -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" || fail "nginx -t"
nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pid[nginx]=$!

cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $root/deploy/prometheus/recording-rules.yml
  - $root/deploy/prometheus/alerting-rules.yml
scrape_configs:
  - job_name: kzgd
    static_configs:
      - targets: ["127.0.0.1:$port_a", "127.0.0.1:$port_b"]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-data" \
  --web.listen-address="127.0.0.1:$port_prom" --log.level=warn >"$work/prometheus.log" 2>&1 &
pid[prometheus]=$!

# The request: verify_kzg_proof of the point at infinity at z = 0, y = 0, which is true.
infinity="0xc0$(printf '0%.0s' {1..94})"
zero="0x$(printf '0%.0s' {1..64})"
printf '{"commitment":"%s","z":"%s","y":"%s","proof":"%s"}' "$infinity" "$zero" "$zero" "$infinity" >"$work/body.json"
deadline=$((SECONDS + 10))
until curl -fsS -o /dev/null "http://127.0.0.1:$port_lb/v1/verify_kzg_proof" -d @"$work/body.json" 2>/dev/null; do
  ((SECONDS < deadline)) || fail "nginx does not answer on port $port_lb"
  sleep 0.1
done
log "nginx answers"
# The debug endpoints stay inside: nginx answers them itself, so no replica sees them (kzgd would refuse a
# proxied one without an admin key too). A replica answers 200 directly (loopback, auth off); through nginx, 404
# with nginx's own body (deploy/test/secure-nginx-debug.sh checks more spellings against stub replicas).
code="$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port_a/debug/health")"
[[ "$code" == 200 ]] || fail "GET /debug/health on replica a answered $code, expected 200 (loopback, auth off)"
for path in /debug/health /debug/profile /%64ebug/health; do
  answer="$(curl -sS --path-as-is -w ' %{http_code}' "http://127.0.0.1:$port_lb$path")"
  [[ "$answer" == *'not served through the load balancer'*' 404' ]] ||
    fail "GET $path through nginx: expected nginx's own 404, got: $answer"
done
log "/debug/health: 200 from a replica directly, 404 from nginx itself through the load balancer"
log "starting the load: $rate requests/s on 4 keep-alive connections"
python3 "$root/deploy/test/loadgen.py" --port "$port_lb" --path /v1/verify_kzg_proof --body-file "$work/body.json" \
  --expect '{"output":true}' --threads 4 --rate "$rate" >"$work/load.json" 2>"$work/load.log" &
pid[load]=$!
sleep 3

log "SIGKILL replica a"
kill -KILL "${pid[a]}"
wait "${pid[a]}" 2>/dev/null || true
unset "pid[a]"
sleep 2
t0=$SECONDS
start_kzgd a
wait_ready a
wait_traffic a
log "replica a restarted, ready and serving again ($((SECONDS - t0)) s)"

for name in b a; do
  t0=$SECONDS
  log "rolling upgrade of replica $name: SIGTERM"
  stop_kzgd "$name"
  log "replica $name exited 0 ($((SECONDS - t0)) s); starting it again"
  start_kzgd "$name"
  wait_ready "$name"
  wait_traffic "$name"
  log "replica $name ready and serving again ($((SECONDS - t0)) s after SIGTERM)"
done
sleep 2

kill -TERM "${pid[load]}"
load_status=0
wait "${pid[load]}" || load_status=$?
unset "pid[load]"
summary="$(cat "$work/load.json")"
log "load: $summary"
[[ -s "$work/load.log" ]] && cat "$work/load.log" >&2
python3 - "$summary" "$rate" <<'PY' || fail "client requests failed or too few were made"
import json, sys
s = json.loads(sys.argv[1])
rate = float(sys.argv[2])
assert s["failed"] == 0 and not s["errors"], f"{s['failed']} failed requests: {s['statuses']} {s['errors']}"
assert s["requests"] == s["ok"] == s["statuses"].get("200"), s
# The generator keeps its rate unless the service stalls (each client waits for its answer): at least 30% of
# it over the run, which a sanitizer build on a busy machine still reaches.
assert s["requests"] >= 0.3 * rate * s["seconds"], f"only {s['requests']} requests in {s['seconds']} s"
PY
((load_status == 0)) || fail "the load generator exited with $load_status"
# Each failure (the kill, then each SIGTERM) made nginx take a replica out for fail_timeout: at least three.
disabled="$(grep -c 'upstream server temporarily disabled' "$work/nginx/error.log" || true)"
((disabled >= 3)) || fail "nginx marked a replica failed $disabled times, expected at least 3 (kill + 2 restarts)"
log "nginx took a replica out $disabled times; every request it had sent there was retried on the other one"

# Prometheus: both targets up (scraped since their last restart), and the recording rules evaluated.
# prom_query targets | prom_query query 'PROMQL': the API's JSON answer, or {} when there is none.
prom_query() {
  if (($# == 1)); then
    curl -fsS "http://127.0.0.1:$port_prom/api/v1/$1" 2>/dev/null || echo '{}'
  else
    curl -fsS -G "http://127.0.0.1:$port_prom/api/v1/$1" --data-urlencode "query=$2" 2>/dev/null || echo '{}'
  fi
}
# The first value of an instant query's answer.
first_value() { python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])'; }
deadline=$((SECONDS + 30))
until python3 -c '
import json, sys
targets = json.loads(sys.argv[1]).get("data", {}).get("activeTargets", [])
up = sorted(t["labels"]["instance"] for t in targets if t["health"] == "up" and t["labels"]["job"] == "kzgd")
sys.exit(0 if len(up) == 2 else 1)' "$(prom_query targets)"; do
  ((SECONDS < deadline)) || fail "Prometheus does not report both targets up: $(prom_query targets)"
  sleep 0.5
done
log "Prometheus: both kzgd targets up"
deadline=$((SECONDS + 30))
until python3 -c '
import json, sys
result = json.loads(sys.argv[1]).get("data", {}).get("result", [])
sys.exit(0 if result and float(result[0]["value"][1]) > 0 else 1)' \
  "$(prom_query query job:kzgd_http_requests:rate5m)"; do
  ((SECONDS < deadline)) || fail "recording rule job:kzgd_http_requests:rate5m has no positive value"
  sleep 0.5
done
log "Prometheus: job:kzgd_http_requests:rate5m = $(prom_query query job:kzgd_http_requests:rate5m | first_value) requests/s"
up_count="$(prom_query query 'sum(up{job="kzgd"})' | first_value)"
[[ "$up_count" == 2 ]] || fail "sum(up{job=\"kzgd\"}) is $up_count, expected 2"
# The dashboard's queries, on the same data: valid PromQL, real metric names.
python3 "$root/deploy/test/check-dashboard.py" "http://127.0.0.1:$port_prom" "$root/deploy/grafana/kzgd-dashboard.json" ||
  fail "dashboard queries"
# The operators' health check: all OK on a serving replica (its log has no warning), FAIL on a closed port.
health_status=0
"$root/scripts/kzgd-health.sh" --url "http://127.0.0.1:$port_b" --log "$work/kzgd-b.log" >"$work/health.txt" ||
  health_status=$?
((health_status == 0)) || fail "kzgd-health.sh on replica b exited $health_status: $(cat "$work/health.txt")"
grep -q '^OK   ready ' "$work/health.txt" || fail "kzgd-health.sh did not report replica b ready: $(cat "$work/health.txt")"
kill -TERM "${pid[nginx]}"
wait "${pid[nginx]}" 2>/dev/null || true
unset "pid[nginx]"
health_status=0
"$root/scripts/kzgd-health.sh" --url "http://127.0.0.1:$port_lb" --unit none >"$work/health-down.txt" 2>&1 ||
  health_status=$?
((health_status == 2)) || fail "kzgd-health.sh on a closed port exited $health_status, expected 2"
log "kzgd-health.sh: exit 0 on a serving replica, 2 on a closed port"
log "PASSED in $((SECONDS - started)) s"
echo "e2e: 1 passed, 0 failed"
