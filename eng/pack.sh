#!/usr/bin/env bash
# Packs RidgeCore (the library) and RidgeCore.Cli (the `ridge` .NET tool) into artifacts/packages (or $1), with
# package validation, and checks what the packages promise: the library has no dependency, carries the README, the
# XML docs and a SourceLink-enabled symbol package (.snupkg); the tool package declares the command `ridge`.
# Usage: bash eng/pack.sh [OUTPUT_DIR]
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/packages}
mkdir -p "$out"
rm -f "$out"/RidgeCore.*nupkg "$out"/RidgeCore.Cli.*nupkg
for project in src/RidgeCore/RidgeCore.csproj src/RidgeCore.Cli/RidgeCore.Cli.csproj; do
  if ! dotnet pack "$project" -c Release -o "$out" -nologo -v quiet -clp:NoSummary; then
    echo "pack FAILED: $project"; exit 1
  fi
done
lib=$(ls "$out"/RidgeCore.[0-9]*.nupkg 2>/dev/null | head -1)
sym=$(ls "$out"/RidgeCore.[0-9]*.snupkg 2>/dev/null | head -1)
tool=$(ls "$out"/RidgeCore.Cli.[0-9]*.nupkg 2>/dev/null | head -1)
ok=1
fail() { echo "   FAILED: $1"; ok=0; }
[[ -n "$lib" ]] || fail "no RidgeCore .nupkg"
[[ -n "$sym" ]] || fail "no RidgeCore .snupkg (symbols)"
[[ -n "$tool" ]] || fail "no RidgeCore.Cli .nupkg (the ridge tool)"
list() { if command -v unzip >/dev/null; then unzip -Z1 "$1"; else python3 -c 'import sys,zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"; fi; }
show() { if command -v unzip >/dev/null; then unzip -p "$1" "$2"; else python3 -c 'import sys,zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$1" "$2"; fi; }
if [[ -n "$lib" ]]; then
  files=$(list "$lib")
  nuspec=$(show "$lib" RidgeCore.nuspec)
  grep -qx 'README.md' <<<"$files" || fail "RidgeCore package has no README.md"
  grep -q 'lib/net10.0/RidgeCore.dll' <<<"$files" || fail "RidgeCore package has no lib/net10.0/RidgeCore.dll"
  grep -q 'lib/net10.0/RidgeCore.xml' <<<"$files" || fail "RidgeCore package has no XML documentation"
  grep -q '<dependency ' <<<"$nuspec" && fail "RidgeCore package has dependencies: $(grep -o '<dependency [^>]*>' <<<"$nuspec" | tr '\n' ' ')"
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || fail "RidgeCore nuspec does not name its readme"
  echo "   $(basename "$lib"): $(grep -c . <<<"$files") files, no dependencies, README, XML docs$(grep -q '<repository' <<<"$nuspec" && echo ', repository/commit recorded')"
fi
if [[ -n "$sym" ]]; then
  # The listing goes into a variable first: under pipefail, `list | grep -q` fails whenever grep exits on its match
  # before unzip has written the rest (SIGPIPE, exit 141), about once in 200 runs.
  symfiles=$(list "$sym")
  grep -q 'RidgeCore.pdb' <<<"$symfiles" || fail "symbol package has no RidgeCore.pdb"
  echo "   $(basename "$sym"): portable PDB (SourceLink: the SDK embeds source URLs when the repository has a known remote)"
fi
if [[ -n "$tool" ]]; then
  toolfiles=$(list "$tool")
  settings=$(show "$tool" "$(grep -m1 DotnetToolSettings.xml <<<"$toolfiles")")
  grep -q 'Command Name="ridge"' <<<"$settings" || fail "tool package does not declare the command 'ridge'"
  echo "   $(basename "$tool"): .NET tool, command 'ridge'"
fi
((ok)) && echo "pack: packages in $out"
((ok))
