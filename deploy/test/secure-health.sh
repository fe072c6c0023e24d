#!/usr/bin/env bash
# scripts/kzgd-health.sh against a secured kzgd: HTTPS with a throwaway self-signed certificate, API keys on and
# /metrics closed (auth.open_metrics false). Checks that
#   - with the CA file and an admin key (from KZGD_API_KEY, then from --api-key-file) every check is OK;
#   - with a wrong key, or with none, the checks that need one fail (exit 2), and say why;
#   - without the CA file the TLS handshake fails and so does the check;
#   - a key on the command line is refused, and the key never appears in a curl command line (a curl wrapper
#     first on PATH records every argument list).
#
# Usage: deploy/test/secure-health.sh [path/to/kzgd]   (default build/service/kzgd)
# Needs curl, openssl and python3. A few seconds.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=deploy/test/kzgd-process.sh
source "$root/deploy/test/kzgd-process.sh"
test_init secure-health "${1:-$root/build/service/kzgd}"
health="$root/scripts/kzgd-health.sh"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
admin_key="$(new_key)" wrong_key="$(new_key)"
printf 'keys:\n  - name: operator\n    sha256: %s\n    permissions: [admin]\n' "$(key_digest "$admin_key")" >"$work/api-keys"

port="$(free_port)"
url="https://127.0.0.1:$port"
start_kzgd "$port" "$url/ready" --cacert "$work/cert.pem" -- \
  KZGD_TLS_ENABLED=true KZGD_TLS_CERT_FILE="$work/cert.pem" KZGD_TLS_KEY_FILE="$work/key.pem" \
  KZGD_AUTH_ENABLED=true KZGD_AUTH_KEYS_FILE="$work/api-keys" KZGD_AUTH_OPEN_METRICS=false

# A curl first on PATH that records its arguments, one call per line, then runs the real one.
real_curl="$(command -v curl)"
mkdir "$work/bin"
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\nexec "%s" "$@"\n' "$work/curl-argv.log" "$real_curl" >"$work/bin/curl"
chmod +x "$work/bin/curl"

run() { # run NAME EXPECTED_EXIT [VAR=VALUE...] -- ARGS...: runs kzgd-health.sh, output in $work/NAME.txt
  local name=$1 expected=$2 status=0
  shift 2
  local env=()
  while [[ "$1" != -- ]]; do
    env+=("$1")
    shift
  done
  shift
  env PATH="$work/bin:$PATH" "${env[@]}" "$health" --unit none --log "$work/kzgd.log" "$@" >"$work/$name.txt" 2>&1 ||
    status=$?
  ((status == expected)) || fail "$name: kzgd-health.sh exited $status, expected $expected:
$(cat "$work/$name.txt")"
}
expect_line() { # expect_line NAME REGEX
  grep -Eq "$2" "$work/$1.txt" || fail "$1: no line matching '$2' in:
$(cat "$work/$1.txt")"
}

run env-key 0 KZGD_API_KEY="$admin_key" -- --url "$url" --cacert "$work/cert.pem"
expect_line env-key '^OK   memory '
expect_line env-key '^OK   diagnostics +GET /debug/health: kzgd.s own checks pass'
printf '# the operator key\n%s\n' "$admin_key" >"$work/admin.key"
run key-file 0 -- --url "$url" --cacert "$work/cert.pem" --api-key-file "$work/admin.key"
expect_line key-file '^OK   diagnostics '
echo "secure-health: https + admin key (KZGD_API_KEY, --api-key-file): every check OK"

printf '%s\n' "$wrong_key" >"$work/wrong.key"
run wrong-key 2 -- --url "$url" --cacert "$work/cert.pem" --api-key-file "$work/wrong.key"
expect_line wrong-key '^FAIL metrics +GET .*/metrics refuses the API key: unknown_api_key'
expect_line wrong-key '^FAIL diagnostics +GET /debug/health refuses the API key: unknown_api_key'
run no-key 2 -- --url "$url" --cacert "$work/cert.pem"
expect_line no-key '^FAIL metrics +GET .*/metrics answers 401: it needs a key'
expect_line no-key '^INFO diagnostics +GET /debug/health needs an admin key'
echo "secure-health: a wrong key and no key: exit 2, metrics and diagnostics refused (401)"

run no-cacert 2 KZGD_API_KEY="$admin_key" -- --url "$url"
expect_line no-cacert '^FAIL health .*is the certificate trusted\? --cacert FILE'
run argv-key 2 -- --url "$url" --api-key "$admin_key"
expect_line argv-key 'not taken on the command line'
echo "secure-health: no CA file: the handshake fails (exit 2); --api-key on the command line: refused"

[[ -s "$work/curl-argv.log" ]] || fail "the curl wrapper recorded nothing: kzgd-health.sh did not run curl from PATH"
if grep -qF -e "$admin_key" -e "$wrong_key" "$work/curl-argv.log"; then
  fail "an API key appeared in a curl command line: $(grep -F -e "$admin_key" -e "$wrong_key" "$work/curl-argv.log" | head -n 1)"
fi
echo "secure-health: $(wc -l <"$work/curl-argv.log") curl command lines recorded, none holds a key"
echo "secure-health: passed"
