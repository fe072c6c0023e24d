#!/usr/bin/env bash
# The container image (deploy/docker/Dockerfile) checked without a container engine. A minimal Debian 12
# (debootstrap --variant=minbase: what debian:12-slim holds) stands in for the runtime stage's base, and the stage's
# instructions are carried out in it: RUN in a chroot, COPY from the checkout, the given kzgd in place of the build
# stage's. Then:
#
# 1. ldd coverage: every shared library `ldd kzgd` shows belongs (dpkg -S) to a package of the runtime list
#    (scripts/install-deps.sh --runtime) or of the minimal base; a library kzgd does not link directly may also
#    belong to a dependency apt installed with the list. Every listed package that ships a shared library must
#    provide one of them.
# 2. Smoke test: kzgd runs as the image runs it: the stage's USER, ENTRYPOINT and CMD, an empty environment, a
#    read-only root with a tmpfs /tmp. It must answer /ready with the table cache the image ships loaded (not
#    rebuilt), pass the image's HEALTHCHECK, compute the same
#    commitment for a blob as the host's kzg tool, and exit 0 on STOPSIGNAL. Only its listen address differs: a
#    free loopback port, through KZGD_SERVER_LISTEN.
#
# Usage: deploy/test/image-check.sh [path/to/kzgd] [path/to/kzg]   (default build/service/kzgd, build/tool/kzg;
# KEEP=1 keeps the work directory, the image's root included)
# Needs root (chroot, mount), debootstrap, python3 and curl (scripts/install-deps.sh), and the Debian mirror.
# The bootstrapped base is cached in ${XDG_CACHE_HOME:-~/.cache}/kzgd/ (about 200 MB): the first run downloads
# about 50 MB and takes about 30 s more. The image's root is built in memory (a tmpfs, about 300 MB).
# IMAGE_CHECK_MIRROR replaces http://deb.debian.org/debian (its security suite: the same URL ending in
# debian-security).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kzgd="$(realpath "${1:-$root/build/service/kzgd}")"
kzg="$(realpath "${2:-$root/build/tool/kzg}")"
dockerfile="$root/deploy/docker/Dockerfile"
mirror="${IMAGE_CHECK_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
cache="${XDG_CACHE_HOME:-$HOME/.cache}/kzgd"
# Docker's PATH in Debian images; RUN and the entrypoint see this and nothing of the caller's environment.
image_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

started=$EPOCHREALTIME
log() { printf 'image-check: %s\n' "$*"; }
die() {
  printf 'image-check: %s\n' "$*" >&2
  exit 1
}
# A check that fails is recorded and the script goes on, so one run shows every failure; it exits 1 at the end.
failures=()
fail_check() { # fail_check CHECK MESSAGE
  log "FAILED ($1): $2"
  failures+=("$1")
}
seconds_since() { # seconds_since EPOCHREALTIME_VALUE: elapsed, one decimal
  local micros=$((${EPOCHREALTIME/./} - ${1/./}))
  printf '%d.%d' $((micros / 1000000)) $((micros % 1000000 / 100000))
}

((EUID == 0)) || die "needs root (debootstrap, chroot and mount); CI runs it as root"
for tool in debootstrap chroot ldd objdump dpkg python3 curl mount; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (scripts/install-deps.sh installs it)"
done
[[ -x "$kzgd" ]] || die "$kzgd is not an executable; build it first (cmake --build build --target kzgd)"
[[ -x "$kzg" ]] || die "$kzg is not an executable; build it first (cmake --build build --target kzg)"

work="$(mktemp -d "${TMPDIR:-/tmp}/kzgd-image-check.XXXXXX")"
rootfs="$work/rootfs"
kzgd_pid=""
mounts_under_work() { # deepest first, so that a mount is released before the one it sits on
  awk -v prefix="$work/" 'index($5, prefix) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}
cleanup() {
  local mount_point
  if [[ -n "$kzgd_pid" ]] && kill -0 "$kzgd_pid" 2>/dev/null; then
    kill -KILL "$kzgd_pid" 2>/dev/null || true
    wait "$kzgd_pid" 2>/dev/null || true
  fi
  while read -r mount_point; do
    [[ "${KEEP:-0}" == 1 && "$mount_point" == "$rootfs" ]] && continue
    umount "$mount_point" 2>/dev/null || umount -l "$mount_point" || true
  done < <(mounts_under_work)
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "image-check: work directory kept: $work (the image's root: a tmpfs on $rootfs; umount it when done)"
  elif [[ -n "$(mounts_under_work)" ]]; then
    # Never delete through a mount that is still there (the chroot's /dev is the host's).
    echo "image-check: mounts remain under $work; left in place" >&2
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT
# So that an interrupted run unmounts too.
trap 'exit 130' INT
trap 'exit 143' TERM

# The runtime stage of the Dockerfile: its instructions, continuation lines joined and comments dropped.
runtime_base="" stage=()
read_runtime_stage() {
  local line instruction="" in_runtime=false
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    if [[ "$line" == *\\ ]]; then
      instruction+="${line%\\} "
      continue
    fi
    instruction+="$line"
    if [[ "$instruction" =~ ^FROM[[:space:]]+([^[:space:]]+)[[:space:]]+[Aa][Ss][[:space:]]+([^[:space:]]+)$ ]]; then
      in_runtime=false
      if [[ "${BASH_REMATCH[2]}" == runtime ]]; then
        in_runtime=true
        runtime_base="${BASH_REMATCH[1]}"
      fi
    elif [[ "$instruction" == FROM* ]]; then
      in_runtime=false
    elif [[ "$in_runtime" == true ]]; then
      stage+=("$instruction")
    fi
    instruction=""
  done <"$dockerfile"
  [[ -n "$runtime_base" ]] || die "$dockerfile has no stage named runtime"
  # The bootstrap below stands in for this image only.
  [[ "$runtime_base" == debian:12-slim ]] ||
    die "the runtime stage starts from $runtime_base; this check bootstraps Debian 12 (debian:12-slim) in its place"
}
json_words() { python3 -c 'import json, sys; print("\n".join(json.loads(sys.argv[1])))' "$1"; }

# The minimal Debian 12, bootstrapped once per mirror and architecture and kept as a tar file; each run unpacks
# a fresh copy, so nothing a run installs reaches the cache.
bootstrap_base() {
  local arch key tarball step_started=$EPOCHREALTIME
  arch="$(dpkg --print-architecture)"
  key="$(printf '%s\n' minbase "$suite" "$arch" "$mirror" | sha256sum | cut -c1-12)"
  tarball="$cache/debootstrap-minbase-$suite-$arch-$key.tar"
  # In memory (about 300 MB): unpacking is quicker, and the cleanup is an unmount instead of deleting 10,000 files.
  mkdir -p "$rootfs"
  mount -t tmpfs -o size=1g,mode=0755 tmpfs "$rootfs"
  if [[ -f "$tarball" ]]; then
    tar -C "$rootfs" --numeric-owner -xpf "$tarball"
    log "base: cached $tarball unpacked in $(seconds_since "$step_started") s"
  else
    log "base: debootstrap --variant=minbase $suite from $mirror (first run; then cached in $cache)"
    if ! debootstrap --variant=minbase --arch="$arch" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
      tail -n 20 "$work/debootstrap.log" >&2
      die "debootstrap failed (full log above: last 20 lines)"
    fi
    mkdir -p "$cache"
    tar -C "$rootfs" --numeric-owner -cf "$tarball.$$" .
    mv "$tarball.$$" "$tarball"
    log "base: bootstrapped and cached in $(seconds_since "$step_started") s"
  fi
  # What debian:12-slim has and debootstrap does not write: the updates and security suites.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  mapfile -t base_packages < <(dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f='${Package}\n')
}

# The spellings under which dpkg may have recorded the file ldd shows as PATH: ldd may show it through the
# merged-/usr link (/lib -> usr/lib) or a soname link.
spellings_of() {
  local spelling
  for spelling in "$1" "$(realpath "$1")"; do
    printf '%s\n' "$spelling" "${spelling#/usr}" "/usr$spelling"
  done
}

# Every library ldd shows, with its package. One that kzgd links directly (NEEDED) must come from the runtime list
# or the minimal base; one that only another library needs may also be a dependency apt installed with the list
# (stage_packages). A listed package that ships a shared library must provide one of them.
ldd_coverage() {
  local line index library path spelling package how source needed failed=0
  local -a libraries=() paths=()
  local -A listed=() in_base=() in_stage=() direct=() used=() owner=()
  for package in "${runtime_packages[@]}"; do listed[$package]=1; done
  for package in "${base_packages[@]}"; do in_base[$package]=1; done
  for package in "${stage_packages[@]}"; do in_stage[$package]=1; done
  while read -r needed; do direct[$needed]=1; done < <(objdump -p "$kzgd" | awk '$1 == "NEEDED" { print $2 }')
  log "ldd coverage of $kzgd (runtime list: scripts/install-deps.sh --runtime)"
  [[ "$stage_built" == true ]] ||
    log "  (the runtime stage failed: what apt would install with the list is unknown and counts as uncovered)"
  while read -r line; do
    case "$line" in
      linux-vdso.so.* | "") continue ;;
      *"=> not found"*)
        printf '  %-32s -> not found on this machine\n' "${line%% =>*}"
        failed=1
        ;;
      *" => "*)
        path="${line#*=> }"
        libraries+=("${line%% =>*}")
        paths+=("${path%% (*}")
        ;;
      /*)
        libraries+=("${line%% (*}")
        paths+=("${line%% (*}")
        ;;
      *) die "unexpected ldd line: $line" ;;
    esac
  done < <(ldd "$kzgd")
  # One dpkg -S for every spelling of every library: its lines read "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6".
  while IFS= read -r line; do
    [[ "$line" =~ ^([^:,\ ]+)(:[a-z0-9]+)?:\ (/.*)$ ]] && owner[${BASH_REMATCH[3]}]="${BASH_REMATCH[1]}"
  done < <(for path in "${paths[@]}"; do spellings_of "$path"; done | sort -u | xargs dpkg -S 2>/dev/null || true)

  for index in "${!libraries[@]}"; do
    library="${libraries[$index]}"
    path="${paths[$index]}"
    how=indirect
    [[ -n "${direct[$library]:-}" ]] && how=direct
    package=""
    while read -r spelling; do
      package="${owner[$spelling]:-}"
      [[ -n "$package" ]] && break
    done < <(spellings_of "$path")
    if [[ -z "$package" ]]; then
      source="UNCOVERED: no package owns $path"
      failed=1
    elif [[ -n "${listed[$package]:-}" ]]; then
      source="runtime list"
      used[$package]=1
    elif [[ -n "${in_base[$package]:-}" ]]; then
      source="minimal base"
    elif [[ "$how" == indirect && -n "${in_stage[$package]:-}" ]]; then
      source="installed by apt with the list"
    elif [[ "$how" == direct ]]; then
      source="UNCOVERED: add $package to the runtime list (scripts/install-deps.sh)"
      failed=1
    else
      source="UNCOVERED: neither in the base nor installed with the list (is a library above uncovered?)"
      failed=1
    fi
    printf '  %-32s %-8s -> %-26s %s\n' "$library" "$how" "${package:-?}" "$source"
  done
  for package in "${runtime_packages[@]}"; do
    [[ -n "${used[$package]:-}" ]] && continue
    if ! dpkg -L "$package" >"$work/files" 2>/dev/null; then
      printf '  %-32s %-8s    %-26s %s\n' "" listed "$package" "NOT INSTALLED on this machine: a misspelt package?"
      failed=1
    elif grep -Eq '/lib[^/]*\.so(\.[0-9]+)*$' "$work/files"; then
      printf '  %-32s %-8s    %-26s %s\n' "" listed "$package" "UNUSED: kzgd loads no library of it; remove it from the list"
      failed=1
    else
      printf '  %-32s %-8s    %-26s %s\n' "" listed "$package" "ships no shared library (listed for its files)"
    fi
  done
  ((failed == 0)) || fail_check "ldd coverage" "the runtime list and the libraries kzgd loads differ (above)"
}

# The runtime stage's instructions, carried out in $rootfs; sets stage_built, stage_packages (what its RUN
# installed), and user, entrypoint, cmd, exposed_port, stop_signal, healthcheck and healthcheck_timeout.
stage_built=false stage_packages=() user=root entrypoint=() cmd=() exposed_port="" stop_signal=TERM
healthcheck=() healthcheck_timeout=30
build_runtime_stage() {
  local instruction keyword arguments words destination
  mount -t proc proc "$rootfs/proc"
  mount --bind /dev "$rootfs/dev"
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  for instruction in "${stage[@]}"; do
    keyword="${instruction%%[[:space:]]*}"
    arguments="${instruction#"$keyword"}"
    arguments="${arguments#"${arguments%%[![:space:]]*}"}"
    case "${keyword^^}" in
      RUN)
        log "RUN $(tr -s ' ' <<<"${arguments:0:100}")..."
        if ! env -i PATH="$image_path" HOME=/root chroot "$rootfs" /bin/sh -c "$arguments" >"$work/run.log" 2>&1; then
          tail -n 30 "$work/run.log" >&2
          fail_check "runtime stage" "RUN failed (its last lines above)"
          return
        fi
        ;;
      COPY)
        read -ra words <<<"$arguments"
        ((${#words[@]} == 2 || ${#words[@]} == 3)) || die "COPY with ${#words[@]} words is not handled: $instruction"
        destination="$rootfs${words[-1]}"
        [[ "$destination" == */ ]] && destination+="$(basename "${words[-2]}")"
        if [[ "${words[0]}" == --from=build ]]; then
          [[ "${words[1]}" == /build/service/kzgd ]] || die "only kzgd comes from the build stage here: $instruction"
          install -D -m 0755 "$kzgd" "$destination"
          words[-2]="$kzgd (for the build stage's ${words[1]})"
        elif ((${#words[@]} == 2)); then
          install -D -m "$(stat -c %a "$root/${words[0]}")" "$root/${words[0]}" "$destination"
        else
          die "COPY option not handled: $instruction"
        fi
        log "COPY ${words[-2]} -> ${words[-1]}"
        ;;
      USER) user="$arguments" ;;
      EXPOSE) # the first port: HTTP's, which the HEALTHCHECK asks
        if [[ -z "$exposed_port" ]]; then
          exposed_port="${arguments%% *}"
          exposed_port="${exposed_port%%/*}"
        fi ;;
      STOPSIGNAL) stop_signal="${arguments#SIG}" ;;
      ENTRYPOINT | CMD)
        [[ "$arguments" == \[* ]] || die "$keyword in shell form is not handled (the exec form is): $instruction"
        if [[ "${keyword^^}" == ENTRYPOINT ]]; then
          mapfile -t entrypoint < <(json_words "$arguments")
        else
          mapfile -t cmd < <(json_words "$arguments")
        fi
        ;;
      HEALTHCHECK)
        [[ "$arguments" =~ --timeout=([0-9]+)s ]] && healthcheck_timeout="${BASH_REMATCH[1]}"
        [[ "$arguments" == *" CMD ["* ]] || die "HEALTHCHECK without an exec-form CMD is not handled: $instruction"
        mapfile -t healthcheck < <(json_words "[${arguments#* CMD [}")
        ;;
      *) die "runtime stage instruction not handled by this check: $instruction" ;;
    esac
  done
  umount "$rootfs/dev" "$rootfs/proc"
  mapfile -t stage_packages < <(comm -13 <(printf '%s\n' "${base_packages[@]}" | sort) \
    <(dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f='${Package}\n' | sort))
  stage_built=true
}

# kzgd from the built stage, as the image runs it, on a read-only view of the root with a tmpfs /tmp.
smoke_test() {
  local image="$work/image" port blob expected answer word status ids step_started
  local -a health=()
  mkdir -p "$image"
  mount --bind "$rootfs" "$image"
  mount -o remount,bind,ro "$image"
  mount -t proc proc "$image/proc"
  mount --bind /dev "$image/dev"
  mount -t tmpfs -o size=64m,mode=1777 tmpfs "$image/tmp"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  grpc_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

  log "start: USER $user, ${entrypoint[*]} ${cmd[*]}, KZGD_SERVER_LISTEN=127.0.0.1:$port," \
    "KZGD_GRPC_LISTEN=127.0.0.1:$grpc_port, read-only root"
  step_started=$EPOCHREALTIME
  env -i PATH="$image_path" HOME=/ KZGD_SERVER_LISTEN="127.0.0.1:$port" KZGD_GRPC_LISTEN="127.0.0.1:$grpc_port" \
    chroot --userspec="$user" "$image" "${entrypoint[@]}" "${cmd[@]}" >"$work/kzgd.log" 2>&1 &
  kzgd_pid=$!
  local deadline=$((SECONDS + 60))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready" 2>/dev/null)" == 200 ]]; do
    if ! kill -0 "$kzgd_pid" 2>/dev/null; then
      wait "$kzgd_pid" && status=0 || status=$?
      kzgd_pid=""
      tail -n 20 "$work/kzgd.log" >&2
      fail_check "smoke test" "kzgd exited with status $status before /ready answered (its output above)"
      return
    fi
    ((SECONDS < deadline)) || { fail_check "smoke test" "/ready did not answer 200 within 60 s"; return; }
    sleep 0.2
  done
  log "ready: /ready answered 200 $(seconds_since "$step_started") s after start"
  # The image ships its table cache (setup.table_cache, built by a RUN of the stage): the start must map it.
  local cache_line
  cache_line="$(grep -m1 '"setup loaded"' "$work/kzgd.log" || true)"
  if [[ "$cache_line" != *'"table_cache":"loaded"'* ]]; then
    tail -n 20 "$work/kzgd.log" >&2
    fail_check "smoke test" "kzgd did not load the image's table cache (its log above)"
    return
  fi
  log "table cache: mapped from the image, not rebuilt"
  ids="$(awk '/^Uid:/ { uid = $2 } /^Gid:/ { gid = $2 } END { print uid ":" gid }' "/proc/$kzgd_pid/status")"
  [[ "$ids" == "$user" ]] || { fail_check "smoke test" "kzgd runs as $ids, not USER $user"; return; }

  # The image's HEALTHCHECK, as its user, with the image's port replaced by this run's.
  [[ -n "$exposed_port" ]] || { fail_check "smoke test" "the runtime stage EXPOSEs no port"; return; }
  for word in "${healthcheck[@]}"; do health+=("${word//127.0.0.1\/$exposed_port/127.0.0.1/$port}"); done
  if ! env -i PATH="$image_path" timeout "$healthcheck_timeout" chroot --userspec="$user" "$image" "${health[@]}" \
    >"$work/health.log" 2>&1; then
    cat "$work/health.log" >&2
    fail_check "smoke test" "the HEALTHCHECK command failed (its output above)"
    return
  fi
  log "HEALTHCHECK: passed"

  # The gRPC listener in the image: the standard health service answers SERVING (grpc.health.v1, through the
  # host's grpcio: the image itself ships no gRPC client).
  if ! /usr/bin/python3 - "$grpc_port" <<'PY' 2>"$work/grpc-health.log"; then
import sys
import grpc
check = grpc.insecure_channel(f"127.0.0.1:{sys.argv[1]}").unary_unary(
    "/grpc.health.v1.Health/Check", request_serializer=lambda b: b, response_deserializer=lambda b: b)
sys.exit(0 if check(b"", timeout=10) == b"\x08\x01" else 1)  # status: SERVING
PY
    cat "$work/grpc-health.log" >&2
    fail_check "smoke test" "the gRPC health service did not answer SERVING"
    return
  fi
  log "gRPC health: SERVING"

  # A deterministic blob of 4096 distinct canonical field elements: a zero byte, then 31 bytes of SHA-256(i).
  blob="$work/blob.bin"
  python3 -c '
import hashlib, sys
sys.stdout.buffer.write(b"".join(b"\0" + hashlib.sha256(i.to_bytes(4, "big")).digest()[1:] for i in range(4096)))' >"$blob"
  expected="$("$kzg" commit "$blob")"
  answer="$(curl -fsS "http://127.0.0.1:$port/v1/blob_to_kzg_commitment" \
    -H 'Content-Type: application/octet-stream' --data-binary @"$blob" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["output"])')" ||
    { fail_check "smoke test" "POST /v1/blob_to_kzg_commitment failed"; return; }
  if [[ "$answer" != "$expected" ]]; then
    fail_check "smoke test" "blob_to_kzg_commitment: the image answered $answer, the host's kzg $expected"
    return
  fi
  log "blob_to_kzg_commitment: $answer, as the host's kzg computes"

  kill -s "$stop_signal" "$kzgd_pid"
  deadline=$((SECONDS + 15))
  while kill -0 "$kzgd_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$kzgd_pid" 2>/dev/null; then
    fail_check "smoke test" "kzgd still runs 15 s after SIG$stop_signal"
    return
  fi
  wait "$kzgd_pid" && status=0 || status=$?
  kzgd_pid=""
  if ((status != 0)); then
    tail -n 20 "$work/kzgd.log" >&2
    fail_check "smoke test" "kzgd exited with status $status after SIG$stop_signal (its output above)"
    return
  fi
  log "SIG$stop_signal: kzgd exited with status 0"
}

read_runtime_stage
mapfile -t runtime_packages < <("$root/scripts/install-deps.sh" --runtime --print)
bootstrap_base

step_started=$EPOCHREALTIME
build_runtime_stage
if [[ "$stage_built" == true ]]; then
  log "runtime stage: $(seconds_since "$step_started") s (its RUN: apt-get install of ${#stage_packages[@]} packages)"
fi

step_started=$EPOCHREALTIME
ldd_coverage
log "ldd coverage: $(seconds_since "$step_started") s"

if [[ "$stage_built" == true ]]; then
  smoke_test
fi

log "total: $(seconds_since "$started") s"
if ((${#failures[@]} > 0)); then
  failed="$(printf '%s, ' "${failures[@]}")"
  log "FAILED: ${failed%, }"
  exit 1
fi
log "passed: runtime stage, ldd coverage, smoke test"
