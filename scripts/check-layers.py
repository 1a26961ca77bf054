#!/usr/bin/env python3
"""Checks that inside each crate the top-level modules import each other without cycles.

For every crate source folder given (default: the workspace's), each top-level module (a file
`src/x.rs` or a folder `src/x/`) is a node, and a mention of `crate::y` (in a `use` or a path)
inside it is an arrow x -> y. Prints the arrows and exits 1 on a cycle, naming it.
"""
import pathlib, re, sys

ROOTS = {
    "scorecard-core": "crates/core/src",
    "scorecard-report": "crates/report/src",
    "scorecard (cli)": "crates/cli",
    "scorecard-gen": "crates/gen/src",
}
CRATE_PATH = re.compile(r"\bcrate::(\{[^}]*\}|[a-z_][a-z0-9_]*)")


def modules(src: pathlib.Path):
    mods = {}
    for f in sorted(src.rglob("*.rs")):
        rel = f.relative_to(src)
        if rel.parts[0] in ("lib.rs", "main.rs"):
            continue
        top = rel.parts[0][:-3] if len(rel.parts) == 1 else rel.parts[0]
        mods.setdefault(top, []).append(f)
    return mods


def arrows(mods):
    graph = {m: set() for m in mods}
    for m, files in mods.items():
        for f in files:
            text = re.sub(r"//.*", "", f.read_text())
            for hit in CRATE_PATH.findall(text):
                names = re.findall(r"[a-z_][a-z0-9_]*", hit) if hit.startswith("{") else [hit]
                for n in names:
                    if n in graph and n != m:
                        graph[m].add(n)
    return graph


def cycle(graph):
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for d in sorted(graph[n]):
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state:
                found = visit(d)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    failed = False
    for name, folder in ROOTS.items():
        src = root / folder
        if not src.is_dir():
            continue
        graph = arrows(modules(src))
        found = cycle(graph)
        print(f"{name}: " + "; ".join(f"{m} -> {', '.join(sorted(d))}" for m, d in sorted(graph.items()) if d))
        if found:
            failed = True
            print(f"  cycle: {' -> '.join(found)}", file=sys.stderr)
    if failed:
        sys.exit(1)
    print("no module cycle in any crate")


if __name__ == "__main__":
    main()
