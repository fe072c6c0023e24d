#!/usr/bin/env bash
# Static checks of the operations kit (deploy/, scripts/kzgd-health.sh): shellcheck, yamllint, promtool (rules
# and their unit tests), nginx -t on the load-balancer configs and a run showing they keep /debug inside,
# kubectl kustomize of the Kubernetes base and production overlay with every rendered object validated against
# the Kubernetes schemas and kzgd's rules (Redis included), that every deployment serves /v1 only with API keys
# and rate limits and takes the Redis password and the cache's MAC key from secrets (and that the check refuses
# one that does not), that the repository ships no keys or secrets, kzgd --check-config on
# every kzgd configuration shipped here, systemd-analyze verify of the unit and a run of its ExecReload, and
# scripts/kzgd-health.sh against kzgd with TLS and API keys.
# The Docker image is not built (no base images can be pulled here); its key properties are checked as text.
#
# Usage: deploy/test/check.sh [path/to/kzgd]   (default build/service/kzgd; needed for --check-config and the
# runs of kzgd)
# Needs shellcheck, yamllint, promtool, amtool, nginx, kubectl, docker-compose (only its offline `config`), node,
# npm, python3, curl, openssl and git (scripts/install-deps.sh); systemd-analyze where systemd is installed.
# About 40 seconds, with npm ci on the first run.
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
need shellcheck yamllint promtool amtool nginx kubectl node npm python3 docker-compose curl openssl git sha256sum

# Node.js packages for the Kubernetes validator and the security check (js-yaml, kubernetes-models).
if [[ ! -d deploy/test/k8s/node_modules ]]; then
  check "npm ci (deploy/test/k8s: kubernetes-models, js-yaml)" npm ci --prefix deploy/test/k8s --no-audit --no-fund --loglevel=error
fi
js_yaml="$root/deploy/test/k8s/node_modules/js-yaml"
yaml_edit() { # yaml_edit IN OUT JS: runs JS on the YAML documents of IN (the array `docs`), writes them to OUT
  node -e '
const yaml = require(process.argv[1]);
const fs = require("fs");
const docs = yaml.loadAll(fs.readFileSync(process.argv[2], "utf8")).filter((d) => d);
new Function("docs", process.argv[4])(docs);
fs.writeFileSync(process.argv[3], docs.map((d) => yaml.dump(d)).join("---\n"));' "$js_yaml" "$@"
}
refused() { # refused k8s|compose FILE MESSAGE: the security check fails on FILE, saying MESSAGE
  local status=0
  node deploy/test/secure-config.js "$1" "$2" >"$work/refused.txt" 2>&1 || status=$?
  cat "$work/refused.txt"
  ((status == 1)) && grep -qF -- "$3" "$work/refused.txt"
}

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
compose config >"$work/compose.yaml" 2>/dev/null || true
check "compose replicas: read-only root, user 10001, no capabilities" node -e '
const yaml = require(process.argv[1]);
const services = yaml.load(require("fs").readFileSync(process.argv[2], "utf8")).services;
const kzgd = Object.entries(services).filter(([, s]) => s.image === "kzgd:local");
if (kzgd.length !== 2) throw new Error("expected two kzgd replicas, found " + kzgd.length);
for (const [name, s] of kzgd) {
  if (s.read_only !== true || s.user !== "10001:10001" || String(s.cap_drop) !== "ALL") throw new Error(name + " is not hardened");
}' "$js_yaml" "$work/compose.yaml"
check "compose: kzgd serves /v1 only with API keys and rate limits" node deploy/test/secure-config.js compose "$work/compose.yaml"
# Redis: hardened like the replicas, its password from the compose secret, nothing persisted, memory bounded.
check "compose redis: read-only root, no capabilities, password from the secret, maxmemory" node -e '
const yaml = require(process.argv[1]);
const r = yaml.load(require("fs").readFileSync(process.argv[2], "utf8")).services.redis;
if (!r) throw new Error("no redis service");
if (r.read_only !== true || String(r.cap_drop) !== "ALL" || !String(r.security_opt).includes("no-new-privileges")) throw new Error("redis is not hardened");
if (!(r.secrets || []).some((s) => s.target === "redis-password")) throw new Error("redis does not get the redis-password secret");
const script = [].concat(r.entrypoint || [], r.command || []).join(" ");
// (docker-compose config writes a $ of the command as $$.)
for (const line of [/requirepass \$+password\n/, /save ""\n/, /appendonly no\n/, /maxmemory 256mb\n/, /maxmemory-policy allkeys-lru\n/])
  if (!line.test(script)) throw new Error("the redis command lacks " + line);' "$js_yaml" "$work/compose.yaml"
# The same check refuses a replica whose environment turns auth off over the file.
yaml_edit "$work/compose.yaml" "$work/compose-auth-off.yaml" \
  'const s = docs[0].services["kzgd-2"]; s.environment = { ...s.environment, KZGD_AUTH_ENABLED: "false" };'
check "secure-config refuses compose with KZGD_AUTH_ENABLED=false" \
  refused compose "$work/compose-auth-off.yaml" 'auth.enabled is false (from environment variable KZGD_AUTH_ENABLED)'

# nginx: the deployable config (loopback addresses and paths under a test prefix), and the compose one (its
# service names replaced by loopback addresses, which nginx -t must resolve).
nginx_t() { nginx -t -q -e "$1/error.log" -p "$1" -c "$1/nginx.conf"; }
check "render deploy/nginx/nginx.conf" deploy/test/render-nginx.sh "$work/nginx" 18081 18082 18080
check "nginx -t deploy/nginx/nginx.conf" nginx_t "$work/nginx"
check "render deploy/compose/nginx.conf" deploy/test/render-nginx.sh --compose "$work/nginx-compose" 18081 18082 18080
check "nginx -t deploy/compose/nginx.conf" nginx_t "$work/nginx-compose"
# Both configs, running in front of stub replicas: /v1 is proxied, /debug is answered 404 by nginx itself.
check "nginx keeps /debug inside (deploy and compose configs)" deploy/test/secure-nginx-debug.sh

# The repository ships no API keys or Redis secrets: the operator's files are ignored by git, none is tracked,
# and no tracked file under deploy/ holds a key (kzgk_ and 64 hex digits).
no_keys_in_git() {
  local tracked
  local ignored
  for ignored in deploy/k8s/base/{api-keys,redis-password,cache-mac-key} \
    deploy/compose/secrets/{api-keys,redis-password,cache-mac-key}; do
    git check-ignore -q "$ignored" || { echo "git does not ignore $ignored"; return 1; }
  done
  tracked="$(git ls-files deploy | grep -E '(^|/)(api-keys|redis-password|cache-mac-key)$|(^|/)secrets/' || true)"
  [[ -z "$tracked" ]] || { echo "tracked keys files: $tracked"; return 1; }
  ! git grep -nE 'kzgk_[0-9a-f]{64}' -- deploy
}
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  check "no API keys in git under deploy/" no_keys_in_git
else
  skip "no API keys in git" "not a git checkout"
fi

# Kubernetes: render (from a copy, with stand-ins for the operator's files: a keys file with one entry and no
# real key, a Redis password and a MAC key made here), validate against the schemas and kzgd's rules, and check
# that kzgd serves /v1 only with API keys.
cp -r deploy/k8s "$work/k8s"
printf 'keys:\n  - name: check\n    sha256: %s\n    permissions: [verify]\n' \
  "$(printf 'not a key' | sha256sum | cut -d' ' -f1)" >"$work/k8s/base/api-keys"
openssl rand -hex 32 >"$work/k8s/base/redis-password"
openssl rand -hex 32 >"$work/k8s/base/cache-mac-key"
for overlay in base overlays/production; do
  name="${overlay##*/}"
  check "kubectl kustomize deploy/k8s/$overlay" sh -c "kubectl kustomize '$work/k8s/$overlay' >'$work/$name.yaml'"
  check "validate deploy/k8s/$overlay" node deploy/test/k8s/validate.js "$work/$name.yaml"
  check "$overlay: kzgd serves /v1 only with API keys and rate limits" node deploy/test/secure-config.js k8s "$work/$name.yaml"
done
# Broken renders must be refused: a rollout that removes serving pods and a non-integer count (the validator);
# auth turned off in the ConfigMap, and turned off by a variable over it (the security check).
sed -e 's/maxUnavailable: 0/maxUnavailable: 1/' -e 's/minReplicas: 3/minReplicas: three/' "$work/production.yaml" >"$work/broken.yaml"
check "validate refuses a broken render" sh -c "! node deploy/test/k8s/validate.js '$work/broken.yaml'"
validate_refuses() { # validate_refuses FILE MESSAGE: validate.js fails on FILE, saying MESSAGE
  ! node deploy/test/k8s/validate.js "$1" >"$work/refused.txt" 2>&1 && cat "$work/refused.txt" &&
    grep -qF -- "$2" "$work/refused.txt"
}
yaml_edit "$work/production.yaml" "$work/no-egress.yaml" 'docs.find((d) => d.kind === "NetworkPolicy" && d.metadata.name === "kzgd").spec.egress = [];'
check "validate refuses tracing without egress to the collector" \
  validate_refuses "$work/no-egress.yaml" 'but no egress rule allows port 4318/TCP'
# Redis: kzgd's pods must be let in by Redis's NetworkPolicy, and Redis's pods must stay out of kzgd's Service.
yaml_edit "$work/production.yaml" "$work/redis-closed.yaml" \
  'docs.find((d) => d.kind === "NetworkPolicy" && d.metadata.name === "kzgd-redis").spec.ingress = [];'
check "validate refuses a render whose Redis does not let kzgd in" \
  validate_refuses "$work/redis-closed.yaml" 'NetworkPolicy/kzgd-redis: admits no kzgd pod on 6379/TCP'
yaml_edit "$work/production.yaml" "$work/redis-as-kzgd.yaml" \
  'docs.find((d) => d.kind === "Deployment" && d.metadata.name === "kzgd-redis").spec.template.metadata.labels["app.kubernetes.io/name"] = "kzgd";'
check "validate refuses Redis pods that kzgd's Service would select" \
  validate_refuses "$work/redis-as-kzgd.yaml" "Deployment/kzgd-redis: its pods carry the labels kzgd's Service selects"
sed '/^    auth:$/,/enabled:/ s/enabled: true/enabled: false/' "$work/production.yaml" >"$work/auth-off.yaml"
check "secure-config refuses a render with auth.enabled false" refused k8s "$work/auth-off.yaml" 'auth.enabled is false (from file)'
yaml_edit "$work/production.yaml" "$work/auth-env-off.yaml" \
  'docs.find((d) => d.kind === "Deployment" && d.metadata.name === "kzgd").spec.template.spec.containers[0].env.push({ name: "KZGD_AUTH_ENABLED", value: "false" });'
check "secure-config refuses a render with KZGD_AUTH_ENABLED=false" \
  refused k8s "$work/auth-env-off.yaml" 'auth.enabled is false (from environment variable KZGD_AUTH_ENABLED)'
yaml_edit "$work/base.yaml" "$work/keys-unmounted.yaml" \
  'const pod = docs.find((d) => d.kind === "Deployment" && d.metadata.name === "kzgd").spec.template.spec; pod.containers[0].volumeMounts = pod.containers[0].volumeMounts.filter((m) => m.name !== "api-keys");'
check "secure-config refuses a render whose keys file is not mounted" \
  refused k8s "$work/keys-unmounted.yaml" 'auth.keys_file /etc/kzgd/secrets/api-keys: ConfigMap kzgd-config mounted at /etc/kzgd has no key for secrets/api-keys'
yaml_edit "$work/base.yaml" "$work/redis-password-in-url.yaml" \
  'docs.find((d) => d.kind === "Deployment" && d.metadata.name === "kzgd").spec.template.spec.containers[0].env.find((e) => e.name === "KZGD_REDIS_URL").value = "redis://:not-a-password@kzgd-redis:6379/0";'
check "secure-config refuses a Redis password in redis.url" \
  refused k8s "$work/redis-password-in-url.yaml" 'redis.url (from environment variable KZGD_REDIS_URL) carries a password'

# Every kzgd configuration shipped in deploy/ is one kzgd accepts.
if [[ -x "$kzgd" ]]; then
  node -e '
const yaml = require(process.argv[1]);
const fs = require("fs");
for (const doc of yaml.loadAll(fs.readFileSync(process.argv[2], "utf8")))
  if (doc && doc.kind === "ConfigMap") fs.writeFileSync(process.argv[3], doc.data["kzgd.yaml"]);' \
    "$js_yaml" "$work/production.yaml" "$work/k8s-kzgd.yaml"
  # The keys file at its mounted path does not exist here: the stand-in takes its place.
  sed -i "s|keys_file: /etc/kzgd/secrets/api-keys|keys_file: $work/k8s/base/api-keys|" "$work/k8s-kzgd.yaml"
  sed "s|keys_file: /run/secrets/api-keys|keys_file: $work/k8s/base/api-keys|" deploy/compose/kzgd.yaml >"$work/compose-kzgd.yaml"
  check "kzgd --check-config (k8s ConfigMap)" "$kzgd" --config "$work/k8s-kzgd.yaml" --check-config
  check "kzgd --check-config (compose)" "$kzgd" --config "$work/compose-kzgd.yaml" --check-config
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
# The unit's ExecReload, run by hand: a new keys file is taken, a bad one refused with the old keys kept. The
# operators' health check against kzgd with TLS and keys: a CA file, a key from a variable or a file, never argv.
if [[ -x "$kzgd" ]]; then
  check "systemd ExecReload reloads the API keys (deploy/test/systemd-reload.sh)" deploy/test/systemd-reload.sh "$kzgd"
  check "kzgd-health.sh with https and API keys (deploy/test/secure-health.sh)" deploy/test/secure-health.sh "$kzgd"
else
  skip "systemd ExecReload, kzgd-health.sh with https and keys" "$kzgd not built"
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
