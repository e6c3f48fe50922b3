#!/bin/sh
# Runs one libFuzzer target (built by `make fuzz`) for SECONDS and prints
# its executions, coverage and any input that broke it.
# Usage: scripts/fuzz.sh TARGET SECONDS [EXTRA_SEED_DIR...]
set -eu
target=$1
seconds=$2
shift 2
bin=build-fuzz/fuzz_$target
work=build-fuzz/corpus/$target
saved=tests/fuzz/regress/$target
mkdir -p "$work" "$saved"
before=$(ls "$saved" | wc -l)
log=build-fuzz/fuzz_$target.log
echo "== fuzz_$target for $seconds s (log: $log)"
# The first directory receives the new inputs; the others are read-only
# seeds.  -timeout: an input that takes over 10 s is a hang.
status=0
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$saved/" \
  "$work" "tests/fuzz/corpus/$target" "$@" >"$log" 2>&1 || status=$?
grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)|^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" || true
tail -n 1 "$log" | grep -q 'Done' || true
after=$(ls "$saved" | wc -l)
if [ "$status" -ne 0 ] || [ "$after" -ne "$before" ]; then
  echo "fuzz_$target: found a failing input (exit $status); saved in $saved:" >&2
  grep -E 'ERROR|invariant|SUMMARY' "$log" | head -5 >&2 || true
  ls -t "$saved" | head -3 >&2
  exit 1
fi
echo "fuzz_$target: no failure; corpus $(ls "$work" | wc -l) inputs"
