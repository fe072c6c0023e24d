#!/usr/bin/env bash
# Installs everything kzgd needs to build, test, benchmark and run, on Debian 12 (bookworm).
#
# Idempotent: when every package is already installed it returns at once, without touching apt.
# Runs apt-get through sudo when not root. Non-interactive.
set -euo pipefail

packages=(
  # toolchain (libclang-rt-14-dev: clang's sanitizer runtimes and libFuzzer, libclang_rt.fuzzer-x86_64.a, for
  # the fuzz targets in fuzz/ that scripts/fuzz-smoke.sh builds)
  build-essential cmake ninja-build g++ clang libclang-rt-14-dev pkg-config git
  # engine, tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libgmp-dev libssl-dev nlohmann-json3-dev
  # service and tool
  libboost-dev libboost-system-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev libtbb-dev prometheus-cpp-dev libsimdjson-dev
  # the trusted setup comes from npm (c-kzg@4.1.0); the Node baseline benchmark; load tests
  nodejs npm ca-certificates curl wrk python3
  # promtool checks the /metrics format in the service tests
  prometheus
  # the operations kit's checks (deploy/test): the load balancer, linters, the Kubernetes renderer (kubectl kustomize),
  # the compose and Alertmanager config checkers
  nginx shellcheck yamllint kubernetes-client docker-compose prometheus-alertmanager
)

is_installed() {
  case "$1" in
    # NodeSource's nodejs bundles npm (and conflicts with Debian's npm package): accept any npm on PATH.
    npm) command -v npm >/dev/null 2>&1 && return 0 ;;
    # Any kubectl will do (deploy/test/check.sh only renders with kubectl kustomize); one from another source
    # conflicts with Debian's package over /usr/bin/kubectl.
    kubernetes-client) command -v kubectl >/dev/null 2>&1 && return 0 ;;
  esac
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

missing=()
for package in "${packages[@]}"; do
  is_installed "$package" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get not found; this script targets Debian 12. Missing: ${missing[*]}" >&2
  exit 1
fi

sudo=()
if ((EUID != 0)); then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: not root and sudo not found; as root, run: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
