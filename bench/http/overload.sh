#!/usr/bin/env bash
# Overload benchmark: one client floods compute_cells_and_kzg_proofs (about 0.1 s of CPU each) with wrk over
# CONNECTIONS connections (default 256), while a second client, with an API key of its own, sends
# verify_kzg_proof (about 1 ms) at RATE requests/s (default 20). Prints the second client's latencies
# (p50, p99, max) and statuses, the flood's throughput, and how many of its requests kzgd refused (503) or
# dropped at their deadline (504), from kzgd's own metrics.
#
#   bench/http/overload.sh [KZGD]      # KZGD defaults to build/service/kzgd
#
# Environment: DURATION (seconds, default 30), CONNECTIONS, RATE, WRK_THREADS (default 1), KZGD_ARGS (extra
# kzgd flags). Needs wrk, curl and python3 (scripts/install-deps.sh installs them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kzgd="$(readlink -f "${1:-$root/build/service/kzgd}")"
duration="${DURATION:-30}"
connections="${CONNECTIONS:-256}"
rate="${RATE:-20}"
wrk_threads="${WRK_THREADS:-1}"

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "overload.sh: $tool not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
[[ -x "$kzgd" ]] || { echo "overload.sh: $kzgd is not an executable" >&2; exit 1; }

work="$(mktemp -d)"
kzgd_pid=""
cleanup() {
  [[ -n "$kzgd_pid" ]] && kill "$kzgd_pid" 2>/dev/null && wait "$kzgd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

new_key() { printf 'kzgk_%s' "$(od -An -v -tx1 -N32 /dev/urandom | tr -d ' \n')"; }
digest() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
flood_key="$(new_key)"
probe_key="$(new_key)"
cat >"$work/keys.yaml" <<KEYS
keys:
  - name: flood
    sha256: $(digest "$flood_key")
    permissions: [cells, verify]
  - name: probe
    sha256: $(digest "$probe_key")
    permissions: [verify]
KEYS

# A blob of random field elements (each below the modulus: its first byte is 0), and verify_kzg_proof of the
# point at infinity at z = 0, y = 0, which is true.
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
blob = b"".join(b"\x00" + os.urandom(31) for _ in range(4096))
json.dump({"blob": "0x" + blob.hex()}, open(f"{work}/cells.json", "w"))
inf, zero = "0xc0" + "0" * 94, "0x" + "0" * 64
json.dump({"commitment": inf, "z": zero, "y": zero, "proof": inf}, open(f"{work}/verify.json", "w"), separators=(",", ":"))
PY

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# shellcheck disable=SC2086 # KZGD_ARGS is a list of words
KZGD_AUTH_ENABLED=true KZGD_AUTH_KEYS_FILE="$work/keys.yaml" KZGD_LOG_LEVEL=warn \
  "$kzgd" --listen "127.0.0.1:$port" --grpc-listen 127.0.0.1:0 ${KZGD_ARGS:-} >"$work/kzgd.log" 2>&1 &
kzgd_pid=$!
deadline=$((SECONDS + 120))
until curl -fsS -o /dev/null "http://127.0.0.1:$port/ready" 2>/dev/null; do
  kill -0 "$kzgd_pid" 2>/dev/null || { cat "$work/kzgd.log" >&2; echo "overload.sh: kzgd exited" >&2; exit 1; }
  ((SECONDS < deadline)) || { echo "overload.sh: kzgd not ready after 120 s" >&2; exit 1; }
  sleep 0.2
done
echo "overload.sh: $kzgd ready on port $port; flood: $connections connections for ${duration}s; probe: $rate/s"

python3 "$root/deploy/test/loadgen.py" --port "$port" --path /v1/verify_kzg_proof --body-file "$work/verify.json" \
  --expect '{"output":true}' --threads 1 --rate "$rate" --duration "$duration" --timeout 30 \
  --header "X-API-Key:$probe_key" >"$work/probe.json" 2>"$work/probe.log" &
probe_pid=$!
BODY_FILE="$work/cells.json" API_KEY="$flood_key" \
  wrk -t "$wrk_threads" -c "$connections" -d "${duration}s" --timeout 10s -s "$root/bench/http/post.lua" \
  "http://127.0.0.1:$port/v1/compute_cells_and_kzg_proofs" >"$work/wrk.txt" 2>&1 || true
wait "$probe_pid" || true

metrics="$(curl -fsS "http://127.0.0.1:$port/metrics")"
count() { awk -v s="$1" 'index($0, s " ") == 1 {print $2}' <<<"$metrics" | head -n 1; }
echo "flood (wrk): $(grep -E '^RESULT' "$work/wrk.txt" || tail -n 3 "$work/wrk.txt")"
for status in 200 503 504; do
  echo "flood answered $status by kzgd: $(count "kzgd_http_requests_total{operation=\"compute_cells_and_kzg_proofs\",status=\"$status\"}")"
done
echo "shed (503) total: $(count kzgd_requests_shed_total); dropped at deadline: $(count 'kzgd_requests_dropped_total{reason="deadline"}'); dropped, client gone: $(count 'kzgd_requests_dropped_total{reason="client_gone"}')"
python3 - "$work/probe.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
l = r["latency_ms"]
print(f"probe (verify_kzg_proof, second client): requests={r['requests']} statuses={r['statuses']} "
      f"errors={r['errors']} p50_ms={l['p50']:.1f} p99_ms={l['p99']:.1f} max_ms={l['max']:.1f}")
PY
