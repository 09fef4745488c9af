#!/usr/bin/env bash
# Runs what eng/portable-check/prepare.sh staged: the whole test suite once per SIMD tier this CPU has (the same
# plan and guards as eng/test-all-tiers.sh, read from its --plan), then the Gram and Cholesky benchmarks in-process.
# Logs go to /tmp/portable-check; where $OUT is set they are also packed into $OUT/portable-check.tar.gz (one file,
# for hosts that return few files). Usage: bash eng/portable-check/run.sh [--no-bench]
set -uo pipefail
cd "$(dirname "$0")/../.."
src=.portable-check
out=/tmp/portable-check; rm -rf "$out"; mkdir -p "$out"
rt=/tmp/portable-dotnet; mkdir -p "$rt"; tar -C "$rt" -xJf "$src/runtime.tar.xz"
tar -C "$src" -xJf "$src/payload.tar.xz"
export DOTNET_ROOT=$rt PATH=$rt:$PATH DOTNET_ROLL_FORWARD=Major DOTNET_CLI_TELEMETRY_OPTOUT=1
[[ -d $src/lib ]] && export LD_LIBRARY_PATH=$PWD/$src/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
{
  echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-) ($(nproc) CPUs)"
  grep -m1 -o 'avx512[a-z_]*' /proc/cpuinfo | sort -u | tr '\n' ' '; echo
} | tee "$out/machine.txt"

passed=0; failed=0
while read -r name _ expect knob; do
  [[ -z $name ]] && continue
  env_args=(RIDGE_EXPECT_TIER="$expect")
  [[ $knob != "(no"* ]] && env_args+=("$knob")
  log="$out/tests-$name.log"
  (cd "$src/tests" && env "${env_args[@]}" dotnet xunit.console.dll RidgeCore.Tests.dll -nocolor -xml "$out/tests-$name.xml") > "$log" 2>&1
  line=$(grep -E 'Total: [0-9]+' "$log" | tail -1)
  total=$(sed -E 's/.*Total: ([0-9]+).*/\1/' <<<"$line"); bad=$(sed -E 's/.*Failed: ([0-9]+).*/\1/' <<<"$line")
  total=${total:-0}; bad=${bad:-1}
  passed=$((passed + total - bad)); failed=$((failed + bad))
  echo "   $name (expect $expect, ${knob}): $line"
done < <(bash eng/test-all-tiers.sh --plan)
echo "$passed passed, $failed failed" | tee "$out/tests-summary.txt"

if [[ ${1:-} != --no-bench ]]; then
  # OpenBLAS 0.3.21 does not know newer Intel models (family 6 model 207) and falls back to its SSE3 "Prescott"
  # kernels there; name the AVX-512 (or AVX2) kernels it does have so the baseline is a fair one.
  if [[ -z ${OPENBLAS_CORETYPE:-} ]]; then
    if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
    elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
  fi
  echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}" | tee -a "$out/machine.txt"
  (cd "$src/bench" && OPENBLAS_NUM_THREADS=1 dotnet RidgeCore.Benchmarks.dll --filter '*GramBenchmarks*' '*CholeskyBenchmarks*' \
     --job short --inProcess --artifacts "$out/bench") > "$out/bench.log" 2>&1
  echo "bench exit $?"
  cat "$out"/bench/results/*-report-ridgecore.md 2>/dev/null || tail -40 "$out/bench.log"
fi
[[ -n ${OUT:-} ]] && tar -C "$out" -czf "$OUT/portable-check.tar.gz" .
exit 0
