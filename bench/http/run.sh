#!/usr/bin/env bash
# HTTP load benchmark: kzgd and a minimal Node.js server around c-kzg 4.1.0, same load, same run.
# For each operation (verify_blob_kzg_proof, blob_to_kzg_commitment): wrk with 8 connections for
# DURATION seconds (default 20) against each server; prints requests/s, p50 and p99.
# Usage: bench/http/run.sh [build-dir]   (needs wrk, node, a built kzgd and kzg; installs c-kzg on first use)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
duration="${DURATION:-20}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

cd "$root"
bench/node/run.sh --help >/dev/null 2>&1   # installs c-kzg into bench/node/node_modules on first use

# A valid random blob with its commitment and proof, made with our own tool.
python3 - "$work/blob.hex" <<'PY'
import os, sys
r = int("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16)
blob = b"".join((int.from_bytes(os.urandom(32), "big") % r).to_bytes(32, "big") for _ in range(4096))
open(sys.argv[1], "w").write("0x" + blob.hex())
PY
commitment="$("$build/tool/kzg" commit "$work/blob.hex")"
proof="$("$build/tool/kzg" prove "$work/blob.hex" --commitment "$commitment")"
blob="$(cat "$work/blob.hex")"
printf '{"blob":"%s","commitment":"%s","proof":"%s"}' "$blob" "$commitment" "$proof" > "$work/verify.json"
printf '{"blob":"%s"}' "$blob" > "$work/commit.json"

"$build/service/kzgd" --listen 127.0.0.1:18181 --set log.level=warn &
node bench/http/node_baseline.js 18182 &
for port in 18181 18182; do
  for _ in $(seq 100); do curl -sf -o /dev/null -X POST -d @"$work/verify.json" "127.0.0.1:$port/v1/verify_blob_kzg_proof" && break; sleep 0.2; done
done

for op in verify_blob_kzg_proof blob_to_kzg_commitment; do
  body="$work/verify.json"; [[ $op == blob_to_kzg_commitment ]] && body="$work/commit.json"
  for server in kzgd:18181 node-c-kzg:18182; do
    result="$(BODY="$body" wrk -t2 -c8 -d"${duration}s" --latency -s bench/http/post_body.lua \
      "http://127.0.0.1:${server#*:}/v1/$op" | grep RESULT)"
    echo "$op ${server%%:*} ${result#RESULT }"
  done
done
