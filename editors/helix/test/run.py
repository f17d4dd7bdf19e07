#!/usr/bin/env python3
"""Helix, for real: `hx` in tmux against dockerfile-ls, configured as a user would.

    python3 editors/helix/test/run.py            # the test: exits 0 when every check passes
    python3 editors/helix/test/run.py --control  # the same with a bogus server (a program that
                                                 # never answers); exits 0 when the test FAILS

The user's set-up, nothing more: `editors/helix/languages.toml` copied unchanged into an
isolated `$XDG_CONFIG_HOME/helix/`, and `dockerfile-ls` on `PATH`. Helix runs in a tmux pane
(`hx -v`, its log in `$XDG_CACHE_HOME/helix/helix.log`); the checks type keys and read the
screen, and read the log only for what the screen cannot show (which messages went by).

Environment: DOCKERFILE_LS_BIN (default target/debug/dockerfile-ls), HX (an `hx` to use, with
HELIX_RUNTIME set; default: the Helix 25.07.1 build in $DOCKERFILE_LS_SHARED/tools/helix,
unpacked into a temporary folder), DOCKERFILE_LS_TEST_TIMEOUT_MS (per wait; default 15000,
3000 for the control).

Adding a check: write a function that takes the `Helix` session and returns `(ok, detail)`,
and list it in CHECKS with whether it needs our server.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SNIPPET = os.path.join(HERE, "..", "languages.toml")
ARCHIVE = "tools/helix/helix-25.07.1-x86_64-linux-nogrammars.tar.gz"

CONTROL = "--control" in sys.argv[1:]
TIMEOUT = int(os.environ.get("DOCKERFILE_LS_TEST_TIMEOUT_MS", "3000" if CONTROL else "15000")) / 1000
LABEL = "helix control" if CONTROL else "helix"

DOCKERFILE = [
    "FROM alpine:3.20",
    "RUNN echo hello",  # line 2: unknown instruction, quick fix RUNN -> RUN
    "RUN echo world",  # line 3: hover on RUN
    "",  # line 4: completion
    'CMD ["sh"]',
    "FROM alpine:3.20 AS base",  # line 6: a stage in the symbol picker, renamed
    "FROM base",  # line 7: go to definition of `base`
    "run   echo   one &&\\",  # lines 8-9: formatted on save
    "        echo   two",
    "",
]
# What saving (`:w`, with the snippet's auto-format) must leave on disk for lines 8-9: Helix
# indents Dockerfiles by 2 spaces (its `indent` for the language), and the server takes the
# editor's tabSize when `format.indentWidth` is not set.
FORMATTED_RUN = "RUN echo one \\\n  && echo two\n"


def die(message):
    print(f"{LABEL}: {message}", file=sys.stderr)
    sys.exit(2)


def shared_dir():
    path = os.environ.get("DOCKERFILE_LS_SHARED") or os.path.join(REPO, "..", "shared")
    return os.path.abspath(path)


def find_hx(tmp):
    """The `hx` binary and its runtime folder: $HX, else the build in the shared data."""
    if os.environ.get("HX"):
        return os.environ["HX"], os.environ.get("HELIX_RUNTIME", "")
    archive = os.path.join(shared_dir(), ARCHIVE)
    if not os.path.isfile(archive):
        die(f"no Helix build at {archive} (the shared test data: see README.md#test-data)")
    dest = os.path.join(tmp, "helix")
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    return os.path.join(dest, "hx"), os.path.join(dest, "runtime")


class Helix:
    """One Helix in a tmux pane on a private tmux server, with an isolated configuration."""

    def __init__(self, tmp, hx, runtime, server):
        self.tmp = tmp
        self.hx = hx
        self.server = server
        self.socket = os.path.join(tmp, "tmux.sock")
        self.workspace = os.path.join(tmp, "workspace")
        self.config_dir = os.path.join(tmp, "config", "helix")
        self.log_file = os.path.join(tmp, "cache", "helix", "helix.log")
        bin_dir = os.path.join(tmp, "bin")
        for d in (self.workspace, self.config_dir, bin_dir, os.path.dirname(self.log_file)):
            os.makedirs(d, exist_ok=True)
        # The user's way: dockerfile-ls on PATH, the snippet as the user's languages.toml.
        os.symlink(server, os.path.join(bin_dir, "dockerfile-ls"))
        shutil.copyfile(SNIPPET, os.path.join(self.config_dir, "languages.toml"))
        with open(os.path.join(self.workspace, "Dockerfile"), "w", encoding="utf-8") as f:
            f.write("\n".join(DOCKERFILE))
        self.env = {
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
            "HOME": tmp,
            "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
            "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
            "XDG_DATA_HOME": os.path.join(tmp, "data"),
            "XDG_STATE_HOME": os.path.join(tmp, "state"),
            "TERM": "xterm-256color",
            # No registry is reachable from a test: a closed loopback port and a private cache.
            "DOCKERFILE_LS_DOCKERHUB_API": "http://127.0.0.1:9",
            "DOCKERFILE_LS_REGISTRY_ENDPOINTS": json.dumps({"docker.io": "http://127.0.0.1:9"}),
            "DOCKERFILE_LS_CACHE_DIR": os.path.join(tmp, "registry-cache"),
        }
        for name in ("DOCKERFILE_LS_LOG", "RUST_LOG"):
            self.env.pop(name, None)  # the server's own default log level is under test
        if runtime:
            self.env["HELIX_RUNTIME"] = runtime

    def run(self, *args, **kwargs):
        return subprocess.run(args, env=self.env, cwd=self.workspace, capture_output=True, text=True, **kwargs)

    def tmux(self, *args):
        return self.run("tmux", "-S", self.socket, *args)

    def start(self):
        command = f"exec {self.hx} -v Dockerfile 2>{os.path.join(self.tmp, 'hx.stderr')}"
        r = self.tmux("new-session", "-d", "-x", "120", "-y", "30", "-s", "hx", command)
        if r.returncode != 0:
            die(f"tmux could not start Helix: {r.stderr.strip()}")

    def stop(self):
        self.tmux("kill-server")

    def keys(self, *keys):
        """tmux key names (`Space`, `Escape`, `C-x`, `Enter`) or literal text."""
        for key in keys:
            if re.fullmatch(r"[A-Z][a-z]+|C-.|M-.|F\d+|BSpace", key):
                self.tmux("send-keys", "-t", "hx", key)
            else:
                self.tmux("send-keys", "-t", "hx", "-l", key)
            time.sleep(0.05)

    def command(self, text):
        """A typed command, `:lsp-restart` for instance."""
        self.keys("Escape", ":", text, "Enter")

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "hx").stdout

    def lines(self):
        """Buffer line number -> (gutter, text) as shown on screen."""
        shown = {}
        for row in self.screen().splitlines():
            m = re.match(r"^(.)\s+(\d+)  (.*)$", row)
            if m:
                shown.setdefault(int(m.group(2)), (m.group(1), m.group(3).rstrip()))
        return shown

    def log(self):
        try:
            with open(self.log_file, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def goto(self, line):
        self.keys("Escape", str(line), "g", "g")

    def wait(self, predicate, timeout=None):
        """Polls `predicate` until it returns something truthy or the time is up."""
        deadline = time.monotonic() + (timeout or TIMEOUT)
        while True:
            value = predicate()
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.1)

    def wait_screen(self, pattern, timeout=None):
        return self.wait(lambda: re.search(pattern, self.screen()), timeout)

    def sent(self, pattern):
        """Messages the server sent (`dockerfile-ls <- ...` in the log) matching `pattern`."""
        return [m for m in re.findall(r"dockerfile-ls <- (\{.*)", self.log()) if re.search(pattern, m)]

    def set_config(self, config):
        """Rewrites the `config` table of the user's languages.toml, as a user edits it."""
        path = os.path.join(self.config_dir, "languages.toml")
        with open(SNIPPET, encoding="utf-8") as f:
            text = f.read()
        table = "[language-server.dockerfile-ls.config]\n"
        start = text.index(table) + len(table)
        end = text.index("\n[", start)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text[:start] + config + "\n" + text[end:])


# --- checks ------------------------------------------------------------------------------


def check_health(hx):
    r = hx.run(hx.hx, "--health", "dockerfile")
    out = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)
    line = next((l for l in out.splitlines() if "dockerfile-ls" in l), "")
    ok = r.returncode == 0 and "✓" in line and line.rstrip().endswith("/bin/dockerfile-ls")
    return ok, line.strip() or f"no dockerfile-ls in hx --health dockerfile:\n{out}"


def check_started(hx):
    found = hx.wait(lambda: hx.sent(r'"result":\{"capabilities".*"serverInfo":\{"name":"dockerfile-ls"'))
    if not found:
        return False, "no initialize answer from dockerfile-ls in the Helix log"
    version = re.search(r'"serverInfo":\{[^}]*"version":"([^"]+)"', found[0])
    return True, f"initialize answered by dockerfile-ls {version.group(1) if version else '?'}"


def check_diagnostic(hx):
    hx.goto(2)
    shown = hx.wait_screen(r"unknown instruction: RUNN[^\n]*")
    gutter = hx.lines().get(2, ("", ""))[0]
    return bool(shown) and gutter == "●", shown.group(0) if shown else "no RUNN diagnostic on line 2"


def check_hover(hx):
    hx.goto(3)
    hx.keys("Space", "k")
    shown = hx.wait_screen(r"Runs a command[^\n]*")
    hx.keys("Escape")
    return bool(shown), shown.group(0).strip() if shown else "no hover over RUN"


def check_completion(hx):
    hx.goto(4)
    hx.keys("i", "WORKD", "C-x")
    menu = hx.wait_screen(r"WORKDIR\s+keyword")
    if menu:
        hx.keys("Tab", "Enter")  # select the first item, accept it
    hx.keys("Escape")
    line = hx.wait(lambda: hx.lines().get(4, ("", ""))[1].startswith("WORKDIR") and hx.lines()[4][1])
    return bool(menu) and bool(line), f"menu offered WORKDIR, line 4 is now {line!r}" if menu else "no WORKDIR in the completion menu"


def check_config_survives_null(hx):
    # Helix sends the config table as initializationOptions and answers the server's
    # workspace/configuration request for the `dockerfile-ls` section with [null]: the server
    # must keep the table's settings rather than fall back to its defaults. A second Helix,
    # whose languages.toml turns diagnostics off, must show no diagnostic on the RUNN line
    # (the first one shows it, so the line does get one when diagnostics are on).
    other = Helix(os.path.join(hx.tmp, "disabled"), hx.hx, hx.env.get("HELIX_RUNTIME", ""), hx.server)
    other.set_config("diagnostics = { enable = false }")
    other.start()
    try:
        answered = other.wait(lambda: re.search(r'dockerfile-ls -> \{"jsonrpc":"2\.0","result":\[null\]', other.log()))
        # A hover answered after that exchange: the server has applied what it was told.
        other.goto(3)
        other.keys("Space", "k")
        hovered = other.wait_screen(r"Runs a command")
        other.keys("Escape")
        published = other.sent(r'"method":"textDocument/publishDiagnostics".*"diagnostics":\[\{')
        gutter = other.lines().get(2, ("", ""))[0]
    finally:
        other.command("q!")
        other.stop()
    ok = bool(answered) and bool(hovered) and not published and gutter != "●"
    detail = (
        "diagnostics.enable = false from languages.toml kept after workspace/configuration answered [null]"
        if ok
        else f"answered [null]: {bool(answered)}, hover: {bool(hovered)}, diagnostics published: {len(published)}, line 2 gutter: {gutter!r}"
    )
    return ok, detail


def check_code_action(hx):
    hx.goto(2)
    hx.keys("Space", "a")
    menu = hx.wait_screen(r"Change to RUN")
    if not menu:
        hx.keys("Escape")
        return False, "no 'Change to RUN' code action on line 2"
    hx.keys("Enter")
    fixed = hx.wait(lambda: hx.lines().get(2, ("", ""))[1] == "RUN echo hello")
    return bool(fixed), "applied 'Change to RUN': line 2 is 'RUN echo hello'" if fixed else f"line 2 is {hx.lines().get(2)}"


def check_cleared(hx):
    cleared = hx.wait(lambda: hx.lines().get(2, ("", ""))[1] == "RUN echo hello" and hx.lines()[2][0] != "●")
    return bool(cleared), "no diagnostic on line 2 after the fix" if cleared else f"line 2: {hx.lines().get(2)}"


def check_no_stderr_errors(hx):
    # Helix logs every stderr line of a server as [ERROR]: by default ours writes warnings only.
    errors = [l for l in hx.log().splitlines() if "dockerfile-ls err <-" in l]
    return not errors, f"{len(errors)} stderr lines logged as errors" + (f", first: {errors[0][:160]}" if errors else "")


def cursor(hx):
    """The cursor's `line:column` from the status line (1-based), or None."""
    rows = hx.screen().splitlines()
    status = next((r for r in reversed(rows) if re.search(r"\b(NOR|INS|SEL)\b", r)), "")
    m = re.search(r"\s(\d+):(\d+)\s", status + " ")
    return (int(m.group(1)), int(m.group(2))) if m else None


def check_symbols(hx):
    # The symbol picker lists the stages (the first, unnamed, as `stage 0`: text that is
    # only in the picker); choosing `base` puts the cursor on its name.
    hx.goto(1)
    hx.keys("Space", "s")
    picker = hx.wait_screen(r"stage 0")
    hx.keys("base")
    time.sleep(0.3)
    hx.keys("Enter")
    at = hx.wait(lambda: (cursor(hx) or (0, 0))[0] == 6 and cursor(hx))
    hx.keys("Escape")
    ok = bool(picker) and bool(at)
    return ok, f"picked `base` from the symbol picker, cursor at {at}" if ok else f"picker shown: {bool(picker)}, cursor at {cursor(hx)}\n{hx.screen()}"


def check_definition(hx):
    # `gd` on `base` in `FROM base` (line 7) lands on `AS base` (line 6, column 21).
    hx.goto(7)
    hx.keys("gl")
    hx.keys("gd")
    at = hx.wait(lambda: cursor(hx) in {(6, 21), (6, 24)} and cursor(hx))
    return bool(at), f"gd on line 7 jumped to {at}" if at else f"cursor at {cursor(hx)} (want 6:21, `AS base`)"


def check_rename(hx):
    # Space r on the stage name (after the jump, on line 6): both lines change.
    hx.goto(7)
    hx.keys("gl")
    hx.keys("Space", "r")
    prompt = hx.wait_screen(r"rename-to:")
    hx.keys("C-u", "builder", "Enter")
    done = hx.wait(
        lambda: hx.lines().get(6, ("", ""))[1] == "FROM alpine:3.20 AS builder"
        and hx.lines().get(7, ("", ""))[1] == "FROM builder"
    )
    lines = f"{hx.lines().get(6)}, {hx.lines().get(7)}"
    return bool(prompt) and bool(done), f"renamed `base` to `builder` on lines 6-7" if done else f"prompt: {bool(prompt)}, lines 6-7: {lines}"


def check_format_on_save(hx):
    # `:w` as a user saves: the snippet sets auto-format and hands formatting to the server
    # (no external formatter), so Helix asks dockerfile-ls for textDocument/formatting first.
    path = os.path.join(hx.workspace, "Dockerfile")
    hx.command("w")

    def on_disk():
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return text if text.endswith(FORMATTED_RUN) and "run   echo" not in text else None

    saved = hx.wait(on_disk)
    shown = hx.lines().get(9, ("", ""))[1].strip()
    ok = bool(saved) and shown == "&& echo two"
    if ok:
        return True, "the saved file is formatted (RUN echo one \\ /   && echo two, Helix's 2-space indent)"
    with open(path, encoding="utf-8") as f:
        return False, f"the file on disk is {f.read()!r}, line 9 shows {shown!r}"


# (name, needs our server, function), run in this order on one Helix session.
CHECKS = [
    ("hx --health dockerfile", False, check_health),
    ("server started", True, check_started),
    ("diagnostic on RUNN", True, check_diagnostic),
    ("hover", True, check_hover),
    ("completion", True, check_completion),
    ("settings survive workspace/configuration [null]", True, check_config_survives_null),
    ("code action fixes the line", True, check_code_action),
    ("diagnostic cleared after the fix", True, check_cleared),
    ("symbol picker lists the stage", True, check_symbols),
    ("go to definition of a stage", True, check_definition),
    ("rename a stage", True, check_rename),
    ("format on save", True, check_format_on_save),
    ("no server stderr logged as errors", False, check_no_stderr_errors),
]


def main():
    tmp = tempfile.mkdtemp(prefix="dockerfile-ls-helix-")
    try:
        if CONTROL:
            server = os.path.join(tmp, "not-dockerfile-ls")
            # Alive, reading everything, answering nothing; gone when its stdin closes.
            with open(server, "w") as f:
                f.write("#!/bin/sh\nwhile read -r line; do :; done\n")
            os.chmod(server, 0o755)
        else:
            server = os.environ.get("DOCKERFILE_LS_BIN") or os.path.join(REPO, "target", "debug", "dockerfile-ls")
            server = os.path.join(REPO, server) if not os.path.isabs(server) else server
            if not os.access(server, os.X_OK):
                die(f"server binary not found at {server} (cargo build, or set DOCKERFILE_LS_BIN)")
        if not shutil.which("tmux"):
            die("tmux is not installed (apt-get install tmux)")
        hx_bin, runtime = find_hx(tmp)
        hx = Helix(tmp, hx_bin, runtime, server)
        print(hx.run(hx_bin, "--version").stdout.strip())
        hx.start()
        if not hx.wait_screen(r"Dockerfile", timeout=15):
            die(f"Helix did not come up:\n{hx.screen()}")
        results = []
        for name, needs_server, fn in CHECKS:
            t0 = time.monotonic()
            try:
                ok, detail = fn(hx)
            except Exception as e:  # a broken check is a failed check, with the reason
                ok, detail = False, f"{type(e).__name__}: {e}"
            results.append((name, ok, needs_server))
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail} ({time.monotonic() - t0:.1f}s)", flush=True)
        if not all(ok for _, ok, _ in results) and not CONTROL:
            print("--- screen ---\n" + hx.screen())
            print("--- last lines of the Helix log ---\n" + "\n".join(hx.log().splitlines()[-25:]))
        hx.command("q!")
        hx.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    passed = sum(ok for _, ok, _ in results)
    print(f"checks done: {passed} ok, {len(results) - passed} not ok")
    if CONTROL:
        harness_ok = all(ok for _, ok, needs in results if not needs)
        wrongly = [name for name, ok, needs in results if needs and ok]
        if not harness_ok:
            print("helix control: FAIL: Helix itself did not work, so the control proves nothing")
            return 1
        if wrongly:
            print(f"helix control: FAIL: passed without our server: {', '.join(wrongly)}")
            return 1
        print(f"helix control: ok (all {sum(needs for _, _, needs in results)} server checks failed without our server)")
        return 0
    print(f"helix: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
