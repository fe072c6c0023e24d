# shellcheck shell=bash
# Sourced by the deploy/test checks that start one kzgd of their own (secure-health.sh, systemd-reload.sh): a
# temporary directory, cleanup on exit, fail(), API keys as `kzg keys new` makes them, a free loopback port, and
# kzgd started and waited for.
#
# test_init NAME KZGD: sets test_name, kzgd (checked to be an executable), work (removed on exit) and kzgd_pid.

test_init() {
  test_name=$1
  kzgd=$2
  work="$(mktemp -d "${TMPDIR:-/tmp}/kzgd-$test_name.XXXXXX")"
  kzgd_pid=""
  trap test_cleanup EXIT
  [[ -x "$kzgd" ]] || fail "$kzgd is not an executable; build it first (cmake --build build --target kzgd)"
}

test_cleanup() {
  if [[ -n "$kzgd_pid" ]]; then
    kill -TERM "$kzgd_pid" 2>/dev/null || true
    wait "$kzgd_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}

fail() {
  echo "$test_name: FAILED: $*" >&2
  [[ -f "$work/kzgd.log" ]] && { echo "--- last lines of kzgd's log" >&2; tail -n 10 "$work/kzgd.log" >&2; }
  exit 1
}

# A key as `kzg keys new` makes it (kzgk_ and 64 hex digits), and the SHA-256 a keys file holds for it.
new_key() { printf 'kzgk_%s' "$(od -An -v -tx1 -N32 /dev/urandom | tr -d ' \n')"; }
key_digest() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_kzgd PORT READY_URL [CURL_ARGS...] -- [VAR=VALUE...]: starts kzgd on 127.0.0.1:PORT with one worker, no
# precomputed tables and the given variables, its output in $work/kzgd.log, and waits up to 30 s for READY_URL
# (curl with CURL_ARGS) to answer 200.
start_kzgd() {
  local port=$1 ready=$2 curl_args=()
  shift 2
  while [[ "$1" != -- ]]; do
    curl_args+=("$1")
    shift
  done
  shift
  env KZGD_SETUP_CELL_PROOFS=false KZGD_SETUP_FIXED_BASE_MSM=false "$@" \
    "$kzgd" --listen "127.0.0.1:$port" --grpc-listen 127.0.0.1:0 --workers 1 >"$work/kzgd.log" 2>&1 &
  kzgd_pid=$!
  local deadline=$((SECONDS + 30))
  until curl -fsS "${curl_args[@]}" -o /dev/null "$ready" 2>/dev/null; do
    kill -0 "$kzgd_pid" 2>/dev/null || {
      kzgd_pid=""
      fail "kzgd exited during start-up"
    }
    ((SECONDS < deadline)) || fail "kzgd not ready after 30 s"
    sleep 0.1
  done
}
