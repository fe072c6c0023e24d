#!/usr/bin/env bash
# Writes deploy/nginx/nginx.conf, with kzgd-proxy.conf beside it, into DIR for a run on loopback by any user:
# the replicas' addresses become 127.0.0.1:PORT_A and :PORT_B, nginx listens on 127.0.0.1:PORT_LB, and the pid
# file, logs and temporary files go under DIR. Everything else is the file operators deploy, as it is.
#
# Usage: deploy/test/render-nginx.sh DIR PORT_A PORT_B PORT_LB
set -euo pipefail

if (($# != 4)); then
  echo "usage: $0 DIR PORT_A PORT_B PORT_LB" >&2
  exit 2
fi
dir=$1 port_a=$2 port_b=$3 port_lb=$4
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../nginx" && pwd)"
mkdir -p "$dir/tmp"
dir="$(cd "$dir" && pwd)"

# Each substitution must match exactly once: a change to nginx.conf that breaks one fails here, loudly.
substitutions=(
  "s|^user www-data;$||"
  "s|^pid /run/nginx.pid;$|pid $dir/nginx.pid;|"
  "s|^error_log /var/log/nginx/error.log warn;$|error_log $dir/error.log info;|"
  "s|^  access_log /var/log/nginx/kzgd-access.log;$|  access_log $dir/access.log; client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy; fastcgi_temp_path $dir/tmp/fastcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;|"
  "s|^    server 10.0.0.11:8080 |    server 127.0.0.1:$port_a |"
  "s|^    server 10.0.0.12:8080 |    server 127.0.0.1:$port_b |"
  "s|^    listen 80;$|    listen 127.0.0.1:$port_lb;|"
)
conf="$(cat "$src/nginx.conf")"
for s in "${substitutions[@]}"; do
  pattern="${s#s|}"
  pattern="${pattern%%|*}"
  matches="$(grep -c -- "$pattern" <<<"$conf" || true)"
  if [[ "$matches" != 1 ]]; then
    echo "render-nginx: expected one line of deploy/nginx/nginx.conf to match '$pattern', found $matches" >&2
    exit 1
  fi
  conf="$(sed -e "$s" <<<"$conf")"
done
printf '%s\n' "$conf" >"$dir/nginx.conf"
cp "$src/kzgd-proxy.conf" "$dir/kzgd-proxy.conf"
