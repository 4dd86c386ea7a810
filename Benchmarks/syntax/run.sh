#!/usr/bin/env bash
# Builds the syntax benchmark in release, generates a 50k+-line program and times lex+parse.
# Usage: Benchmarks/syntax/run.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/../.."
lines="${1:-50000}"
swift build -c release --product ScnSyntaxBench >&2
bin="$(swift build -c release --show-bin-path)/ScnSyntaxBench"
input="$(mktemp -t scn-bench-XXXXXX.scn)"
trap 'rm -f "$input"' EXIT
"$bin" generate "$lines" > "$input"
"$bin" time "$input"
