#!/usr/bin/env python3
"""The settings are documented once, in editors/README.md; the editors must agree with it.

    python3 editors/test/check_settings.py

Checks that every setting the server reads (src/config/settings.rs, and the registry fields in
src/registry/config.rs) is documented and nothing else is (but the client-side
`server.path`), that the VS Code extension contributes exactly the documented settings, each
with a description and the documented type and default, and that the settings in the Neovim
config and the Helix snippet are documented ones.
"""

import json
import os
import re
import sys
import tomllib

EDITORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
REPO = os.path.join(EDITORS, "..")
CLIENT_ONLY = {"dockerfile-ls.server.path"}


def server_settings():
    """The dotted names the server reads, from its source."""
    names = set()
    with open(os.path.join(REPO, "src", "config", "settings.rs"), encoding="utf-8") as f:
        merge = f.read().split("fn merge", 1)[-1].split("\n    }", 1)[0]
    # `read` takes one setting, `read_fields` a section merged field by field.
    reads = re.findall(r'r\.read(?:_fields)?\(\s*"([\w.]+)"', merge)
    registry_fields = []
    with open(os.path.join(REPO, "src", "registry", "config.rs"), encoding="utf-8") as f:
        apply = f.read().split("fn apply_settings", 1)[-1].split("\n    fn ", 1)[0]
        registry_fields = re.findall(r'obj\.get\("(\w+)"\)', apply)
    for name in reads:
        if name == "registry":
            names.update(f"dockerfile-ls.registry.{field}" for field in registry_fields)
        else:
            names.add(f"dockerfile-ls.{name}")
    return names

VSCODE_TYPES = {
    "boolean": ["boolean"],
    "string": ["string"],
    "string or null": ["string", "null"],
    "object": ["object"],
    "array of strings": ["array"],
    "integer": ["integer"],
    "integer or null": ["integer", "null"],
    "boolean or null": ["boolean", "null"],
}


def documented():
    rows = {}
    with open(os.path.join(EDITORS, "README.md"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\|\s*`(dockerfile-ls\.[\w.]+)`\s*\|\s*([^|]+?)\s*\|\s*`([^`]*)`\s*\|\s*(.+?)\s*\|\s*$", line)
            if m:
                rows[m.group(1)] = {"type": m.group(2), "default": json.loads(m.group(3)), "meaning": m.group(4)}
    return rows


def main():
    problems = []
    doc = documented()
    if len(doc) < 8:
        problems.append(f"only {len(doc)} settings found in the editors/README.md table")

    served = server_settings()
    if not served:
        problems.append("found no settings in src/config/settings.rs (did its layout change?)")
    for name in sorted(served - set(doc)):
        problems.append(f"the server reads {name}, which editors/README.md does not document")
    for name in sorted(set(doc) - served - CLIENT_ONLY):
        problems.append(f"editors/README.md documents {name}, which the server does not read")

    with open(os.path.join(EDITORS, "vscode", "package.json"), encoding="utf-8") as f:
        props = json.load(f)["contributes"]["configuration"]["properties"]
    for name in sorted(set(doc) - set(props)):
        problems.append(f"VS Code does not contribute {name}")
    for name in sorted(set(props) - set(doc)):
        problems.append(f"VS Code contributes {name}, which editors/README.md does not document")
    for name in sorted(set(doc) & set(props)):
        p, d = props[name], doc[name]
        types = p["type"] if isinstance(p["type"], list) else [p["type"]]
        if types != VSCODE_TYPES.get(d["type"]):
            problems.append(f"{name}: VS Code type {types}, documented {d['type']!r}")
        if p.get("default") != d["default"]:
            problems.append(f"{name}: VS Code default {p.get('default')!r}, documented {d['default']!r}")
        if not (p.get("description") or p.get("markdownDescription")):
            problems.append(f"{name}: no description in VS Code")
        if d["type"] == "string" and name.endswith("trace.server") and p.get("enum") != ["off", "messages", "verbose"]:
            problems.append(f"{name}: VS Code enum {p.get('enum')}")

    # Neovim: every key path under settings['dockerfile-ls'] in lsp/dockerfile_ls.lua.
    with open(os.path.join(EDITORS, "neovim", "lsp", "dockerfile_ls.lua"), encoding="utf-8") as f:
        lua = f.read()
    block = re.search(r"\['dockerfile-ls'\]\s*=\s*\{(.*?)\n    \},", lua, re.S)
    if not block:
        problems.append("no settings['dockerfile-ls'] table in neovim/lsp/dockerfile_ls.lua")
    else:
        for group, body in re.findall(r"(\w+)\s*=\s*\{([^{}]*)\}", block.group(1)):
            for key in re.findall(r"(\w+)\s*=", body):
                if f"dockerfile-ls.{group}.{key}" not in doc:
                    problems.append(f"Neovim config sets {group}.{key}, which is not documented")

    # Helix: keys under [language-server.dockerfile-ls.config].
    with open(os.path.join(EDITORS, "helix", "languages.toml"), "rb") as f:
        config = tomllib.load(f)["language-server"]["dockerfile-ls"].get("config", {})
    for group, table in config.items():
        for key in table:
            if f"dockerfile-ls.{group}.{key}" not in doc:
                problems.append(f"Helix snippet sets {group}.{key}, which is not documented")

    for p in problems:
        print(f"FAIL settings: {p}")
    if not problems:
        print(f"ok   settings: {len(doc)} documented settings; the server, VS Code, Neovim and Helix agree")
    print(f"settings: {0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
