#!/usr/bin/env python3
"""check-layers.py: the grader's sources keep their pipeline order.

grader/src is grouped into folders along the pipeline (LAYERS below, from
the bottom up). A file may include headers of its own folder and of the
folders below it, never of a folder above: that keeps the include graph a
ladder a reader can climb. Within a folder, modules (x.c with its x.h) must
not include each other in a loop either.

    check-layers.py [--graph] [SRC_DIR]

Prints nothing and exits 0 when the rules hold; otherwise one line per
include that reaches up and per cycle, and exits 1. --graph prints the
module graph ("a -> b" lines, one per module that includes another).
"""
import os
import re
import sys

LAYERS = ["base", "sandbox", "workbook", "integrity", "compile", "run",
          "grade", "report", "cli"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def modules(src):
    """{module: set of included modules}, a module being folder/name."""
    graph = {}
    for folder in sorted(os.listdir(src)):
        path = os.path.join(src, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            stem, ext = os.path.splitext(name)
            if ext not in (".c", ".h"):
                continue
            mod = f"{folder}/{stem}"
            with open(os.path.join(path, name), encoding="utf-8") as f:
                text = f.read()
            deps = graph.setdefault(mod, set())
            for inc in INCLUDE.findall(text):
                dep = os.path.splitext(inc)[0]
                if dep != mod and os.path.exists(os.path.join(src, inc)):
                    deps.add(dep)
    return graph


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main(argv):
    show = "--graph" in argv
    args = [a for a in argv if a != "--graph"]
    here = os.path.dirname(os.path.abspath(__file__))
    src = args[0] if args else os.path.join(here, "..", "src")
    graph = modules(src)
    problems = []
    for mod in sorted(graph):
        folder = mod.split("/")[0]
        if folder not in LAYERS:
            problems.append(f"{mod}: folder {folder}/ is not one of the "
                            f"layers ({', '.join(LAYERS)})")
            continue
        for dep in sorted(graph[mod]):
            dfolder = dep.split("/")[0]
            if dfolder in LAYERS and LAYERS.index(dfolder) > LAYERS.index(folder):
                problems.append(f"{mod} includes {dep}: {folder}/ may not "
                                f"reach up to {dfolder}/")
    for comp in cycles(graph):
        problems.append("include cycle: " + " -> ".join(comp))
    if show:
        for mod in sorted(graph):
            for dep in sorted(graph[mod]):
                print(f"{mod} -> {dep}")
    for p in problems:
        print(f"check-layers: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
