#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with real Dockerfiles from shared/ (not committed: the corpus
# directories are gitignored). Safe to run again: files are named by content hash.
set -euo pipefail
cd "$(dirname "$0")"
shared="${DOCKERFILE_LS_SHARED:-$(cd ../.. && pwd)/shared}"
if [ ! -d "$shared/conformance/buildkit" ]; then
  echo "error: shared test data not found at $shared (set DOCKERFILE_LS_SHARED)" >&2
  exit 1
fi
seeds=()
while IFS= read -r -d '' f; do seeds+=("$f"); done < <(
  find "$shared/conformance/buildkit" -type f -name Dockerfile -print0
  # A handful of real files: heredocs, long continued RUNs, Windows escapes, many stages.
  find "$shared/corpus" -type f \( -path '*moby+buildkit/Dockerfile' \
    -o -path '*python/3.12__trixie__Dockerfile' -o -path '*python/3.12__alpine*' \
    -o -path '*windowsservercore-ltsc2022*' -o -path '*moby+buildkit/hack__dockerfiles__*' \) -print0
)
for target in parse_model incremental_edits; do
  mkdir -p "corpus/$target"
  for f in "${seeds[@]}"; do
    cp "$f" "corpus/$target/$(sha1sum "$f" | cut -c1-16)"
  done
done
# Small hand-written texts dense in scanner state: directive headers (one, two, invalid),
# heredocs after continuations and in ONBUILD, backtick continuations, exec form across lines.
synthetic=(
  $'# escape=`\n# escape=`\nRUN cat <<EOF \\\nx\nEOF\nRUN a `\n  b\n'
  $'# escape=x\n# syntax=docker/dockerfile:1\nFROM a\nRUN <<A <<-B cat\na\nA\n\tb\n\tB\n'
  $'FROM a AS b\nONBUILD RUN <<EOF\nx\nEOF\nCMD ["a", \\\n  "b"]\nENV A="x \\\n y" B=\'z\'\n'
)
for target in parse_model incremental_edits; do
  for text in "${synthetic[@]}"; do
    printf '%s' "$text" > "corpus/$target/synthetic-$(printf '%s' "$text" | sha1sum | cut -c1-12)"
  done
done
echo "seeded ${#seeds[@]} files and ${#synthetic[@]} synthetic texts per target"
