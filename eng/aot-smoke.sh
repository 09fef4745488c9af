#!/usr/bin/env bash
# Native AOT smoke test: publishes eng/aot-smoke (the library's main paths checked against NIST Longley) with
# PublishAot, twice: for x86-64-v3 (AVX2 + FMA: what AOT users should ask for) and for the default target
# (x86-64-v2: no AVX2, no FMA; the library then runs its 128-bit family), and runs both. Needs a C toolchain (gcc or
# clang) as Native AOT does; the ILCompiler package is restored by the SDK itself.
# Usage: bash eng/aot-smoke.sh [--fast]   (--fast: only the x86-64-v3 build)
set -uo pipefail
cd "$(dirname "$0")/.."
rid=linux-x64
case "$(uname -m)" in aarch64|arm64) rid=linux-arm64 ;; esac
[[ "$(uname -s)" == Darwin ]] && rid=osx-$([[ "$(uname -m)" == arm64 ]] && echo arm64 || echo x64)
out=$(mktemp -d "${TMPDIR:-/tmp}/ridge-aot.XXXXXX")
variants=("x86-64-v3" "default")
[[ "$rid" != *x64 ]] && variants=("default")
[[ "${1:-}" == --fast ]] && variants=("${variants[0]}")
status=0
for v in "${variants[@]}"; do
  args=(-c Release -r "$rid" -o "$out/$v" -nologo -v quiet -p:PublishAot=true)
  [[ "$v" != default ]] && args+=("-p:IlcInstructionSet=$v")
  t0=$SECONDS
  if ! dotnet publish eng/aot-smoke/AotSmoke.csproj "${args[@]}" >"$out/$v.log" 2>&1; then
    echo "AOT publish ($v) FAILED:"; tail -30 "$out/$v.log"; status=1; continue
  fi
  echo "== AOT ($v): published in $((SECONDS - t0)) s, $(du -h "$out/$v/AotSmoke" | cut -f1) native executable"
  "$out/$v/AotSmoke" | sed 's/^/   /'
  rc=${PIPESTATUS[0]}
  ((rc == 0)) || status=1
done
exit $status
