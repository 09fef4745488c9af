#!/usr/bin/env bash
# Stages everything needed to run RidgeCore's test suite (every tier) and the Gram/Cholesky benchmarks on an x86-64
# Linux machine that has no .NET SDK and no network: the .NET runtime of this machine, the Release test assembly with
# the xUnit console runner, the Release benchmark build (run in-process there, since BenchmarkDotNet cannot build
# its usual child projects without an SDK), and, where installed, OpenBLAS with its Fortran run-time libraries.
# Output: .portable-check/ (git-ignored): runtime.tar.xz and payload.tar.xz, about 42 MB. Then copy that folder and eng/portable-check/run.sh across and
# run `bash eng/portable-check/run.sh` from the repository root there.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.portable-check
rm -rf "$out"; mkdir -p "$out"
grep -qx '/.portable-check/' .git/info/exclude 2>/dev/null || echo '/.portable-check/' >> .git/info/exclude

dotnet build -c Release tests/RidgeCore.Tests -v q -nologo
dotnet build -c Release bench/RidgeCore.Benchmarks -v q -nologo

root=$(dirname "$(readlink -f "$(command -v dotnet)")")
fx=$(ls -d "$root"/shared/Microsoft.NETCore.App/10.* | sort -V | tail -1)
tar -C "$root" -cJf "$out/runtime.tar.xz" dotnet host "shared/Microsoft.NETCore.App/$(basename "$fx")"

# The console runner (xunit.runner.console 2.4.1, netcoreapp2.0 build) drives xUnit v2 test assemblies on any later
# runtime with DOTNET_ROLL_FORWARD=Major; it is copied next to the tests so that AppContext.BaseDirectory (where the
# tests find their data files) stays the test folder.
runner=$(ls -d ~/.nuget/packages/xunit.runner.console/2.4.1/tools/netcoreapp2.0 2>/dev/null || true)
if [[ -z "$runner" ]]; then
  tmp=$(mktemp -d)
  printf '%s\n' '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework>' \
    '<ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>' \
    '<ItemGroup><PackageDownload Include="xunit.runner.console" Version="[2.4.1]" /></ItemGroup></Project>' > "$tmp/r.csproj"
  dotnet restore "$tmp/r.csproj" -v q >/dev/null
  runner=~/.nuget/packages/xunit.runner.console/2.4.1/tools/netcoreapp2.0
fi
mkdir -p "$out/tests"
cp -r tests/RidgeCore.Tests/bin/Release/net10.0/. "$out/tests/"
cp "$runner"/xunit.console.dll "$runner"/xunit.runner.*.dll "$runner"/xunit.console.runtimeconfig.json "$runner"/xunit.console.deps.json "$out/tests/"
mkdir -p "$out/bench"
cp -r bench/RidgeCore.Benchmarks/bin/Release/net10.0/. "$out/bench/"

blas=/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0
if [[ -f $blas ]]; then
  mkdir -p "$out/lib"
  cp -L "$blas" "$out/lib/"
  for dep in $(ldd "$blas" | awk '/gfortran|quadmath/ {print $3}'); do cp -L "$dep" "$out/lib/"; done
fi
# Everything but the runtime travels as one archive (OpenBLAS alone is 36 MB uncompressed).
tar -C "$out" -cJf "$out/payload.tar.xz" tests bench $( [[ -d $out/lib ]] && echo lib )
rm -rf "$out/tests" "$out/bench" "$out/lib"
du -sh "$out"
