#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to PublicAPI.Unshipped.txt.
# Review the diff: the file is the record of what the library promises.
set -euo pipefail
cd "$(dirname "$0")/../src/RidgeCore"
out=$(dotnet build --no-incremental 2>&1 || true)
file=PublicAPI.Unshipped.txt
{ cat "$file"; grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" <<<"$out" || true; } \
  | grep -v '^#nullable enable$' | sort -u > "$file.tmp"
{ echo '#nullable enable'; cat "$file.tmp"; } > "$file"; rm "$file.tmp"
dotnet build 2>&1 | grep -E " error |Warn|Error" | sort -u | head -20
