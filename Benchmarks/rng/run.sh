#!/usr/bin/env bash
# Release build of the RNG benchmark, then draws/s for the sampler's hot paths.
# Usage: Benchmarks/rng/run.sh [draws per benchmark, default 20000000]
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product ScnRngBench >&2
"$(swift build -c release --show-bin-path)/ScnRngBench" "${1:-20000000}"
