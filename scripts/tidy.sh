#!/usr/bin/env bash
# Runs clang-tidy with the committed .clang-tidy over every C++ source of a configured build tree (its
# compile_commands.json), two files at a time; fails on any finding.
#   scripts/tidy.sh [BUILD_DIR]       default: build
#   scripts/tidy.sh build FILE...     only these files
# About 20 minutes for the whole tree on 2 cores, so CI leaves it to this script (docs/building.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build="${1:-build}"
shift || true
if [[ ! -f "$build/compile_commands.json" ]]; then
  echo "tidy: $build/compile_commands.json not found; configure first (cmake -S . -B $build -G Ninja)" >&2
  exit 2
fi
if (($#)); then
  files=("$@")
else
  mapfile -t files < <(git ls-files '*.cpp' | grep -vE '^(tests/install|fuzz)/')
fi
# A file the database does not list would be checked with guessed flags (and fail in the standard headers): the
# tree was configured before the file was added.
missing=()
for f in "${files[@]}"; do
  grep -qF "\"$PWD/$f\"" "$build/compile_commands.json" || missing+=("$f")
done
if ((${#missing[@]})); then
  echo "tidy: not in $build/compile_commands.json (reconfigure: cmake -S . -B $build): ${missing[*]}" >&2
  exit 2
fi
# The compile commands are GCC's: clang needs GCC's constexpr budget for the field constants, and ignores GCC-only
# warning flags.
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet \
  --extra-arg=-fconstexpr-steps=100000000 --extra-arg=-Wno-unknown-warning-option
echo "tidy: ${#files[@]} files clean"
