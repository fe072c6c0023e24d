#!/usr/bin/env bash
# Static checks of the operations kit (deploy/, scripts/kzgd-health.sh): shellcheck, yamllint, promtool (rules
# and their unit tests), nginx -t on the load-balancer configs, kubectl kustomize of the Kubernetes base and
# production overlay with every rendered object validated against the Kubernetes schemas and kzgd's rules,
# kzgd --check-config on every kzgd configuration shipped here, and systemd-analyze verify of the unit.
# The Docker image is not built (no base images can be pulled here); its key properties are checked as text.
#
# Usage: deploy/test/check.sh [path/to/kzgd]   (default build/service/kzgd; needed for --check-config)
# Needs shellcheck, yamllint, promtool, amtool, nginx, kubectl, docker-compose (only its offline `config`), node and npm
# (scripts/install-deps.sh); systemd-analyze
# where systemd is installed. About 30 seconds, most of it npm ci on the first run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
kzgd="${1:-$root/build/service/kzgd}"
# Absolute, as systemd's ExecStart requires (the argument may be relative to the repository root).
[[ "$kzgd" == /* ]] || kzgd="$root/$kzgd"
work="$(mktemp -d "${TMPDIR:-/tmp}/kzgd-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

passed=0 failed=0 skipped=0
check() { # check NAME COMMAND...: runs it, output shown on failure only
  local name=$1
  shift
  if "$@" >"$work/out" 2>&1; then
    passed=$((passed + 1))
    printf 'check: ok      %s\n' "$name"
  else
    failed=$((failed + 1))
    printf 'check: FAILED  %s\n' "$name"
    sed 's/^/    /' "$work/out"
  fi
}
skip() {
  skipped=$((skipped + 1))
  printf 'check: skipped %s (%s)\n' "$1" "$2"
}
need() {
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "check: $tool not found (scripts/install-deps.sh installs it)" >&2
      exit 1
    fi
  done
}
need shellcheck yamllint promtool amtool nginx kubectl node npm python3 docker-compose

# Shell scripts and YAML.
mapfile -t scripts < <(find deploy -name '*.sh' -not -path '*/node_modules/*' | sort)
check "shellcheck (${#scripts[@]} scripts + scripts/kzgd-health.sh)" shellcheck "${scripts[@]}" scripts/kzgd-health.sh
check "yamllint deploy/" yamllint --strict -c deploy/.yamllint deploy/

# Prometheus rules, and their unit tests.
check "promtool check rules" promtool check rules deploy/prometheus/recording-rules.yml deploy/prometheus/alerting-rules.yml
check "promtool test rules" promtool test rules deploy/prometheus/tests/rules-test.yml

# The compose stack's Prometheus and Grafana files: the config with the rules at their paths in the repository.
sed -e "s|/etc/prometheus/rules/|$root/deploy/prometheus/|" deploy/compose/prometheus.yml >"$work/prometheus.yml"
check "promtool check config (compose)" promtool check config "$work/prometheus.yml"
check "amtool check-config (compose Alertmanager)" amtool check-config deploy/compose/alertmanager.yml
check "Grafana dashboard is JSON with panels" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
targets = [t["expr"] for p in d["panels"] for t in p.get("targets", [])]
assert d["uid"] == "kzgd" and len(targets) >= 10, targets' deploy/grafana/kzgd-dashboard.json

# The compose file against the Compose schema (offline; no image is pulled or built), and its replicas hardened.
compose() { GRAFANA_ADMIN_PASSWORD=check docker-compose -f deploy/compose/docker-compose.yml "$@"; }
check "docker-compose config (compose stack)" compose config -q
compose_hardened() {
  local rendered
  rendered="$(compose config)" || return 1
  [[ "$(grep -c 'read_only: true' <<<"$rendered")" == 2 && "$(grep -c 'user: 10001:10001' <<<"$rendered")" == 2 ]]
}
check "compose replicas: read-only root, user 10001" compose_hardened

# nginx: the deployable config (loopback addresses and paths under a test prefix), and the compose one (its
# service names replaced by loopback addresses, which nginx -t must resolve).
nginx_t() { nginx -t -q -e "$1/error.log" -p "$1" -c "$1/nginx.conf"; }
check "render deploy/nginx/nginx.conf" deploy/test/render-nginx.sh "$work/nginx" 18081 18082 18080
check "nginx -t deploy/nginx/nginx.conf" nginx_t "$work/nginx"
mkdir -p "$work/nginx-compose/tmp"
sed -e 's/kzgd-[12]:8080/127.0.0.1:8080/' -e 's/listen 80;/listen 127.0.0.1:18080;/' \
  -e "s|^pid .*|pid $work/nginx-compose/nginx.pid;|" -e "s|^error_log .*|error_log $work/nginx-compose/error.log;|" \
  -e "s|^  access_log .*|  access_log off; client_body_temp_path $work/nginx-compose/tmp/body; proxy_temp_path $work/nginx-compose/tmp/proxy; fastcgi_temp_path $work/nginx-compose/tmp/fastcgi; uwsgi_temp_path $work/nginx-compose/tmp/uwsgi; scgi_temp_path $work/nginx-compose/tmp/scgi;|" \
  deploy/compose/nginx.conf >"$work/nginx-compose/nginx.conf"
cp deploy/nginx/kzgd-proxy.conf "$work/nginx-compose/"
check "nginx -t deploy/compose/nginx.conf" nginx_t "$work/nginx-compose"

# Kubernetes: render, validate against the schemas and kzgd's rules; a broken render must fail the validator.
if [[ ! -d deploy/test/k8s/node_modules ]]; then
  check "npm ci (deploy/test/k8s: kubernetes-models, js-yaml)" npm ci --prefix deploy/test/k8s --no-audit --no-fund --loglevel=error
fi
for overlay in base overlays/production; do
  name="${overlay##*/}"
  check "kubectl kustomize deploy/k8s/$overlay" sh -c "kubectl kustomize deploy/k8s/$overlay >'$work/$name.yaml'"
  check "validate deploy/k8s/$overlay" node deploy/test/k8s/validate.js "$work/$name.yaml"
done
sed -e 's/maxUnavailable: 0/maxUnavailable: 1/' -e 's/minReplicas: 3/minReplicas: three/' "$work/production.yaml" >"$work/broken.yaml"
check "validate refuses a broken render" sh -c "! node deploy/test/k8s/validate.js '$work/broken.yaml'"

# Every kzgd configuration shipped in deploy/ is one kzgd accepts.
if [[ -x "$kzgd" ]]; then
  node -e '
const yaml = require(process.argv[1]);
const fs = require("fs");
for (const doc of yaml.loadAll(fs.readFileSync(process.argv[2], "utf8")))
  if (doc && doc.kind === "ConfigMap") fs.writeFileSync(process.argv[3], doc.data["kzgd.yaml"]);' \
    "$root/deploy/test/k8s/node_modules/js-yaml" "$work/production.yaml" "$work/k8s-kzgd.yaml"
  check "kzgd --check-config (k8s ConfigMap)" "$kzgd" --config "$work/k8s-kzgd.yaml" --check-config
  check "kzgd --check-config (container image)" "$kzgd" --config deploy/docker/kzgd.yaml --check-config
else
  skip "kzgd --check-config" "$kzgd not built"
fi

# systemd: the unit as shipped, with ExecStart pointing at a binary that exists here.
if command -v systemd-analyze >/dev/null 2>&1; then
  exe="$kzgd"
  [[ -x "$exe" ]] || exe=/bin/true
  sed "s|^ExecStart=/usr/local/bin/kzgd |ExecStart=$exe |" deploy/systemd/kzgd.service >"$work/kzgd.service"
  check "systemd-analyze verify kzgd.service" systemd-analyze verify "$work/kzgd.service"
else
  skip "systemd-analyze verify" "systemd not installed"
fi

# The Dockerfile (not built here): non-root user, health check, no secret-looking build arguments or variables.
dockerfile_ok() {
  local f=deploy/docker/Dockerfile
  grep -q '^USER 10001:10001$' "$f" && grep -q '^HEALTHCHECK ' "$f" && grep -q '^FROM debian:12 AS build$' "$f" &&
    grep -q '^FROM debian:12-slim AS runtime$' "$f" && ! grep -Eiq '^(ARG|ENV) .*(key|secret|token|password)' "$f"
}
check "Dockerfile: Debian 12 stages, non-root USER, HEALTHCHECK, no secrets" dockerfile_ok

printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
((failed == 0))
