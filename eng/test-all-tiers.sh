#!/usr/bin/env bash
# Runs the whole RidgeCore test suite once per SIMD tier this machine can run, and ends with one line:
#   N passed, N failed
# summed over every run. Exits non-zero if anything failed.
#
# Usage: bash eng/test-all-tiers.sh [--no-build] [--plan] [-- extra dotnet test arguments, e.g. --filter Dot]
#   --plan prints the tier runs this machine gets and exits (RIDGE_CPU_FLAGS="avx2 fma ..." replaces the CPU's flags).
#
# Why one process per tier: the runtime reads its instruction-set knobs (DOTNET_EnableAVX2=0 and friends) once, at
# start-up, so each tier needs its own test host. Why RIDGE_EXPECT_TIER: .NET silently ignores knobs it does not know
# (DOTNET_EnableFMA=0 does nothing in .NET 10), so every run states the tier it expects and TierGuardTests fails the
# run if the process ended up anywhere else. The expected tiers are derived from /proc/cpuinfo, independently of the
# library, so a bug in RidgeCore's own tier detection cannot make the guard agree with itself. A last, short run
# checks that the guard itself still bites: it sets an ignored knob and a wrong expectation, and must fail.
#
# Machines where the derived default tier is wrong (an unusual runtime configuration, say) can set RIDGE_DEFAULT_TIER.
set -uo pipefail
cd "$(dirname "$0")/.."

build=1
plan_only=0
test_args=()
while (($#)); do
  case "$1" in
    --no-build) build=0 ;;
    --plan) plan_only=1 ;;
    --) shift; test_args=("$@"); break ;;
    -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "test-all-tiers: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

# The library's specifications and the CLI's (the CLI tests run `ridge` in-process, so they too run on every tier).
projects=(tests/RidgeCore.Tests/RidgeCore.Tests.csproj tests/RidgeCore.Cli.Tests/RidgeCore.Cli.Tests.csproj)
logs=$(mktemp -d "${TMPDIR:-/tmp}/ridge-tiers.XXXXXX")
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ((build && !plan_only)); then
  echo "== build (Release)"
  for project in "${projects[@]}"; do
    if ! dotnet build "$project" -c Release -nologo -v quiet -clp:NoSummary; then
      echo "0 passed, 1 failed"
      exit 1
    fi
  done
fi

# ---- which tiers this machine has ------------------------------------------------------------------------------
flags=" ${RIDGE_CPU_FLAGS-$(grep -m1 -E '^(flags|Features)[[:space:]]*:' /proc/cpuinfo 2>/dev/null | cut -d: -f2)} "
if [[ -z "${flags// /}" && "$(uname -s)" == Darwin ]]; then   # macOS: same names, upper case, in sysctl
  flags=" $(sysctl -n machdep.cpu.features machdep.cpu.leaf7_features 2>/dev/null | tr '[:upper:]' '[:lower:]' | tr '\n' ' ') "
fi
has() { local f; for f in "$@"; do [[ "$flags" == *" $f "* ]] || return 1; done; }
vendor=$(grep -m1 '^vendor_id' /proc/cpuinfo 2>/dev/null | awk '{print $3}')
family=$(grep -m1 '^cpu family' /proc/cpuinfo 2>/dev/null | awk -F: '{gsub(/ /,"",$2); print $2}')
model=$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo 2>/dev/null | awk -F: '{gsub(/ /,"",$2); print $2}')

# Each run: "label|expected tier|environment (space-separated K=V)".
runs=()
case "$(uname -m)" in
  x86_64|amd64)
    # .NET 10 switches instruction sets in groups: AVX2 comes with FMA, BMI1/2, F16C, LZCNT and MOVBE (x86-64-v3),
    # AVX-512 as F+BW+CD+DQ+VL. Only the flags the tiers are named after are checked: some hypervisors hide others
    # from /proc/cpuinfo (a VM seen here lists no abm/lzcnt, yet the runtime enables AVX2 and FMA).
    v3=0; v4=0
    has avx2 fma && v3=1
    ((v3)) && has avx512f avx512bw avx512cd avx512dq avx512vl && v4=1
    if [[ -z "${flags// /}" ]]; then
      best=any   # CPU flags unreadable: no claim about the default tier; the knob runs below are still exact.
    elif ((v4)); then
      # Skylake-SP/Cascade Lake/Cooper Lake (Intel family 6 model 85) slow down on 512-bit code, and the runtime
      # keeps Vector512 off there unless asked.
      if [[ "$vendor" == GenuineIntel && "$family" == 6 && "$model" == 85 ]]; then
        best=v256
        runs+=("v512|v512|DOTNET_PreferredVectorBitWidth=512")
      else
        best=v512
        runs+=("v256|v256|DOTNET_EnableAVX512=0")
      fi
    elif ((v3)); then
      best=v256
    else
      best=v128
    fi
    best=${RIDGE_DEFAULT_TIER:-$best}
    runs=("default|$best|" "${runs[@]}")
    ((v3)) && runs+=("v128fma|v128fma|DOTNET_PreferredVectorBitWidth=128")
    [[ "$best" != v128 ]] && runs+=("v128|v128|DOTNET_EnableAVX2=0")
    ;;
  aarch64|arm64)
    best=${RIDGE_DEFAULT_TIER:-v128fma}   # AdvSimd with fused multiply-add is part of the Arm64 baseline.
    runs=("default|$best|")
    ;;
  *)
    best=${RIDGE_DEFAULT_TIER:-any}
    runs=("default|$best|")
    ;;
esac
runs+=("scalar|scalar|DOTNET_EnableHWIntrinsic=0")

if ((plan_only)); then
  for run in "${runs[@]}"; do
    IFS='|' read -r label expect envs <<<"$run"
    printf '%-8s expect %-8s %s\n' "$label" "$expect" "${envs:-(no knobs)}"
  done
  exit 0
fi

# Knobs a caller's environment could leak into the runs; every run starts from none of them.
clean=(-u RIDGECORE_KERNEL -u RIDGE_EXPECT_TIER)
for knob in EnableHWIntrinsic EnableSSE42 EnableAVX EnableAVX2 EnableAVX512 EnableAVX512v2 EnableAVX512v3 \
            EnableAVX10v1 EnableAVX10v2 EnableFMA PreferredVectorBitWidth MaxVectorTBitWidth; do
  clean+=(-u "DOTNET_$knob" -u "COMPlus_$knob")
done

total_passed=0
total_failed=0
started=$SECONDS

# run_tests LABEL EXPECT "ENV..." [dotnet test args...]: runs one test host per project in run_projects (default:
# all); sets last_passed/last_failed/last_rc (non-zero if any host failed).
run_projects=("${projects[@]}")
run_tests() {
  local label=$1 expect=$2 envs=$3; shift 3
  local log="$logs/$label.log" t0=$SECONDS project rc
  : >"$log"
  last_rc=0
  for project in "${run_projects[@]}"; do
    # shellcheck disable=SC2086 # envs is a space-separated K=V list on purpose
    env "${clean[@]}" $envs RIDGE_EXPECT_TIER="$expect" \
      dotnet test "$project" --no-build -c Release -nologo "$@" >>"$log" 2>&1
    rc=$?
    ((rc != 0)) && last_rc=$rc
  done
  last_passed=0; last_failed=0; last_skipped=0
  local line
  while read -r line; do
    [[ "$line" =~ Failed:[[:space:]]*([0-9]+),[[:space:]]*Passed:[[:space:]]*([0-9]+),[[:space:]]*Skipped:[[:space:]]*([0-9]+) ]] || continue
    last_failed=$((last_failed + BASH_REMATCH[1]))
    last_passed=$((last_passed + BASH_REMATCH[2]))
    last_skipped=$((last_skipped + BASH_REMATCH[3]))
  done < <(grep -E '(Passed|Failed)!' "$log")
  # A host that crashed or never started prints no totals: count the run itself as a failure.
  if ((last_rc != 0 && last_failed == 0)); then last_failed=1; fi
  last_seconds=$((SECONDS - t0))
}

echo "== test runs, one per tier (logs in $logs)"
for run in "${runs[@]}"; do
  IFS='|' read -r label expect envs <<<"$run"
  run_tests "$label" "$expect" "$envs" "${test_args[@]}"
  printf '   %-8s expect %-8s %-40s %4d passed, %d failed, %d skipped (%ds)\n' \
    "$label" "$expect" "${envs:-(no knobs)}" "$last_passed" "$last_failed" "$last_skipped" "$last_seconds"
  if ((last_failed)); then
    echo "---- $label: failures (full log: $logs/$label.log)"
    grep -v -E '^\s+at |^\s*$' "$logs/$label.log" | grep -A12 -E '^\s+Failed |error|Error' | head -80
    echo "----"
  fi
  total_passed=$((total_passed + last_passed))
  total_failed=$((total_failed + last_failed))
done

# The guard must be able to fail: an ignored knob (DOTNET_EnableFMA=0) with the tier it would give if it worked.
# Counted as one check: passed when the guard fails that run.
wrong=v128; [[ "$best" == v128 || "$best" == any ]] && wrong=scalar
run_projects=("${projects[0]}")
run_tests guard-check "$wrong" "DOTNET_EnableFMA=0" --filter "FullyQualifiedName~TierGuardTests"
if ((last_rc != 0 && last_passed == 0)) && grep -q "RIDGE_EXPECT_TIER=$wrong but" "$logs/guard-check.log"; then
  printf '   %-8s DOTNET_EnableFMA=0 with RIDGE_EXPECT_TIER=%s was caught by the guard, as it must be\n' guard "$wrong"
  total_passed=$((total_passed + 1))
else
  echo "   guard    DOTNET_EnableFMA=0 with RIDGE_EXPECT_TIER=$wrong was NOT caught: TierGuardTests no longer guards"
  cat "$logs/guard-check.log"
  total_failed=$((total_failed + 1))
fi

echo "== ${#runs[@]} tier runs + guard check in $((SECONDS - started)) s"
echo "$total_passed passed, $total_failed failed"
((total_failed == 0))
