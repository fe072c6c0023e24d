#!/usr/bin/env bash
# HTTP load benchmark: kzgd against a minimal Node.js server around c-kzg 4.1.0 (node_baseline.js), under the
# same load: wrk with CONNECTIONS connections (default 8) for DURATION seconds (default 20) per run.
#
#   bench/http/run.sh [BUILD_DIR]      # BUILD_DIR defaults to build/; needs BUILD_DIR/service/kzgd
#
# Runs, in order: verify_kzg_proof, verify_blob_kzg_proof and blob_to_kzg_commitment (and, when OPS names it,
# compute_cells_and_kzg_proofs) with JSON bodies against both servers, then the same against kzgd with binary
# bodies (Content-Type and Accept application/octet-stream), then the same through gRPC (kzgd_grpc_load, on
# GRPC_PORT). Prints one line per run (requests/s, p50, p95, p99, errors), kzgd's JSON
# throughput as a multiple of the baseline's. The input is one random valid blob, with its commitment and
# proofs computed by kzgd itself; verify_kzg_proof's point z is a full-size random field element, as verifiers
# see them. The Node server runs one process per core (NODE_WORKERS).
#
# c-kzg@4.1.0 is installed on first use into KZGD_BENCH_CACHE (default ~/.cache/kzgd-bench), outside the
# repository. Needs wrk, node, npm, curl and python3 (scripts/install-deps.sh installs them).
# Environment: DURATION, CONNECTIONS, WRK_THREADS (default 1), OPS (the operations, default all three), JSON=0
# (skip the JSON runs and the baseline: binary HTTP and gRPC only), GRPC_PORT, GRPC_CHANNELS (default 4),
# KZGD_ARGS (extra kzgd flags), NODE_WORKERS, KZGD_BENCH_CACHE.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
duration="${DURATION:-20}"
connections="${CONNECTIONS:-8}"
wrk_threads="${WRK_THREADS:-1}"
ops="${OPS:-verify_kzg_proof verify_blob_kzg_proof blob_to_kzg_commitment}"
cache="${KZGD_BENCH_CACHE:-$HOME/.cache/kzgd-bench}"
kzgd_port="${KZGD_PORT:-18181}"
node_port="${NODE_PORT:-18182}"
grpc_port="${GRPC_PORT:-18183}"
grpc_channels="${GRPC_CHANNELS:-4}"

for tool in wrk node npm curl python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
done
[[ -x "$build/service/kzgd" ]] || { echo "run.sh: $build/service/kzgd not built" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# c-kzg's native addon is compiled by node-gyp; point it at the headers installed beside node so that it needs
# nothing beyond the npm registry.
if [[ ! -f "$cache/node_modules/c-kzg/package.json" ]]; then
  echo "run.sh: installing c-kzg@4.1.0 into $cache" >&2
  mkdir -p "$cache"
  node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [[ -f "$node_prefix/include/node/common.gypi" ]] && export npm_config_nodedir="$node_prefix"
  npm install --prefix "$cache" --no-audit --no-fund --no-package-lock --foreground-scripts c-kzg@4.1.0 >&2
fi

wait_until() {  # wait_until URL: polls until the URL answers 200 (60 s at most)
  for _ in $(seq 300); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.2
  done
  echo "run.sh: $1 did not come up" >&2
  exit 1
}

# shellcheck disable=SC2086 # KZGD_ARGS is a list of words
"$build/service/kzgd" --listen "127.0.0.1:$kzgd_port" --grpc-listen "127.0.0.1:$grpc_port" --log-level warn ${KZGD_ARGS:-} &
pids+=($!)
kzgd_pid=$!
NODE_PATH="$cache/node_modules" node "$root/bench/http/node_baseline.js" "$node_port" &
pids+=($!)
wait_until "http://127.0.0.1:$kzgd_port/ready"

# One random valid blob (every field element reduced below the BLS12-381 scalar modulus), in both encodings.
python3 - "$work" <<'PY'
import json, os, sys
r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001
blob = b"".join((int.from_bytes(os.urandom(32), "big") % r).to_bytes(32, "big") for _ in range(4096))
open(os.path.join(sys.argv[1], "blob.bin"), "wb").write(blob)
json.dump({"blob": "0x" + blob.hex()}, open(os.path.join(sys.argv[1], "commit.json"), "w"))
PY
kzgd_url="http://127.0.0.1:$kzgd_port/v1"
curl -sf -o "$work/commitment.bin" -H 'Content-Type: application/octet-stream' -H 'Accept: application/octet-stream' \
  --data-binary @"$work/blob.bin" "$kzgd_url/blob_to_kzg_commitment"
cat "$work/blob.bin" "$work/commitment.bin" > "$work/prove.bin"
curl -sf -o "$work/proof.bin" -H 'Content-Type: application/octet-stream' -H 'Accept: application/octet-stream' \
  --data-binary @"$work/prove.bin" "$kzgd_url/compute_blob_kzg_proof"
cat "$work/blob.bin" "$work/commitment.bin" "$work/proof.bin" > "$work/verify.bin"
python3 - "$work" <<'PY'
import json, os, sys
w = sys.argv[1]
hexof = lambda name: "0x" + open(os.path.join(w, name), "rb").read().hex()
json.dump({"blob": hexof("blob.bin"), "commitment": hexof("commitment.bin"), "proof": hexof("proof.bin")},
          open(os.path.join(w, "verify.json"), "w"))
PY
# A proof at a random point: verify_kzg_proof's input, in both encodings.
python3 - "$work" "$kzgd_url" <<'PY'
import json, os, sys, urllib.request
w, url = sys.argv[1], sys.argv[2]
r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001
z = (int.from_bytes(os.urandom(32), "big") % r).to_bytes(32, "big")
blob = open(os.path.join(w, "blob.bin"), "rb").read()
commitment = open(os.path.join(w, "commitment.bin"), "rb").read()
request = urllib.request.Request(url + "/compute_kzg_proof", data=json.dumps({"blob": "0x" + blob.hex(), "z": "0x" + z.hex()}).encode(),
                                 headers={"Content-Type": "application/json"})
proof, y = (bytes.fromhex(h[2:]) for h in json.load(urllib.request.urlopen(request))["output"])
open(os.path.join(w, "verify_kzg.bin"), "wb").write(commitment + z + y + proof)
json.dump({"commitment": "0x" + commitment.hex(), "z": "0x" + z.hex(), "y": "0x" + y.hex(), "proof": "0x" + proof.hex()},
          open(os.path.join(w, "verify_kzg.json"), "w"))
PY
# Both servers must agree the proof is valid before anything is timed (the Node server may still be starting).
for port in "$kzgd_port" "$node_port"; do
  answer=""
  for _ in $(seq 300); do
    answer="$(curl -sf -d @"$work/verify.json" "http://127.0.0.1:$port/v1/verify_blob_kzg_proof" || true)"
    [[ -n "$answer" ]] && break
    sleep 0.2
  done
  if [[ "$answer" != '{"output":true}' ]]; then
    echo "run.sh: the server on port $port answered $answer to a valid verify_blob_kzg_proof" >&2
    exit 1
  fi
done

# CPU accounting, so that protocols compare on what they cost and not only on what the shared cores gave them:
# kzgd's CPU per request (its /proc stat over the run), and the load client's CPU (GNU time, when installed).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_second="$(getconf CLK_TCK)"
client_timer=()
[[ -x /usr/bin/time ]] && client_timer=(/usr/bin/time -o "$work/client-time" -f '%U %S')
declare -A rps
report() {  # report LABEL RESULT_LINE CPU_TICKS_BEFORE: prints the line with kzgd's and the client's CPU
  local line=$2 requests cpu client=""
  rps[$1]="$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$line")"
  requests="$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")"
  cpu=""
  if [[ "$1" == *kzgd* ]]; then
    cpu="$(awk -v t="$(($(cpu_ticks "$kzgd_pid") - $3))" -v hz="$ticks_per_second" -v n="$requests" \
      'BEGIN { printf " kzgd_cpu_ms_per_request=%.3f", (n > 0 ? 1000 * t / hz / n : 0) }')"
  fi
  [[ -s "$work/client-time" ]] && client="$(awk '{ printf " client_cpu_s=%.1f", $1 + $2 }' "$work/client-time")"
  rm -f "$work/client-time"
  printf '%-48s %s%s%s\n' "$1" "${line#RESULT }" "$cpu" "$client"
}
measure() {  # measure LABEL URL BODY_FILE CONTENT_TYPE ACCEPT
  local line before
  before="$(cpu_ticks "$kzgd_pid")"
  line="$(BODY_FILE="$3" CONTENT_TYPE="$4" ACCEPT="$5" "${client_timer[@]}" wrk -t"$wrk_threads" -c"$connections" \
    -d"${duration}s" --latency -s "$root/bench/http/post.lua" "$2" | grep '^RESULT')"
  report "$1" "$line" "$before"
}

echo "wrk: $connections connections, ${duration}s per run, $(nproc) cores"
declare -A json_body=([verify_kzg_proof]=verify_kzg.json [verify_blob_kzg_proof]=verify.json
  [blob_to_kzg_commitment]=commit.json [compute_cells_and_kzg_proofs]=commit.json)
declare -A binary_body=([verify_kzg_proof]=verify_kzg.bin [verify_blob_kzg_proof]=verify.bin
  [blob_to_kzg_commitment]=blob.bin [compute_cells_and_kzg_proofs]=blob.bin)
if [[ "${JSON:-1}" != 0 ]]; then
  for op in $ops; do
    body="$work/${json_body[$op]}"
    measure "$op json kzgd" "$kzgd_url/$op" "$body" application/json ""
    measure "$op json node-c-kzg" "http://127.0.0.1:$node_port/v1/$op" "$body" application/json ""
  done
fi
for op in $ops; do
  measure "$op binary kzgd" "$kzgd_url/$op" "$work/${binary_body[$op]}" application/octet-stream \
    application/octet-stream
done

# gRPC: the same calls, CONNECTIONS in flight over GRPC_CHANNELS channels, by bench/grpc/grpc_load.cpp.
grpc_load="$build/bench/kzgd_grpc_load"
if [[ -x "$grpc_load" ]]; then
  for op in $ops; do
    before="$(cpu_ticks "$kzgd_pid")"
    line="$("${client_timer[@]}" "$grpc_load" --target "127.0.0.1:$grpc_port" --op "$op" \
      --body "$work/${binary_body[$op]}" --concurrency "$connections" --channels "$grpc_channels" \
      --seconds "$duration" | grep '^RESULT')"
    report "$op grpc kzgd" "$line" "$before"
  done
else
  echo "run.sh: $grpc_load not built; no gRPC figures" >&2
fi

for op in $ops; do
  if [[ -n "${rps[$op json kzgd]:-}" ]]; then
    python3 -c "import sys; k, n = map(float, sys.argv[1:3]); print(f'{sys.argv[3]}: kzgd / node-c-kzg (JSON) = {k / n:.2f}x')" \
      "${rps[$op json kzgd]}" "${rps[$op json node-c-kzg]}" "$op"
  fi
  if [[ -n "${rps[$op grpc kzgd]:-}" ]]; then
    python3 -c "import sys; g, b = map(float, sys.argv[1:3]); print(f'{sys.argv[3]}: kzgd gRPC / HTTP binary = {g / b:.2f}x')" \
      "${rps[$op grpc kzgd]}" "${rps[$op binary kzgd]}" "$op"
  fi
done
