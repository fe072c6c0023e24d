#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/, -DKZG_FUZZ=ON) and runs each one briefly on its committed
# corpus (fuzz/corpus/<target>/). Any crash, sanitizer report, failed property, leak, timeout or out-of-memory
# makes the script fail; libFuzzer leaves the input as build-fuzz/findings/<target>/crash-* (or leak-*, ...).
#
# Usage: scripts/fuzz-smoke.sh [seconds per target]   (default 25; FUZZ_SECONDS also sets it)
# Extra cmake arguments (e.g. -DKZG_TRUSTED_SETUP_FILE=...) can be passed in FUZZ_CMAKE_ARGS.
# The random seed is fixed (FUZZ_SEED, default 1) so that a run repeats: CI explores the same inputs, in the same
# order, that a longer local run with the same seed has already been through. FUZZ_SEED=0 lets libFuzzer pick.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds="${1:-${FUZZ_SECONDS:-25}}"
build=build-fuzz
targets=(request_fuzzer point_fuzzer trusted_setup_fuzzer config_fuzzer table_cache_fuzzer grpc_request_fuzzer
  cache_entry_fuzzer)
declare -A dicts=([request_fuzzer]=fuzz/dict/request.dict [config_fuzzer]=fuzz/dict/config.dict)
declare -A max_len=([request_fuzzer]=16384 [point_fuzzer]=97 [trusted_setup_fuzzer]=4096 [config_fuzzer]=4096 [table_cache_fuzzer]=8192
  [grpc_request_fuzzer]=16384 [cache_entry_fuzzer]=4096)
# Seconds added to a target's run for its start-up, which -max_total_time counts: request_fuzzer loads and
# validates the mainnet setup first (several seconds under the sanitizers).
declare -A startup=([request_fuzzer]=20)

# shellcheck disable=SC2086 # FUZZ_CMAKE_ARGS is a list of words
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DKZG_FUZZ=ON -DKZG_WERROR=ON \
  -DKZG_BUILD_TESTS=OFF -DKZG_BUILD_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" ${FUZZ_CMAKE_ARGS:-}
cmake --build "$build" --target kzg_fuzzers

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=()
for target in "${targets[@]}"; do
  findings="$build/findings/$target"
  work="$build/corpus-work/$target"  # new inputs go here; the committed corpus is only read
  rm -rf "$findings" "$work"
  mkdir -p "$findings" "$work"
  args=(-max_total_time="$((seconds + ${startup[$target]:-0}))" -seed="${FUZZ_SEED:-1}" -timeout=20 -rss_limit_mb=4096 -max_len="${max_len[$target]}"
        -print_final_stats=1 -artifact_prefix="$findings/")
  [[ -n "${dicts[$target]:-}" ]] && args+=(-dict="${dicts[$target]}")
  printf '\n--- fuzz: %s for %ss\n' "$target" "$seconds"
  log="$build/findings/$target.log"
  status=0
  "$build/fuzz/$target" "${args[@]}" "$work" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)|property violated' "$log" || true
  # crash-*, leak-*, timeout-*, oom-* are findings; slow-unit-* (an input over 10 s) is only reported.
  if ((status != 0)) || compgen -G "$findings/[!s]*" >/dev/null; then
    echo "fuzz: $target FAILED (exit $status); the input is in $findings/, the log in $log" >&2
    tail -n 40 "$log" >&2
    failed+=("$target")
  fi
done

if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s each without a finding"
