#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer + AddressSanitizer and runs each for a while.
# Usage: Fuzz/run.sh [seconds in all]   (default 120, shared by the targets; CI runs a short smoke)
# Crashing inputs are written to Fuzz/Artifacts/ and make the script fail.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-120}"
targets=(FuzzParse FuzzInputs FuzzCheckSample)
# The front end and the input-file readers are cheap per input; checking and sampling (with
# the StdLib) is not, so it gets half of the time.
parse_seconds=$(( seconds / 4 > 1 ? seconds / 4 : 1 ))
inputs_seconds=$parse_seconds
check_seconds=$(( seconds - parse_seconds - inputs_seconds > 1 ? seconds - parse_seconds - inputs_seconds : 1 ))
swift build --scratch-path .build-fuzz -c debug \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >.build-fuzz.log 2>&1 \
  || { grep -E "error" .build-fuzz.log | head -20; exit 1; }
bin=$(swift build --scratch-path .build-fuzz -c debug --show-bin-path)
mkdir -p Artifacts
for target in "${targets[@]}"; do
  corpus="Corpus/$(echo "${target#Fuzz}" | tr '[:upper:]' '[:lower:]')"
  # FuzzCheckSample runs without leak detection: the checker's lazily initialised static
  # types (indirect enum payloads behind spare-bit pointers) look unreachable to LeakSanitizer.
  max_len=4096
  per_input=10
  case "$target" in
    FuzzParse) t=$parse_seconds; leaks=1 ;;
    # A map whose lanes run tens of kilometres off their road is bounded work (LaneIndex's
    # cell limits), but its grids hold millions of cells, slow to fill under AddressSanitizer
    # (its nearest-lane lists, once minutes of it, are now built per tile when queried).
    FuzzInputs) t=$inputs_seconds; leaks=0; max_len=65536; per_input=300 ;;
    *) t=$check_seconds; leaks=0 ;;
  esac
  work=$(mktemp -d)
  cp -r "$corpus"/. "$work"/ 2>/dev/null || true
  if [ "$target" = FuzzInputs ]; then
    # Seed with the repository's small maps and data files, behind the byte that picks the
    # reader (even: OpenDRIVE, 1 modulo 8: CSV, 5 modulo 8: image).
    n=0
    while IFS= read -r f; do n=$((n + 1)); { printf '\000'; cat "$f"; } >"$work/map-$n"; done \
      < <(find ../Tests ../Examples -name '*.xodr' -size -64k)
    while IFS= read -r f; do n=$((n + 1)); { printf '\001'; cat "$f"; } >"$work/csv-$n"; done \
      < <(find ../Tests ../Examples -name '*.csv' -size -64k)
    # Texture images (byte 5: PNG or JPEG decoding).
    while IFS= read -r f; do n=$((n + 1)); { printf '\005'; cat "$f"; } >"$work/image-$n"; done \
      < <(find ../Tests/Fixtures/gltf \( -name '*.png' -o -name '*.jpg' \) -size -64k)
  else
    # Seed with every scenario the repository ships.
    find ../Examples ../StdLib ../Tests -name '*.scn' -exec cp {} "$work"/ \; 2>/dev/null || true
  fi
  echo "fuzz: $target for ${t}s ($(ls "$work" | wc -l) seeds)"
  ASAN_OPTIONS="detect_leaks=$leaks" SWIFT_BACKTRACE=enable=no "$bin/$target" "$work" -max_total_time="$t" -max_len="$max_len" -timeout="$per_input" -report_slow_units="$per_input" -rss_limit_mb=4096 -detect_leaks="$leaks" \
    -artifact_prefix=Artifacts/ -print_final_stats=1 2>&1 | tail -n 12
  rm -rf "$work"
done

# Any crash, leak, timeout or slow input left behind fails the run. A slow unit is reported
# at the target's own per-input time limit (libFuzzer's default, 10 s, would flag inputs of
# FuzzInputs that its 300 s limit allows).
if compgen -G "Artifacts/*" >/dev/null; then
  echo "fuzz: failures found:" >&2
  ls -l Artifacts >&2
  exit 1
fi
