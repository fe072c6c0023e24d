#!/usr/bin/env bash
# Installs the pinned baseline libraries into bench/node/node_modules (once) and runs
# ckzg_bench.js with the given arguments: `bench/node/run.sh` for c-kzg, `--lib=eth-kzg` for
# node-eth-kzg, `--help` for the rest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -f node_modules/c-kzg/build/Release/kzg.node || ! -d node_modules/@crate-crypto/node-eth-kzg ]]; then
  # c-kzg compiles a native addon with node-gyp. Point node-gyp at the headers installed beside
  # node so it needs nothing beyond the npm registry.
  node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [[ -f "$node_prefix/include/node/common.gypi" ]]; then
    export npm_config_nodedir="$node_prefix"
  fi
  npm install --no-audit --no-fund --no-package-lock --foreground-scripts >&2
  # npm versions that gate install scripts on allowScripts may still have skipped the build.
  if [[ ! -f node_modules/c-kzg/build/Release/kzg.node ]]; then
    npm rebuild c-kzg --foreground-scripts >&2
  fi
fi

exec node ckzg_bench.js "$@"
