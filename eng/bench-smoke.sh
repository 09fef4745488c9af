#!/usr/bin/env bash
# Smoke-runs every benchmark once (BenchmarkDotNet dry job, one iteration) and fails on any error.
# BenchmarkDotNet exits 0 even when a benchmark throws or its generated project fails to build, so the report is read.
# While the project has no [Benchmark] methods at all, "No [Benchmark] attribute found" is the expected outcome.
# Usage: bash eng/bench-smoke.sh [--no-build]
set -uo pipefail
cd "$(dirname "$0")/.."
build_flag=()
[[ "${1:-}" == --no-build ]] && build_flag=(--no-build)
log=$(mktemp "${TMPDIR:-/tmp}/ridge-bench.XXXXXX")
dotnet run -c Release "${build_flag[@]}" --project bench/RidgeCore.Benchmarks -- --filter '*' --job dry --iterationCount 1 >"$log" 2>&1
rc=$?
if grep -rqE '\[Benchmark[](]' bench --include='*.cs'; then
  ok=1
  [[ $rc == 0 ]] || ok=0
  grep -q '// \*\*\*\*\* BenchmarkRunner: End \*\*\*\*\*' "$log" || ok=0
  grep -qE 'Benchmarks with issues|has exited with code [1-9]|// Build Error|Build Exception|Unhandled exception|No \[Benchmark\] attribute found' "$log" && ok=0
  grep -E 'executed benchmarks|Global total time' "$log" | sed 's/^/   | /'
  if ((ok)); then
    echo "benchmarks ran without errors (log: $log)"
    exit 0
  fi
  echo "benchmark smoke FAILED (exit code $rc); end of the log ($log):"
  grep -v -E '^\s*$' "$log" | tail -60 | sed 's/^/   | /'
  exit 1
fi

if [[ $rc == 0 ]] && grep -q 'No \[Benchmark\] attribute found' "$log"; then
  echo "benchmark project builds and starts; it has no benchmarks yet"
  exit 0
fi
echo "benchmark smoke FAILED (exit code $rc); end of the log ($log):"
tail -20 "$log" | sed 's/^/   | /'
exit 1
