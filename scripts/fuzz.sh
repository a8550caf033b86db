#!/usr/bin/env bash
# Runs each fuzz target in fuzz/ with libFuzzer (cargo-fuzz) for a bounded time and prints
# its executions and crashes. Not part of CI. Usage: scripts/fuzz.sh [seconds per target, 60]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
SECONDS_EACH=${1:-60}
CARGO_FUZZ_VERSION=0.13.1

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "[fuzz] installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi
# cargo-fuzz passes nightly-only flags (-Zsanitizer, -Cpasses=sancov-module); the machine's one
# toolchain is stable, which accepts them when told it is bootstrapping.
export RUSTC_BOOTSTRAP=1
# Rust code is memory-safe here; what the targets look for are panics and broken invariants,
# so the sanitizer is left off (builds twice as fast, runs several times faster).
build_flags=(--sanitizer none --release --debug-assertions)

report=target/fuzz-report.txt
: > "$report"
for target in $(cargo fuzz list); do
  corpus="target/fuzz-corpus/$target"
  mkdir -p "$corpus"
  cp -n fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
  log="target/fuzz-$target.log"
  status=0
  cargo fuzz run "${build_flags[@]}" "$target" "$corpus" -- \
    -max_total_time="$SECONDS_EACH" -print_final_stats=1 -max_len=8192 > "$log" 2>&1 || status=$?
  runs=$(awk '$1 == "stat::number_of_executed_units:" {print $2}' "$log" | tail -1)
  crashes=$(ls fuzz/artifacts/"$target" 2>/dev/null | wc -l)
  line="$target: ${runs:-?} executions in ${SECONDS_EACH} s, $crashes crash(es), exit $status"
  echo "$line" | tee -a "$report"
  [ "$status" = 0 ] || tail -30 "$log"
done
echo "[fuzz] report in $report; logs in target/fuzz-*.log"
