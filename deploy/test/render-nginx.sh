#!/usr/bin/env bash
# Writes one of the shipped nginx configs, with kzgd-proxy.conf beside it, into DIR for a run on loopback by any
# user: the replicas' addresses become 127.0.0.1:PORT_A and :PORT_B, nginx listens on 127.0.0.1:PORT_LB, and the
# pid file, logs and temporary files go under DIR. Everything else is the file operators deploy, as it is.
#
# Usage: deploy/test/render-nginx.sh [--compose] DIR PORT_A PORT_B PORT_LB [GRPC_A GRPC_B GRPC_LB]
#   default: deploy/nginx/nginx.conf; --compose: deploy/compose/nginx.conf (the compose stack's), whose gRPC
#   proxy goes to the replicas' GRPC_A and GRPC_B and listens on GRPC_LB (default: PORT_LB + 1)
set -euo pipefail

variant=deploy
if [[ "${1:-}" == --compose ]]; then
  variant=compose
  shift
fi
if (($# != 4 && $# != 7)); then
  echo "usage: $0 [--compose] DIR PORT_A PORT_B PORT_LB [GRPC_A GRPC_B GRPC_LB]" >&2
  exit 2
fi
dir=$1 port_a=$2 port_b=$3 port_lb=$4
grpc_a=${5:-$port_a} grpc_b=${6:-$port_b} grpc_lb=${7:-$((port_lb + 1))}
deploy="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$dir/tmp"
dir="$(cd "$dir" && pwd)"
temp_paths="client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy; fastcgi_temp_path $dir/tmp/fastcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;"

# Each substitution must match exactly once: a change to the config that breaks one fails here, loudly.
if [[ "$variant" == deploy ]]; then
  src="$deploy/nginx/nginx.conf"
  substitutions=(
    "s|^user www-data;$||"
    "s|^pid /run/nginx.pid;$|pid $dir/nginx.pid;|"
    "s|^error_log /var/log/nginx/error.log warn;$|error_log $dir/error.log info;|"
    "s|^  access_log /var/log/nginx/kzgd-access.log;$|  access_log $dir/access.log; $temp_paths|"
    "s|^    server 10.0.0.11:8080 |    server 127.0.0.1:$port_a |"
    "s|^    server 10.0.0.12:8080 |    server 127.0.0.1:$port_b |"
    "s|^    listen 80;$|    listen 127.0.0.1:$port_lb;|"
  )
else
  src="$deploy/compose/nginx.conf"
  substitutions=(
    "s|^pid /tmp/nginx.pid;$|pid $dir/nginx.pid;|"
    "s|^error_log /dev/stderr warn;$|error_log $dir/error.log info;|"
    "s|^  access_log /dev/stdout;$|  access_log $dir/access.log; $temp_paths|"
    "s|^    server kzgd-1:8080 |    server 127.0.0.1:$port_a |"
    "s|^    server kzgd-2:8080 |    server 127.0.0.1:$port_b |"
    "s|^    listen 80;$|    listen 127.0.0.1:$port_lb;|"
    "s|^    server kzgd-1:9090 |    server 127.0.0.1:$grpc_a |"
    "s|^    server kzgd-2:9090 |    server 127.0.0.1:$grpc_b |"
    "s|^    listen 81 http2;$|    listen 127.0.0.1:$grpc_lb http2;|"
  )
fi
conf="$(cat "$src")"
for s in "${substitutions[@]}"; do
  pattern="${s#s|}"
  pattern="${pattern%%|*}"
  matches="$(grep -c -- "$pattern" <<<"$conf" || true)"
  if [[ "$matches" != 1 ]]; then
    echo "render-nginx: expected one line of ${src#"$deploy/"} to match '$pattern', found $matches" >&2
    exit 1
  fi
  conf="$(sed -e "$s" <<<"$conf")"
done
printf '%s\n' "$conf" >"$dir/nginx.conf"
cp "$deploy/nginx/kzgd-proxy.conf" "$dir/kzgd-proxy.conf"
