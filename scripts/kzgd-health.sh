#!/usr/bin/env bash
# Health check of one kzgd instance, for operators: the systemd service, the port, /health and /ready, the
# load and resources from /metrics, kzgd's own checks (/debug/health), and recent warnings and errors in its log.
#
# Usage: scripts/kzgd-health.sh [--url http[s]://127.0.0.1:8080] [--cacert FILE] [--api-key-file FILE]
#                               [--unit kzgd] [--log FILE] [--since 10min]
#   --cacert FILE        CA certificates (PEM) to verify an https:// kzgd with (tls.enabled)
#   --api-key-file FILE  the API key, on the first line that is not empty or a comment; or set KZGD_API_KEY.
#                        Never on the command line, where every user sees it. Sent as Authorization: Bearer
#                        to /debug/health (needs the admin permission) and to /metrics when it asks for a key
#                        (auth.open_metrics false); without a key those are skipped or fail.
#   --unit NAME          systemd unit to inspect (default kzgd; skipped when systemd or the unit is absent)
#   --log FILE           read recent log lines from FILE instead of the journal
#   --since SPAN         how far back to look for warnings and errors in the journal (default 10min)
# Prints one line per check, "OK", "WARN", "FAIL" or "INFO" (a check skipped) first. Exit code: 0 all OK, 1 some
# WARN, 2 some FAIL (the Nagios convention, so it can run from a monitoring agent as it is).
set -uo pipefail

url="http://127.0.0.1:8080"
unit="kzgd"
log_file=""
since="10min"
cacert=""
api_key_file=""
while (($#)); do
  case "$1" in
    --url) url="${2:?--url needs a value}"; shift 2 ;;
    --cacert) cacert="${2:?--cacert needs a value}"; shift 2 ;;
    --api-key-file) api_key_file="${2:?--api-key-file needs a value}"; shift 2 ;;
    --api-key | --api-key=*)
      echo "kzgd-health: the key is not taken on the command line (the process list shows it): set KZGD_API_KEY or use --api-key-file FILE" >&2
      exit 2 ;;
    --unit) unit="${2:?--unit needs a value}"; shift 2 ;;
    --log) log_file="${2:?--log needs a value}"; shift 2 ;;
    --since) since="${2:?--since needs a value}"; shift 2 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "kzgd-health: unknown argument $1 (--help lists them)" >&2; exit 2 ;;
  esac
done
if ! command -v curl >/dev/null 2>&1; then
  echo "FAIL curl: not installed" >&2
  exit 2
fi
case "$url" in
  http://* | https://*) url="${url%/}" ;;
  *) echo "kzgd-health: --url $url: expected http://HOST:PORT or https://HOST:PORT" >&2; exit 2 ;;
esac
if [[ -n "$cacert" && ! -r "$cacert" ]]; then
  echo "kzgd-health: --cacert $cacert: cannot read it" >&2
  exit 2
fi
api_key="${KZGD_API_KEY:-}"
if [[ -n "$api_key_file" ]]; then
  if [[ ! -r "$api_key_file" ]]; then
    echo "kzgd-health: --api-key-file $api_key_file: cannot read it" >&2
    exit 2
  fi
  api_key="$(grep -v -E '^[[:space:]]*(#|$)' "$api_key_file" | head -n 1 | tr -d '[:space:]')"
fi
# Keys are kzgk_ and hex digits; anything outside this set could not be written into curl's config safely.
if [[ -n "$api_key" && ! "$api_key" =~ ^[A-Za-z0-9._~+/=-]+$ ]]; then
  echo "kzgd-health: the API key has characters an API key cannot have" >&2
  exit 2
fi

# curl with the CA file; http_get --key ... sends the API key too, in a config read from standard input (printf
# is a shell builtin), so that it never appears in a command line.
http_get() {
  local with_key=0
  if [[ "$1" == --key ]]; then
    with_key=1
    shift
  fi
  local args=(-sS)
  [[ -n "$cacert" ]] && args+=(--cacert "$cacert")
  if ((with_key)) && [[ -n "$api_key" ]]; then
    printf 'header = "Authorization: Bearer %s"\n' "$api_key" | curl "${args[@]}" -K - "$@"
  else
    curl "${args[@]}" "$@"
  fi
}

worst=0
# The "code" of a JSON error answer ({"error": {"code": ...}}), or "no error code".
error_code() { grep -o '"code": *"[^"]*"' <<<"$1" | head -n 1 | sed 's/"code": *//; s/"//g' || echo "no error code"; }
report() { # report OK|WARN|FAIL|INFO check detail
  local level=$1 check=$2 detail=$3
  printf '%-4s %-14s %s\n' "$level" "$check" "$detail"
  case "$level" in
    WARN) ((worst < 1)) && worst=1 ;;
    FAIL) worst=2 ;;
  esac
}

# The service manager's view.
if command -v systemctl >/dev/null 2>&1 && systemctl cat "$unit" >/dev/null 2>&1; then
  state="$(systemctl is-active "$unit" 2>/dev/null)"
  restarts="$(systemctl show -p NRestarts --value "$unit" 2>/dev/null)"
  since_time="$(systemctl show -p ActiveEnterTimestamp --value "$unit" 2>/dev/null)"
  if [[ "$state" == active ]]; then
    report OK service "$unit active since ${since_time:-?}, ${restarts:-0} automatic restarts"
  else
    report FAIL service "$unit is $state (systemctl status $unit; journalctl -u $unit -n 50)"
  fi
  if [[ "${restarts:-0}" =~ ^[0-9]+$ ]] && ((restarts > 0)); then
    report WARN restarts "$unit was restarted $restarts times after failures (journalctl -u $unit)"
  fi
fi

# The port.
hostport="${url#*://}"
hostport="${hostport%%/*}"
port="${hostport##*:}"
if [[ "$port" == "$hostport" || "$port" == *']' ]]; then
  port=80
  [[ "$url" == https://* ]] && port=443
fi
if command -v ss >/dev/null 2>&1 && [[ "$port" =~ ^[0-9]+$ ]]; then
  if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
    report OK port "something listens on port $port"
  else
    report FAIL port "nothing listens on port $port"
  fi
fi

# Liveness and readiness.
probe() { http_get -m 3 -o /dev/null -w '%{http_code}' "$url$1" 2>/dev/null; }
code="$(probe /health)"
if [[ "$code" == 200 ]]; then
  report OK health "GET /health answers 200"
else
  tls_hint=""
  [[ "$url" == https://* && "$code" == 000 ]] && tls_hint=" (https: is the certificate trusted? --cacert FILE)"
  report FAIL health "GET $url/health answers ${code:-nothing} (expected 200): the process is down or not kzgd$tls_hint"
fi
ready_body="$(http_get -m 3 "$url/ready" 2>/dev/null)"
code="$(probe /ready)"
if [[ "$code" == 200 ]]; then
  report OK ready "GET /ready answers 200"
else
  report WARN ready "GET /ready answers ${code:-nothing}: ${ready_body:-no answer} (setup loading or draining)"
fi

# Load and resources, from /metrics: open by default (auth.open_metrics); with a key when kzgd asks for one.
get_with_status() { # get_with_status [--key] URL: the body, a newline, the HTTP status
  http_get "$@" -m 5 -w '\n%{http_code}' 2>/dev/null
}
metrics="$(get_with_status "$url/metrics")"
metrics_code="${metrics##*$'\n'}"
if [[ "$metrics_code" == 401 || "$metrics_code" == 403 ]] && [[ -n "$api_key" ]]; then
  metrics="$(get_with_status --key "$url/metrics")"
  metrics_code="${metrics##*$'\n'}"
fi
metrics="${metrics%$'\n'*}"
if [[ "$metrics_code" == 401 || "$metrics_code" == 403 ]]; then
  if [[ -n "$api_key" ]]; then
    if [[ "$metrics_code" == 401 ]]; then
      report FAIL metrics "GET $url/metrics refuses the API key: $(error_code "$metrics") (revoked, expired or wrong?)"
    else
      report FAIL metrics "GET $url/metrics answers 403 with the key: it needs the admin permission (auth.open_metrics false)"
    fi
  else
    report FAIL metrics "GET $url/metrics answers $metrics_code: it needs a key (auth.open_metrics false): set KZGD_API_KEY or --api-key-file"
  fi
elif [[ "$metrics_code" != 200 || -z "$metrics" ]]; then
  report FAIL metrics "GET $url/metrics answers ${metrics_code:-nothing}"
else
  metric() { # metric NAME_WITH_LABELS: the sum of the samples whose name (and labels) start so
    awk -v m="$1" 'index($0, m) == 1 && substr($0, length(m) + 1, 1) ~ /[ {]/ {s += $NF; n++} END {if (n) printf "%.0f", s}' <<<"$metrics"
  }
  rss="$(metric process_resident_memory_bytes)"
  fds="$(metric process_open_fds)" max_fds="$(metric process_max_fds)"
  in_flight="$(metric kzgd_work_in_flight)" queued="$(metric kzgd_work_queued)"
  threads="$(metric kzgd_workers_threads)" limit="$(metric kzgd_workers_queue_limit)"
  shed="$(metric kzgd_requests_shed_total)" conns="$(metric kzgd_http_connections_open)"
  server_errors="$(awk '/^kzgd_http_requests_total\{/ && /status="5[0-9][0-9]"/ && !/status="503"/ {s += $NF} END {printf "%.0f", s}' <<<"$metrics")"
  if [[ -n "$rss" ]]; then
    mib=$((rss / 1048576))
    if ((rss > 966367641)); then
      report WARN memory "resident ${mib} MiB: above 90% of the 1 GiB limit of the deploy files"
    else
      report OK memory "resident ${mib} MiB"
    fi
  fi
  if [[ -n "$fds" && -n "$max_fds" ]] && ((max_fds > 0)); then
    if ((fds * 100 > max_fds * 80)); then
      report WARN fds "$fds of $max_fds file descriptors open (above 80%)"
    else
      report OK fds "$fds of $max_fds file descriptors open, $conns connections"
    fi
  fi
  if [[ -n "$queued" && -n "$limit" ]] && ((limit > 0 && queued * 2 > limit)); then
    report WARN work "$in_flight of $threads workers busy, $queued of $limit queue places taken: near shedding"
  else
    report OK work "$in_flight of $threads workers busy, $queued of $limit queue places taken"
  fi
  if ((${shed:-0} > 0 || ${server_errors:-0} > 0)); then
    report WARN counters "since start: $shed requests shed (queue full), $server_errors server errors (5xx but 503)"
  else
    report OK counters "since start: no request shed, no server error"
  fi
fi

# kzgd's own checks (memory, CPU, disk, file descriptors, the engine's self-test): /debug/health, which needs the
# admin permission (or, with auth off, a client on loopback).
debug_body="$(get_with_status --key "$url/debug/health")"
debug_code="${debug_body##*$'\n'}"
debug_body="${debug_body%$'\n'*}"
# The messages of the checks that failed: {"checks": [{"message": ..., "name": ..., "ok": false, ...}, ...]}.
failing="$(grep -o '{[^{}]*}' <<<"$debug_body" | grep -E '"ok": *false' |
  sed -E 's/.*"message": *"([^"]*)".*/\1/' | paste -sd ';' | sed 's/;/; /g')"
case "$debug_code" in
  200) report OK diagnostics "GET /debug/health: kzgd's own checks pass (memory, cpu, disk, fds, self_test)" ;;
  503) report FAIL diagnostics "GET /debug/health: unhealthy: ${failing:-$debug_body}" ;;
  401)
    if [[ -n "$api_key" ]]; then
      report FAIL diagnostics "GET /debug/health refuses the API key: $(error_code "$debug_body") (revoked, expired or wrong?)"
    else
      report INFO diagnostics "GET /debug/health needs an admin key (auth on): set KZGD_API_KEY or --api-key-file to run kzgd's own checks"
    fi ;;
  403)
    if [[ -n "$api_key" ]]; then
      report WARN diagnostics "GET /debug/health: the API key lacks the admin permission; kzgd's own checks skipped"
    else
      report INFO diagnostics "GET /debug/health answers 403 to this address without a key; kzgd's own checks skipped"
    fi ;;
  *) report INFO diagnostics "GET /debug/health answers ${debug_code:-nothing}; kzgd's own checks skipped" ;;
esac

# Recent warnings and errors in the log (JSON or text lines).
recent=""
if [[ -n "$log_file" ]]; then
  if [[ -r "$log_file" ]]; then
    recent="$(tail -n 2000 "$log_file" | grep -E '"level":"(warn|error)"|^[0-9T:.Z-]+ (warn|error) ')"
  else
    report WARN log "cannot read $log_file"
  fi
elif command -v journalctl >/dev/null 2>&1 && command -v systemctl >/dev/null 2>&1 && systemctl cat "$unit" >/dev/null 2>&1; then
  recent="$(journalctl -u "$unit" --since "-$since" -o cat --no-pager 2>/dev/null | grep -E '"level":"(warn|error)"|^[0-9T:.Z-]+ (warn|error) ')"
fi
if [[ -n "$recent" ]]; then
  report WARN log "$(wc -l <<<"$recent") warnings or errors; the last: $(tail -n 1 <<<"$recent" | cut -c1-300)"
elif [[ -n "$log_file" ]] || systemctl cat "$unit" >/dev/null 2>&1; then
  report OK log "no warnings or errors"
fi

# The host.
if [[ -r /proc/loadavg ]]; then
  read -r load1 _ < /proc/loadavg
  report OK host "load average $load1 on $(nproc) cores, $(awk '/MemAvailable/ {printf "%d MiB", $2 / 1024}' /proc/meminfo) memory available"
fi
exit "$worst"
