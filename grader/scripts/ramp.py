#!/usr/bin/env python3
"""ramp.py: the workbook's ramp as a table, and its hint ladders checked.

Prints, per exercise: points, the starter's and the reference's size in
non-comment, non-blank lines of the files the student edits, the number of
tests (LL_TEST) and of hints, the exercises it links and the lecture
section that teaches its new idea. A step much larger than the ones
before it shows up as a cliff in the size ratio.

Fails (exit 1) when an exercise has fewer hints than its ladder needs:
3, or 5 for an exercise worth 20 points or more, or when hints_zh (where
present) does not have the same number of hints.

Usage: ramp.py [--table] [ROOT]
"""
import json
import os
import re
import sys

MIN_HINTS = 3
MIN_HINTS_BIG = 5
BIG_POINTS = 20


def code_lines(path):
    """Lines of C that are neither blank nor only comment."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return 0
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"),
                  text, flags=re.S)
    return sum(1 for line in text.splitlines()
               if line.strip() and not line.strip().startswith("//"))


def count_tests(root, ex):
    n = 0
    for t in ex.get("tests", []):
        try:
            with open(os.path.join(root, "exercises", ex["id"], t),
                      encoding="utf-8", errors="replace") as f:
                n += len(re.findall(r"^\s*LL_TEST\s*\(", f.read(), re.M))
        except OSError:
            pass
    return n


def row(root, ex):
    starter = sum(code_lines(os.path.join(root, "exercises", ex["id"], f))
                  for f in ex.get("edit", []))
    ref = sum(code_lines(os.path.join(root, "solutions-private", ex["id"], f))
              for f in ex.get("edit", []))
    return (ex["id"], ex.get("points", 0), starter, ref, count_tests(root, ex),
            len(ex.get("hints", [])), ",".join(l[:2] for l in
                                               ex.get("links", [])) or "-",
            ex.get("lecture", "").replace("lectures/", ""))


def ladder_problems(ex):
    need = MIN_HINTS_BIG if ex.get("points", 0) >= BIG_POINTS else MIN_HINTS
    hints = ex.get("hints", [])
    problems = []
    if len(hints) < need:
        problems.append("%s: %d hints, its ladder needs at least %d" %
                        (ex["id"], len(hints), need))
    if "hints_zh" in ex and len(ex["hints_zh"]) != len(hints):
        problems.append("%s: %d hints but %d hints_zh" %
                        (ex["id"], len(hints), len(ex["hints_zh"])))
    return problems


def main(argv):
    args = [a for a in argv[1:] if a != "--table"]
    if len(args) > 1:
        print("usage: ramp.py [--table] [ROOT]", file=sys.stderr)
        return 2
    root = args[0] if args else "."
    with open(os.path.join(root, "exercises", "manifest.json"),
              encoding="utf-8") as f:
        exercises = json.load(f)["exercises"]
    if "--table" in argv:
        print("%-26s %6s %8s %10s %6s %6s  %-15s %s" % (
            "exercise", "points", "starter", "reference", "tests", "hints",
            "links", "lecture"))
        for r in (row(root, ex) for ex in exercises):
            print("%-26s %6d %8d %10d %6d %6d  %-15s %s" % r)
    problems = [p for ex in exercises for p in ladder_problems(ex)]
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
