#!/usr/bin/env bash
# `dockerfile-ls fmt --check` over the whole corpus beside dockerfmt (npm @reteps/dockerfmt:
# dockerfmt built to WebAssembly, run by node) on the same files, each run as one process over
# all of them, median of 5 runs (after a warm-up) with hyperfine; then how many files each
# would change.
#
#   npm install --prefix /tmp/dockerfmt @reteps/dockerfmt
#   DOCKERFMT=/tmp/dockerfmt/node_modules/.bin/dockerfmt benches/fmt_corpus.sh
#   RUNS=10 benches/fmt_corpus.sh
#
# Both are told to check only (nothing is written); exit codes are ignored, since both exit
# non-zero when a file would change. Needs hyperfine (Debian) and node.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
SHARED="${DOCKERFILE_LS_SHARED:-$(cd .. && pwd)/shared}"
if [ ! -d "$SHARED/corpus" ]; then
  echo "error: corpus not found at $SHARED/corpus (set DOCKERFILE_LS_SHARED)" >&2
  exit 1
fi
command -v hyperfine >/dev/null || { echo "error: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }
DOCKERFMT="${DOCKERFMT:-$(command -v dockerfmt || true)}"
if [ -z "$DOCKERFMT" ] || ! "$DOCKERFMT" version >/dev/null 2>&1; then
  echo "error: dockerfmt not found (npm install @reteps/dockerfmt, then set DOCKERFMT)" >&2
  exit 1
fi

cargo build --release --locked --quiet
BIN="$PWD/target/release/dockerfile-ls"

list="$(mktemp)"
out="$(mktemp -d)"
trap 'rm -rf "$list" "$out"' EXIT
find "$SHARED/corpus" -type f ! -name README.md | sort >"$list"
count="$(wc -l <"$list")"
echo "corpus: $count files; $(nproc) cores; dockerfmt $("$DOCKERFMT" version 2>&1 | head -1); hyperfine --runs $RUNS"

hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$out/results.json" \
  --command-name "dockerfile-ls fmt --check" "xargs -a $list $BIN fmt --check" \
  --command-name "dockerfmt --check" "xargs -a $list $DOCKERFMT --check"

python3 - "$out/results.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ours = results["dockerfile-ls fmt --check"]["median"]
theirs = results["dockerfmt --check"]["median"]
print(f"median: dockerfile-ls fmt --check {ours * 1000:.1f} ms, dockerfmt --check {theirs * 1000:.1f} ms: "
      f"{theirs / ours:.1f}x faster")
PY

ours_changed="$(xargs -a "$list" "$BIN" fmt --check 2>/dev/null | grep -c '^would reformat ' || true)"
echo "dockerfile-ls fmt would change $ours_changed of $count files"
theirs_changed="$(xargs -a "$list" "$DOCKERFMT" --check 2>&1 | grep -c ' is not formatted$' || true)"
echo "dockerfmt would change $theirs_changed of $count files"
