#!/usr/bin/env bash
# Vendoring check: copies src/RidgeCore's C# sources (nothing else: no csproj, no obj/, no generated files) into a
# fresh project in a temporary directory, next to eng/aot-smoke/Program.cs, builds that project with default SDK
# settings (implicit usings on, no analyzers, no package references) and runs it. This is what a user does who drops
# the library's source into their own tree instead of taking the package; see the README ("Vendoring").
# Usage: bash eng/vendor-check.sh
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/ridge-vendor.XXXXXX")
mkdir -p "$dir/ThirdParty/RidgeCore"
# Only tracked .cs files: what a fresh clone has.
git ls-files 'src/RidgeCore/*.cs' | while read -r f; do
  mkdir -p "$dir/ThirdParty/RidgeCore/$(dirname "${f#src/RidgeCore/}")"
  cp "$f" "$dir/ThirdParty/RidgeCore/${f#src/RidgeCore/}"
done
cp eng/aot-smoke/Program.cs "$dir/Program.cs"
cat >"$dir/VendorApp.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <!-- RidgeCore's kernels use pointers in a few places. -->
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
  </PropertyGroup>
</Project>
XML
# Keep the repository's Directory.Build.props and Directory.Packages.props out of the way: the check is standalone.
echo '<Project />' >"$dir/Directory.Build.props"
echo '<Project />' >"$dir/Directory.Packages.props"
files=$(find "$dir/ThirdParty" -name '*.cs' | wc -l)
t0=$SECONDS
if ! dotnet build "$dir/VendorApp.csproj" -c Release -nologo -v quiet -clp:NoSummary >"$dir/build.log" 2>&1; then
  echo "vendor check FAILED: the library's $files source files do not compile inside another project:"
  grep -E "error" "$dir/build.log" | sort -u | head -20
  exit 1
fi
echo "== vendored build: $files source files of src/RidgeCore compiled into $dir/VendorApp.csproj in $((SECONDS - t0)) s"
dotnet "$dir/bin/Release/net10.0/VendorApp.dll" | sed 's/^/   /'
exit "${PIPESTATUS[0]}"
