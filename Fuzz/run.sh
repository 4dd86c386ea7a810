#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer + AddressSanitizer and runs each for a while.
# Usage: Fuzz/run.sh [seconds in all]   (default 120, shared by the targets; CI runs a short smoke)
# Crashing inputs are written to Fuzz/Artifacts/ and make the script fail.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-120}"
targets=(FuzzParse FuzzCheckSample)
# The front end is cheap per input; checking and sampling (with the StdLib) is not, so it
# gets the larger share of the time.
parse_seconds=$(( seconds / 3 > 1 ? seconds / 3 : 1 ))
check_seconds=$(( seconds - parse_seconds > 1 ? seconds - parse_seconds : 1 ))
swift build --scratch-path .build-fuzz -c debug \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >.build-fuzz.log 2>&1 \
  || { grep -E "error" .build-fuzz.log | head -20; exit 1; }
bin=$(swift build --scratch-path .build-fuzz -c debug --show-bin-path)
mkdir -p Artifacts
for target in "${targets[@]}"; do
  corpus="Corpus/$(echo "${target#Fuzz}" | tr '[:upper:]' '[:lower:]')"
  # FuzzCheckSample runs without leak detection: the checker's lazily initialised static
  # types (indirect enum payloads behind spare-bit pointers) look unreachable to LeakSanitizer.
  if [ "$target" = FuzzParse ]; then t=$parse_seconds; leaks=1; else t=$check_seconds; leaks=0; fi
  work=$(mktemp -d)
  cp -r "$corpus"/. "$work"/ 2>/dev/null || true
  # Seed with every scenario the repository ships.
  find ../Examples ../StdLib ../Tests -name '*.scn' -exec cp {} "$work"/ \; 2>/dev/null || true
  echo "fuzz: $target for ${t}s ($(ls "$work" | wc -l) seeds)"
  ASAN_OPTIONS="detect_leaks=$leaks" SWIFT_BACKTRACE=enable=no "$bin/$target" "$work" -max_total_time="$t" -max_len=4096 -timeout=10 -rss_limit_mb=4096 -detect_leaks="$leaks" \
    -artifact_prefix=Artifacts/ -print_final_stats=1 2>&1 | tail -n 12
  rm -rf "$work"
done

# Any crash, leak or timeout input left behind fails the run.
if compgen -G "Artifacts/*" >/dev/null; then
  echo "fuzz: failures found:" >&2
  ls -l Artifacts >&2
  exit 1
fi
