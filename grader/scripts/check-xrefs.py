#!/usr/bin/env python3
"""check-xrefs.py: the prose's references to exercises are right.

Students follow "as in 18" or "exercise 33" across the workbook; after a
renumbering such references silently point at the wrong exercise. This
check reads every student page (the top README outside its instructors-only
part, lectures/, exercises/*/README.md, hardware/ guides, and their
.zh-CN twins) and fails when:

  1. an id written out (`22_scan`) is not an exercise (or lecture) that
     exists;
  2. a number used as a reference ("exercise 38", "exercises 35-41",
     "in 38", "see 21", "38's") names no exercise;
  3. a numbered reference sits next to a word that is the topic of another
     exercise and of none the number names ("sampling ... in 38" when
     sampling is 39_sampling): probably renumbered; write the id, or
     reword;
  4. a student page points at solutions-private/ (students' copies do not
     have it).

A reference that is right although rule 3 flags it (the topic word is looked for in the reference's clause) can be marked on its
line with <!-- xref-ok -->.

Usage: check-xrefs.py [ROOT]      exit 0 clean, 1 findings, 2 usage.
"""
import glob
import json
import os
import re
import sys

NUMBER_REF = re.compile(
    r"(?P<lead>\b(?:[Ee]xercises?|in|see|from|until|like|after|before)"
    r"\s+)(?P<a>\d{2})(?:\s*(?:[-\u2013]|to|and)\s*(?P<b>\d{2}))?"
    r"(?P<tail>'s|\b)(?![-.]?\d|[-\s]*(?:bit|byte|bytes|bits|KiB|MiB|GiB|"
    r"kB|MB|GB|threads?|floats?|elements?|rows?|columns?|lanes?|banks?|"
    r"values?|times|x\b|%|ms|s\b|µs|ns|tokens?|dimensions?|heads?))")
OWN_REF = re.compile(r"\b(?P<a>\d{2})'s\b")
ID_REF = re.compile(r"(?<![\w/.-])(?P<id>\d{2}_[a-z][a-z0-9_]*[a-z0-9])")
CODE_SPAN = re.compile(r"`[^`\n]*`")
TOPIC_BEFORE = 45  # the topic of "sampling ... in 38" comes first
TOPIC_AFTER = 25

# Words of ids that prose also uses in their plain sense.
COMMON_WORDS = {"fast", "rows", "local", "files", "bits", "pointers", "block",
                "tiled", "float", "arrays", "strings", "structs", "vector",
                "views", "tensor", "reduce", "hello", "binary", "arena",
                "norms", "grid", "stride", "warp", "cache", "local"}


def load_exercises(root):
    with open(os.path.join(root, "exercises", "manifest.json"),
              encoding="utf-8") as f:
        manifest = json.load(f)
    exercises = manifest["exercises"] if isinstance(manifest, dict) else manifest
    return {e["id"][:2]: e["id"] for e in exercises}


def topic_words(ids):
    """Each exercise's distinctive words: those of its id no other id has."""
    seen = {}
    for ex_id in ids.values():
        for w in ex_id[3:].split("_"):
            seen.setdefault(w, set()).add(ex_id)
    topics = {}
    for w, owners in seen.items():
        if len(owners) == 1 and len(w) > 3 and w not in COMMON_WORDS:
            topics.setdefault(next(iter(owners)), set()).add(w)
    return topics


def student_pages(root):
    patterns = ["README*.md", "lectures/*.md", "lectures/zh-CN/*.md",
                "exercises/*/README*.md", "hardware/README*.md",
                "hardware/guides/*.md"]
    pages = []
    for p in patterns:
        pages.extend(sorted(glob.glob(os.path.join(root, p))))
    return pages


def student_lines(path):
    """(line number, text) of the lines a student reads: not in fenced code
    and not in the top README's instructors-only part."""
    hidden = False
    fenced = False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if "instructors-only:begin" in line:
                hidden = True
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            if not hidden and not fenced:
                yield n, line
            if "instructors-only:end" in line:
                hidden = False


def range_ids(ids, a, b):
    lo, hi = int(a), int(b) if b else int(a)
    return [ids.get("%02d" % k) for k in range(lo, hi + 1)]


def check_topic(ids, topics, line, m, refs):
    """Rule 3: the words around the reference name another exercise."""
    if "xref-ok" in line:
        return None
    lo = max(0, m.start() - TOPIC_BEFORE)
    hi = m.end() + TOPIC_AFTER
    clause = re.compile(r"[.;,:()|]")
    cut = [c.end() for c in clause.finditer(line, lo, m.start())]
    lo = cut[-1] if cut else lo
    end = clause.search(line, m.end(), hi)
    window = line[lo:end.start() if end else hi].lower()
    named = {w for r in refs if r for w in topics.get(r, ())}
    if any(re.search(r"\b%s" % re.escape(w), window) for w in named):
        return None
    for other, words in topics.items():
        if other in refs:
            continue
        for w in words:
            if re.search(r"\b%s\b" % re.escape(w), window):
                return "names %s but speaks of '%s' (%s)" % (
                    ", ".join(r for r in refs if r), w, other)
    return None


def check_line(ids, topics, lectures, line):
    """The findings of one line of prose."""
    found = []
    text = CODE_SPAN.sub(lambda s: s.group(0) if ID_REF.search(s.group(0))
                         else " " * len(s.group(0)), line)
    for m in ID_REF.finditer(text):
        ex_id = m.group("id")
        if ex_id not in ids.values() and ex_id not in lectures:
            want = ids.get(ex_id[:2])
            found.append("%s is not an exercise%s" % (
                ex_id, " (%s is %s)" % (ex_id[:2], want) if want else ""))
    prose = ID_REF.sub(lambda s: " " * len(s.group(0)), text)
    for m in list(NUMBER_REF.finditer(prose)) + list(OWN_REF.finditer(prose)):
        refs = range_ids(ids, m.group("a"),
                         m.groupdict().get("b"))
        if any(r is None for r in refs):
            found.append("'%s' names no exercise" % m.group(0).strip())
            continue
        why = check_topic(ids, topics, prose, m, refs)
        if why:
            found.append("'%s' %s" % (m.group(0).strip(), why))
    if "solutions-private" in line:
        found.append("a student page points at solutions-private/, which "
                     "students' copies do not have")
    return found


def main(argv):
    if len(argv) > 2:
        print("usage: check-xrefs.py [ROOT]", file=sys.stderr)
        return 2
    root = argv[1] if len(argv) == 2 else "."
    ids = load_exercises(root)
    topics = topic_words(ids)
    lectures = {os.path.basename(p)[:-3]
                for p in glob.glob(os.path.join(root, "lectures", "*.md"))}
    findings = 0
    for page in student_pages(root):
        rel = os.path.relpath(page, root)
        for n, line in student_lines(page):
            for why in dict.fromkeys(check_line(ids, topics, lectures, line)):
                print("%s:%d: %s" % (rel, n, why))
                findings += 1
    if findings:
        print("check-xrefs: %d wrong reference(s) to exercises" % findings,
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
