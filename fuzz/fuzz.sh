#!/bin/sh
# Runs one fuzz target for a time budget, or for a number of executions,
# with its seeds and dictionary, at the lowest priority.
#   fuzz/fuzz.sh TARGET [SECONDS]              (from the repository root or fuzz/)
#   WF_FUZZ_RUNS=1000000 fuzz/fuzz.sh TARGET   (stop after that many executions)
# The working corpus grows in fuzz/corpus/TARGET (not committed); crashes
# land in fuzz/artifacts/TARGET/.
set -eu
cd "$(dirname "$0")"
target=$1
secs=${2:-270}
case $target in
  parse|fmt|check) dict=dict/wf.dict ;;
  *) dict=dict/json.dict ;;
esac
if [ -n "${WF_FUZZ_RUNS:-}" ]; then
  budget="-runs=$WF_FUZZ_RUNS"
else
  budget="-max_total_time=$secs"
fi
mkdir -p "corpus/$target"
RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
  -dict="$dict" "$budget" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
