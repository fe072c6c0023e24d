#!/usr/bin/env bash
# Installs the Debian 12 (bookworm) packages kzgd needs. One list per purpose, kept here only, so that a
# developer's machine, CI and the container image (deploy/docker/Dockerfile) cannot drift apart:
#
#   scripts/install-deps.sh               everything: build, test, benchmark, fuzz and the operations kit's checks
#   scripts/install-deps.sh --build-only  what building kzgd and kzg needs (the image's build stage)
#   scripts/install-deps.sh --runtime     the shared libraries kzgd links, nothing else (the image's runtime stage)
#
# --print, alone or after a mode, prints that set's packages, one a line, and installs nothing
# (deploy/test/image-check.sh reads the runtime list this way).
#
# Idempotent: when every package is already installed it returns at once, without touching apt.
# Runs apt-get through sudo when not root. Non-interactive.
set -euo pipefail

# Building kzgd and kzg (-DKZG_BUILD_TESTS=OFF -DKZG_BUILD_BENCH=OFF).
build_packages=(
  # toolchain
  build-essential cmake ninja-build g++ pkg-config
  # compiler cache: CMake uses it as the compiler launcher when present (repeat builds, CI's three trees)
  ccache
  # engine
  libssl-dev nlohmann-json3-dev libtbb-dev libgmp-dev
  # service and tool
  libboost-dev libboost-system-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev prometheus-cpp-dev libsimdjson-dev
  libcurl4-openssl-dev
  # the gRPC API (service/grpc/): the library, protoc and its C++ gRPC plugin, which generate the stubs
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  # Redis, optional at run time (service/redis/): the C client
  libhiredis-dev
  # the trusted setup comes from npm (c-kzg@4.1.0) at configure time
  nodejs npm ca-certificates
)

# Everything else the repository's tests, benchmarks, fuzzers and checks use.
development_packages=(
  # clang and its runtimes (libclang-rt-14-dev: the sanitizers and libFuzzer, libclang_rt.fuzzer-x86_64.a, for the
  # fuzz targets in fuzz/ that scripts/fuzz-smoke.sh builds)
  clang libclang-rt-14-dev git
  # the committed .clang-format and .clang-tidy (scripts/check-format.sh, scripts/tidy.sh)
  clang-format clang-tidy
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # the Node baseline benchmark; load tests
  curl wrk python3
  # the gRPC conformance test's independent client (tests/grpc/grpc_conformance.py) and its certificates
  python3-grpcio python3-yaml openssl
  # the fleet tests (tests/redis/) run a real Redis on loopback
  redis-server redis-tools
  # promtool checks the /metrics format in the service tests
  prometheus
  # the operations kit's checks (deploy/test): the load balancer, linters, the Kubernetes renderer (kubectl kustomize),
  # the compose and Alertmanager config checkers, and the minimal Debian the image check runs kzgd in
  nginx shellcheck yamllint kubernetes-client docker-compose prometheus-alertmanager debootstrap
)

# The runtime stage of the image: the package of every shared library kzgd links (objdump -p: NEEDED) except those
# of the minimal Debian 12 base (debian:12-slim, debootstrap --variant=minbase): libc6 and libgcc-s1, which the
# Essential packages need. libstdc++6 is in that base only because apt needs it, so it is listed. apt adds what
# these libraries need in turn. ca-certificates: the system CA store, against which an https:// tracing collector
# is verified (libcurl4 only recommends it). deploy/test/image-check.sh fails when this list misses a library kzgd
# loads or holds a library package kzgd does not load.
runtime_packages=(
  libstdc++6 libssl3 libcurl4 libtbb12 libyaml-cpp0.7 libspdlog1.10 libfmt9 libprometheus-cpp-core1.0 libsimdjson14
  libgmp10 libgrpc++1.51 libgrpc29 libabsl20220623 libprotobuf32 libhiredis0.14 ca-certificates
)

usage="usage: scripts/install-deps.sh [--build-only | --runtime] [--print]"

mode=all print=false
for argument in "$@"; do
  case "$argument" in
    --build-only) mode=build ;;
    --runtime) mode=runtime ;;
    --print) print=true ;;
    -h | --help)
      echo "$usage"
      exit 0
      ;;
    *)
      printf "install-deps: unknown argument '%s'\n%s\n" "$argument" "$usage" >&2
      exit 2
      ;;
  esac
done

case "$mode" in
  all) packages=("${build_packages[@]}" "${development_packages[@]}") ;;
  build) packages=("${build_packages[@]}") ;;
  runtime) packages=("${runtime_packages[@]}") ;;
esac

if [[ "$print" == true ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

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
