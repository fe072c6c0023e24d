#!/usr/bin/env bash
# The shipped nginx configs keep kzgd's debug endpoints inside: each is run on loopback (render-nginx.sh) in
# front of two stub replicas that record every request they get. A request for /v1/... must reach a stub (the
# proxy works); every spelling of a /debug path must be answered 404 by nginx itself, and no stub may see it.
#
# Usage: deploy/test/secure-nginx-debug.sh [deploy|compose]...   (default: both)
# Needs nginx, python3 and curl. A few seconds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kzgd-nginx-debug.XXXXXX")"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "secure-nginx-debug: FAILED: $*" >&2
  exit 1
}

# Paths nginx must answer itself: plain, with a query, encoded, with dot segments and doubled slashes (nginx
# matches locations on the decoded, normalized path; curl --path-as-is sends them as written).
debug_paths=(/debug /debug/ /debug/health /debug/profile '/debug/health?verbose=1' /%64ebug/health
  /v1/../debug/health /v1/%2e%2e/debug/health //debug/health /./debug/health /debug%2Fhealth)

check_variant() {
  local variant=$1 dir="$work/$1" ports port_a port_b port_lb path code body before
  ports="$(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')"
  read -r port_a port_b port_lb <<<"$ports"
  mkdir -p "$dir"
  : >"$dir/upstream.log"
  # A stub replica: answers 200 to everything and appends "PORT METHOD PATH" to upstream.log.
  for port in "$port_a" "$port_b"; do
    python3 - "$port" "$dir/upstream.log" <<'PY' &
import http.server, sys
port, log = int(sys.argv[1]), sys.argv[2]
class Stub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def handle_one(self):
        with open(log, "a") as f:
            f.write(f"{port} {self.command} {self.path}\n")
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"stub\n")
    do_GET = do_POST = handle_one
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Stub).serve_forever()
PY
    pids+=($!)
  done
  if [[ "$variant" == compose ]]; then
    "$here/render-nginx.sh" --compose "$dir/nginx" "$port_a" "$port_b" "$port_lb"
  else
    "$here/render-nginx.sh" "$dir/nginx" "$port_a" "$port_b" "$port_lb"
  fi
  nginx -e "$dir/nginx/error.log" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g 'daemon off;' &
  pids+=($!)

  # The proxy works: an operation reaches a stub.
  local deadline=$((SECONDS + 10))
  until [[ "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port_lb/v1/verify_kzg_proof" -d '{}' 2>/dev/null)" == 200 ]]; do
    ((SECONDS < deadline)) || fail "$variant: nginx on $port_lb does not pass /v1/verify_kzg_proof to the stub replicas"
    sleep 0.1
  done
  grep -q ' POST /v1/verify_kzg_proof$' "$dir/upstream.log" || fail "$variant: the stub did not record the /v1 request"
  before="$(wc -l <"$dir/upstream.log")"

  for path in "${debug_paths[@]}"; do
    body="$(curl -sS --path-as-is -w '\n%{http_code}' "http://127.0.0.1:$port_lb$path")" || fail "$variant: GET $path: curl failed"
    code="${body##*$'\n'}"
    body="${body%$'\n'*}"
    [[ "$code" == 404 ]] || fail "$variant: GET $path answered $code through nginx, expected 404: $body"
    [[ "$body" == *'not served through the load balancer'* ]] || fail "$variant: GET $path: 404 not from nginx's /debug location: $body"
  done
  code="$(curl -sS -o /dev/null -w '%{http_code}' -X POST -d '{}' "http://127.0.0.1:$port_lb/debug/selftest")"
  [[ "$code" == 404 ]] || fail "$variant: POST /debug/selftest answered $code through nginx, expected 404"
  if (($(wc -l <"$dir/upstream.log") != before)); then
    fail "$variant: a replica received a debug request through nginx: $(tail -n +"$((before + 1))" "$dir/upstream.log" | tr '\n' ';')"
  fi
  echo "secure-nginx-debug: $variant nginx.conf: /v1 reaches the replicas; ${#debug_paths[@]} spellings of /debug (and a POST) answered 404 by nginx, none reached a replica"
}

variants=("$@")
((${#variants[@]})) || variants=(deploy compose)
for variant in "${variants[@]}"; do
  case "$variant" in
    deploy | compose) check_variant "$variant" ;;
    *) echo "usage: $0 [deploy|compose]..." >&2; exit 2 ;;
  esac
done
