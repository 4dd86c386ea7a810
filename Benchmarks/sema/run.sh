#!/bin/sh
# Release build of ScnSemaBench, then a timed full check (lex, parse, sema, lowering) of a
# generated ~50k-line program. SCN_BENCH_SCENARIOS changes the size (default 1250 scenarios, about 50k lines).
set -eu
cd "$(dirname "$0")/../.."
swift build -c release --product ScnSemaBench
.build/release/ScnSemaBench
