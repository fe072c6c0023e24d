#!/usr/bin/env bash
# `systemctl reload kzgd` works: runs the unit's ExecReload= line (deploy/systemd/kzgd.service) by hand, with
# $MAINPID replaced by the pid of a kzgd started with auth on and a keys file on a free loopback port, and checks
# with curl that
#   1. after the keys file is rewritten with a new key and the reload, the new key works and the old one is
#      refused (rotation and revocation without a restart);
#   2. after garbage is written to the keys file and the reload, kzgd logs the refusal and the previous keys
#      stay in force.
# Fails when the unit has no ExecReload= line. systemd need not run (or be installed): nothing calls systemctl.
#
# Usage: deploy/test/systemd-reload.sh [path/to/kzgd [UNIT]]   (default build/service/kzgd and the shipped unit)
# Needs curl and python3. A few seconds.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=deploy/test/kzgd-process.sh
source "$root/deploy/test/kzgd-process.sh"
test_init systemd-reload "${1:-$root/build/service/kzgd}"
unit="${2:-$root/deploy/systemd/kzgd.service}"
# The unit's reload command: one ExecReload= line. systemd's prefixes (-, @, +, !, :) do not apply here.
mapfile -t reload_lines < <(grep -E '^ExecReload=' "$unit" || true)
((${#reload_lines[@]} == 1)) ||
  fail "$unit has ${#reload_lines[@]} ExecReload= lines, expected 1: \`systemctl reload kzgd\` needs one"
reload_command="${reload_lines[0]#ExecReload=}"
reload_command="${reload_command#[-@+!:]}"
[[ "$reload_command" == *"\$MAINPID"* || "$reload_command" == *"\${MAINPID}"* ]] ||
  fail "ExecReload=$reload_command does not signal \$MAINPID, kzgd's process"
reload() { # runs ExecReload with $MAINPID replaced by kzgd's pid, split into words as systemd does
  local command="${reload_command//\$\{MAINPID\}/$kzgd_pid}" words
  command="${command//\$MAINPID/$kzgd_pid}"
  read -r -a words <<<"$command"
  "${words[@]}" || fail "ExecReload ($command) exited $?"
}
# Keys as `kzg keys new` makes them; the file holds their SHA-256 only.
write_keys() { # write_keys NAME KEY: a keys file with that one entry, renamed into place as docs/security.md says
  printf 'keys:\n  - name: %s\n    sha256: %s\n    permissions: [verify]\n    enabled: true\n' \
    "$1" "$(key_digest "$2")" >"$work/api-keys.new"
  mv "$work/api-keys.new" "$work/api-keys"
}
old_key="$(new_key)" new_key="$(new_key)"
write_keys old "$old_key"

port="$(free_port)"
start_kzgd "$port" "http://127.0.0.1:$port/ready" -- KZGD_AUTH_ENABLED=true KZGD_AUTH_KEYS_FILE="$work/api-keys"

# verify_kzg_proof of the point at infinity at z = 0, y = 0 (true); the key goes in a header file, not argv.
infinity="0xc0$(printf '0%.0s' {1..94})"
zero="0x$(printf '0%.0s' {1..64})"
printf '{"commitment":"%s","z":"%s","y":"%s","proof":"%s"}' "$infinity" "$zero" "$zero" "$infinity" >"$work/body.json"
status_with() { # status_with KEY|"": the HTTP status of the operation with that key (none for "")
  if [[ -n "$1" ]]; then
    printf 'Authorization: Bearer %s\n' "$1" >"$work/header"
  else
    : >"$work/header"
  fi
  curl -sS -o /dev/null -w '%{http_code}' -H @"$work/header" -d @"$work/body.json" \
    "http://127.0.0.1:$port/v1/verify_kzg_proof"
}
expect() { # expect WHAT KEY STATUS
  local got
  got="$(status_with "$2")"
  [[ "$got" == "$3" ]] || fail "$1: answered $got, expected $3"
}
# The reload is asynchronous (the signal is handled within 0.2 s): wait up to 5 s for KEY to get STATUS.
wait_for() { # wait_for WHAT KEY STATUS
  local deadline=$((SECONDS + 5))
  until [[ "$(status_with "$2")" == "$3" ]]; do
    ((SECONDS < deadline)) || fail "$1: still answered $(status_with "$2") 5 s after the reload, expected $3"
    sleep 0.1
  done
}

expect "no key" "" 401
expect "the old key before the reload" "$old_key" 200
expect "the new key before the reload" "$new_key" 401
echo "systemd-reload: kzgd (pid $kzgd_pid) on port $port: 401 without a key, 200 with the old key; ExecReload=$reload_command"

write_keys new "$new_key"
reload
wait_for "the new key after the reload" "$new_key" 200
expect "the old key after the reload (revoked)" "$old_key" 401
grep -q '"reloaded"' "$work/kzgd.log" || fail "kzgd did not log the reload"
echo "systemd-reload: keys file rewritten + ExecReload: the new key gets 200, the old one 401"

printf 'keys:\n  - name: [this is not\n    sha256: 12\n' >"$work/api-keys"
reload
deadline=$((SECONDS + 5))
until grep -q 'reload failed; the previous API keys stay in force' "$work/kzgd.log"; do
  ((SECONDS < deadline)) || fail "kzgd did not log that it refused the bad keys file within 5 s"
  sleep 0.1
done
expect "the new key after a bad reload" "$new_key" 200
expect "the old key after a bad reload" "$old_key" 401
expect "no key after a bad reload" "" 401
kill -0 "$kzgd_pid" 2>/dev/null || fail "kzgd exited after the bad reload"
echo "systemd-reload: garbage keys file + ExecReload: refused ($(grep -o 'reload failed[^}]*' "$work/kzgd.log" | head -n 1 | cut -c1-160)), the new key still 200"
echo "systemd-reload: passed"
