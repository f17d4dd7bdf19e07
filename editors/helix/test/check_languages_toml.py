#!/usr/bin/env python3
"""Validates editors/helix/languages.toml as Helix reads it.

    python3 editors/helix/test/check_languages_toml.py [FILE]    # the check
    python3 editors/helix/test/check_languages_toml.py --control # broken copies must fail

Helix merges a user's languages.toml into its built-in one: `[language-server.NAME]` declares a
server (`command`, `args`, `config`, all optional but `command`), and a `[[language]]` entry
whose `name` matches a built-in language overrides that language's fields, `language-servers`
replacing the built-in list. Checked here: the TOML parses; the server is declared with the
command `dockerfile-ls` and the args `["--stdio"]`; exactly one `[[language]]` is named
`dockerfile` and lists `dockerfile-ls` in `language-servers` (as a string or `{ name = ... }`);
every key under `config` is a setting documented in editors/README.md, with the documented
type. Helix itself runs the snippet in run.py beside this file.
"""

import copy
import os
import re
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
SNIPPET = os.path.join(HERE, "..", "languages.toml")
SETTINGS_DOC = os.path.join(HERE, "..", "..", "README.md")
SERVER = "dockerfile-ls"

TYPE_CHECKS = {
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "string or null": lambda v: isinstance(v, str),  # TOML has no null
    "object": lambda v: isinstance(v, dict),
    "array of strings": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
}


def documented_settings():
    """`dockerfile-ls.x.y` -> type, from the settings table in editors/README.md."""
    settings = {}
    with open(SETTINGS_DOC, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\|\s*`dockerfile-ls\.([\w.]+)`\s*\|\s*([^|]+?)\s*\|", line)
            if m:
                settings[m.group(1)] = m.group(2).strip().strip("`")
    if not settings:
        raise SystemExit(f"no settings table found in {SETTINGS_DOC}")
    return settings


def flatten(table, prefix=""):
    """Dotted paths of the leaves of `table`; an object-typed setting is a leaf."""
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and path not in OBJECT_SETTINGS:
            yield from flatten(value, path + ".")
        else:
            yield path, value


OBJECT_SETTINGS = set()


def problems_in(doc, settings):
    problems = []
    servers = doc.get("language-server")
    if not isinstance(servers, dict) or SERVER not in servers:
        return [f"no [language-server.{SERVER}] table"]
    server = servers[SERVER]
    if server.get("command") != SERVER:
        problems.append(f"language-server.{SERVER}.command is {server.get('command')!r}, want {SERVER!r}")
    if server.get("args") != ["--stdio"]:
        problems.append(f"language-server.{SERVER}.args is {server.get('args')!r}, want ['--stdio']")
    unknown = set(server) - {"command", "args", "config", "environment", "timeout", "required-root-patterns"}
    if unknown:
        problems.append(f"language-server.{SERVER} has keys Helix does not know: {sorted(unknown)}")
    config = server.get("config", {})
    if not isinstance(config, dict):
        problems.append(f"language-server.{SERVER}.config must be a table")
        config = {}
    for path, value in flatten(config):
        if path not in settings:
            problems.append(f"config key {path!r} is not a documented setting (editors/README.md)")
        elif not TYPE_CHECKS.get(settings[path], lambda v: True)(value):
            problems.append(f"config key {path!r} = {value!r} is not of type {settings[path]}")

    languages = doc.get("language")
    if not isinstance(languages, list):
        problems.append("no [[language]] array of tables")
        return problems
    named = [lang for lang in languages if isinstance(lang, dict) and lang.get("name") == "dockerfile"]
    if len(named) != 1:
        problems.append(f"want exactly one [[language]] with name = 'dockerfile', found {len(named)}")
        return problems
    servers_list = named[0].get("language-servers")
    if not isinstance(servers_list, list):
        problems.append("the dockerfile language has no language-servers list")
        return problems
    names = [s if isinstance(s, str) else s.get("name") if isinstance(s, dict) else None for s in servers_list]
    if SERVER not in names:
        problems.append(f"the dockerfile language's language-servers {names!r} do not include {SERVER!r}")
    return problems


def check(path, settings):
    with open(path, "rb") as f:
        try:
            doc = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            return [f"not valid TOML: {e}"]
    return problems_in(doc, settings)


def main():
    settings = documented_settings()
    OBJECT_SETTINGS.update(k for k, t in settings.items() if t == "object")
    if sys.argv[1:] == ["--control"]:
        return control(settings)
    path = sys.argv[1] if len(sys.argv) > 1 else SNIPPET
    problems = check(path, settings)
    for p in problems:
        print(f"FAIL helix: {p}")
    if not problems:
        print(f"ok   helix: {os.path.relpath(path)} declares {SERVER} for the dockerfile language")
    print(f"helix: {0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


def control(settings):
    """Each broken variant of the snippet must be rejected."""
    with open(SNIPPET, "rb") as f:
        good = tomllib.load(f)
    assert not problems_in(good, settings), "the snippet itself must pass"
    variants = {}
    doc = copy.deepcopy(good)
    doc["language-server"][SERVER]["command"] = "docker-langserver"
    variants["another server's command"] = doc
    doc = copy.deepcopy(good)
    del doc["language-server"]
    variants["no server declared"] = doc
    doc = copy.deepcopy(good)
    doc["language"][0]["language-servers"] = ["docker-langserver"]
    variants["dockerfile not using it"] = doc
    doc = copy.deepcopy(good)
    doc["language"][0]["name"] = "docker"
    variants["wrong language name"] = doc
    doc = copy.deepcopy(good)
    doc["language-server"][SERVER].setdefault("config", {})["diagnostic"] = {"enable": True}
    variants["undocumented setting"] = doc
    doc = copy.deepcopy(good)
    doc["language-server"][SERVER].setdefault("config", {})["diagnostics"] = {"enable": "yes"}
    variants["setting of the wrong type"] = doc
    missed = [name for name, d in variants.items() if not problems_in(d, settings)]
    broken_toml = b'[language-server.dockerfile-ls]\ncommand = "dockerfile-ls\n'
    try:
        tomllib.loads(broken_toml.decode())
        missed.append("invalid TOML")
    except tomllib.TOMLDecodeError:
        pass
    if missed:
        print(f"helix control: FAIL: accepted broken snippets: {', '.join(missed)}")
        return 1
    print(f"helix control: ok (all {len(variants) + 1} broken snippets rejected)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
