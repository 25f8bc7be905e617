#!/bin/sh
# Runs one fuzz target for a time budget with its seeds and dictionary.
#   fuzz/fuzz.sh TARGET [SECONDS]      (from the repository root or fuzz/)
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
mkdir -p "corpus/$target"
RUSTC_BOOTSTRAP=1 nice cargo fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
  -dict="$dict" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
