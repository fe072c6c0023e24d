#!/usr/bin/env bash
# Hang-up benchmark: COUNT (default 300) clients each send compute_cells_and_kzg_proofs (about 0.1 s of CPU) and
# close their connection at once; meanwhile a second client sends one verify_kzg_proof a second. Prints how
# many of the abandoned requests kzgd still computed, how many it dropped unrun, and the verifications'
# latencies (each waits behind the abandoned work unless kzgd drops it).
#
#   bench/http/hangup.sh [KZGD]      # KZGD defaults to build/service/kzgd
#
# Environment: COUNT, KZGD_ARGS (extra kzgd flags). Needs curl and python3.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kzgd="$(readlink -f "${1:-$root/build/service/kzgd}")"
count="${COUNT:-300}"
[[ -x "$kzgd" ]] || { echo "hangup.sh: $kzgd is not an executable" >&2; exit 1; }

work="$(mktemp -d)"
kzgd_pid=""
cleanup() {
  [[ -n "$kzgd_pid" ]] && kill "$kzgd_pid" 2>/dev/null && wait "$kzgd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# Two clients as a trusted proxy on loopback names them (X-Forwarded-For), so each has its own fair share.
# shellcheck disable=SC2086 # KZGD_ARGS is a list of words
KZGD_ACCESS_TRUSTED_PROXIES=127.0.0.0/8 KZGD_LOG_LEVEL=warn "$kzgd" --listen "127.0.0.1:$port" --grpc-listen 127.0.0.1:0 ${KZGD_ARGS:-} \
  >"$work/kzgd.log" 2>&1 &
kzgd_pid=$!
deadline=$((SECONDS + 120))
until curl -fsS -o /dev/null "http://127.0.0.1:$port/ready" 2>/dev/null; do
  kill -0 "$kzgd_pid" 2>/dev/null || { cat "$work/kzgd.log" >&2; echo "hangup.sh: kzgd exited" >&2; exit 1; }
  ((SECONDS < deadline)) || { echo "hangup.sh: kzgd not ready after 120 s" >&2; exit 1; }
  sleep 0.2
done

python3 - "$port" "$count" <<'PY'
import http.client, json, os, socket, sys, time, urllib.request
port, count = int(sys.argv[1]), int(sys.argv[2])
blob = b"".join(b"\x00" + os.urandom(31) for _ in range(4096))
body = json.dumps({"blob": "0x" + blob.hex()}).encode()
head = (f"POST /v1/compute_cells_and_kzg_proofs HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
inf, zero = "0xc0" + "0" * 94, "0x" + "0" * 64
verify = json.dumps({"commitment": inf, "z": zero, "y": zero, "proof": inf}).encode()

def metric(series):
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return 0.0

start = time.monotonic()
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(head + body)
    s.close()
print(f"hangup: sent {count} requests and closed each connection, in {time.monotonic() - start:.1f} s")
latencies = []
while True:
    began = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("POST", "/v1/verify_kzg_proof", body=verify,
              headers={"Content-Type": "application/json", "X-Forwarded-For": "10.0.0.2"})
    r = c.getresponse()
    r.read()
    latencies.append((time.monotonic() - began) * 1000)
    c.close()
    series = 'kzgd_http_requests_total{operation="compute_cells_and_kzg_proofs",status="%s"}'
    done = sum(metric(series % status) for status in ("200", "499", "503", "504"))
    if done >= count or time.monotonic() - start > 120:
        break
    time.sleep(max(0.0, 1.0 - (time.monotonic() - began)))
elapsed = time.monotonic() - start
computed, shed = metric(series % "200"), metric(series % "503")
gone = metric('kzgd_requests_dropped_total{reason="client_gone"}')
print(f"hangup: abandoned requests computed anyway: {computed:.0f}; dropped unrun (client gone): {gone:.0f}; "
      f"answered 503: {shed:.0f}; all settled after {elapsed:.1f} s")
latencies.sort()
print(f"hangup: verify_kzg_proof from another client meanwhile: n={len(latencies)} "
      f"median_ms={latencies[len(latencies) // 2]:.1f} max_ms={latencies[-1]:.1f}")
PY
