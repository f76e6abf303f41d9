#!/usr/bin/env python3
"""make_fixture.py OUTDIR EXPECTED_JSON: a deterministic class of 50 students.

Writes one results JSON per student into OUTDIR (llmlings-results/1, built
from the real exercises/manifest.json; some with a build error or integrity
findings), three records of students the workflow could not grade
(llmlings-ungraded/1), the files the leaderboard must skip (malformed JSON,
a wrong schema, a duplicate student), and EXPECTED_JSON with the rank order
computed here, independently of the grader: graded students by score
descending, then (all first seen by this run of the board: commit dates,
some far in the past, do not count) the order the grader reads files in
(byte order of the file names); then the students not graded, in that
order. Some names are hostile on purpose."""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
HOSTILE = {
    7: "<img src=x onerror=\"window.__pwned=1\">",
    13: "\"quote'&amp;",
    21: "::error::pwn",
    33: "日本語 student",
    41: "</script><script>window.__pwned=2</script>",
}
BASE = 1767225600  # 2026-01-01T00:00:00Z


def iso(t):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def exercise(e, fraction, rng):
    ntests = 3
    tests = []
    build_error = fraction == "build_error"
    if build_error:
        fraction = 0
    # The grader's split: equal shares, rounded, the last one takes the rest.
    share = round(e["points"] / ntests, 3)
    shares = [share] * (ntests - 1) + [round(e["points"] - share * (ntests - 1), 3)]
    passed = round(fraction * ntests)
    for i in range(ntests):
        ok = i < passed
        t = {"name": "suite/t%d" % i, "verdict": "passed" if ok else "failed",
             "score": shares[i] if ok else 0, "max_score": shares[i],
             "wall_s": 0.1}
        if not ok:
            t["message"] = "expected 1, got 0"
        tests.append(t)
    if passed == ntests and e["id"] == "15_matmul_fast":
        tests[0]["metrics"] = {"gflops": round(rng.uniform(5, 90), 2),
                               "ratio_vs_openblas": round(rng.uniform(0.05, 1.1), 3),
                               "gflops_openblas": 80.0}
    if passed == ntests and e["id"] == "40_fast_engine":
        tests[0]["metrics"] = {"fast_tok_per_s": round(rng.uniform(50, 900), 1),
                               "naive_tok_per_s": 40.0}
    score = round(sum(t["score"] for t in tests), 3)
    verdict = "passed" if passed == ntests else "failed"
    if build_error:
        for t in tests:
            t.update(verdict="not_run", score=0, max_score=0)
            t.pop("message", None)
        score, verdict, passed = 0, "build_error", 0
    return {"id": e["id"], "chapter": e["chapter"], "title": e["title"],
            "verdict": verdict, "score": score, "max_score": e["points"],
            "build_log": "x.c:1:1: error: expected ';'" if build_error else "",
            "tests_passed": passed, "tests_total": ntests, "cached": False,
            "wall_s": 0.3, "hash": "0" * 64, "tests": tests}


def student(k, manifest, rng):
    exs = manifest["exercises"]
    # Progress: the first `done` exercises fully, the next one partly.
    done = [0, 31, 31, 5, 5, 5, 12, 12, 20, 20][k % 10] if k < 12 else rng.randrange(0, len(exs) + 1)
    part = rng.choice([0, 1 / 3, 2 / 3]) if k >= 12 else 0
    out = []
    for i, e in enumerate(exs):
        f = 1.0 if i < done else (part if i == done else 0.0)
        if k % 7 == 3 and i == done:
            f = "build_error"
        out.append(exercise(e, f, rng))
    score = round(sum(x["score"] for x in out), 3)
    doc = {"schema": "llmlings-results/1", "grader": {"version": "0.1.0"},
           "generated_at": iso(BASE + 40 * 86400 + k * 60),
           "course": manifest["course"], "score": score,
           "max_score": sum(e["points"] for e in exs),
           "summary": {"exercises": len(out),
                       "passed": sum(x["verdict"] == "passed" for x in out),
                       "failed": sum(x["verdict"] == "failed" for x in out),
                       "build_error": sum(x["verdict"] == "build_error" for x in out),
                       "skipped": 0, "tampered": 0},
           "exercises": out}
    if k % 11 == 5:
        doc["integrity"] = {"source": "pin", "ok": False, "modified": ["exercises/00_hello/test_hello.c"],
                            "deleted": [], "added": [], "unrestorable": [],
                            "message": "1 protected file differs from the workbook and was not used"}
    else:
        doc["integrity"] = {"source": "pin", "ok": True, "modified": [], "deleted": [], "added": [],
                            "unrestorable": [], "message": ""}
    # Pairs with equal scores and different commit times, one exact tie,
    # and every 9th student without provenance (grading time counts).
    if k % 9 != 4:
        t = BASE + (7 * 86400 if k in (3, 4) else rng.randrange(0, 30 * 86400))
        if k == 5:
            t = BASE + 2 * 86400  # same score as 3, 4; earlier
        doc["provenance"] = {"repository": "https://github.com/example/s%02d" % k,
                             "commit": "%040x" % (k * 7919), "commit_time": iso(t),
                             "author": "student %d" % k, "dirty": False}
    return doc


def main():
    outdir, expected = sys.argv[1], sys.argv[2]
    manifest = json.load(open(os.path.join(REPO, "exercises", "manifest.json")))
    rng = random.Random(20261122)
    os.makedirs(outdir, exist_ok=True)
    files = {}
    for k in range(50):
        name = HOSTILE.get(k, "student%02d" % k)
        files[name.replace("/", "_")] = student(k, manifest, rng)
    for fname, doc in files.items():
        with open(os.path.join(outdir, fname + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
    # What the board must skip, and say so.
    with open(os.path.join(outdir, "zz-broken.json"), "w") as f:
        f.write('{"schema": "llmlings-results/1", "score": ')
    with open(os.path.join(outdir, "zz-other-schema.json"), "w") as f:
        json.dump({"schema": "something-else/9", "score": 1}, f)
    os.makedirs(os.path.join(outdir, "student02"), exist_ok=True)
    dup = files["student02"]  # the same student twice: one is skipped
    with open(os.path.join(outdir, "student02", "results.json"), "w") as f:
        json.dump(dup, f)
    # The grader reads a folder in byte order of the names, recursively:
    # "student02" (the folder) comes before "student02.json", so the folder's
    # copy is kept and student02.json is the duplicate.
    kept = dict(files)
    kept["student02"] = dup
    # Students the workflow could not grade: ranked last, in read order.
    ungraded = {"nobody-a": "no such repository", "nobody-c": "empty repository", "nobody-b": "bad rev"}
    for name, reason in ungraded.items():
        with open(os.path.join(outdir, name + ".json"), "w") as f:
            json.dump({"schema": "llmlings-ungraded/1", "name": name, "repository": "https://example.invalid/" + name,
                       "rev": "HEAD", "reason": reason, "detail": "from the fixture"}, f)
    visit = sorted(kept, key=lambda n: (n + ".json" if n != "student02" else n).encode())
    order = sorted(range(len(visit)), key=lambda i: (-kept[visit[i]]["score"], i))
    ranked = [visit[i] for i in order] + sorted(ungraded, key=lambda n: (n + ".json").encode())
    with open(expected, "w", encoding="utf-8") as f:
        json.dump({"order": ranked, "students": len(ranked), "skipped": 3, "ungraded": len(ungraded),
                   "build_errors": sum(1 for n in kept if kept[n]["summary"]["build_error"]),
                   "integrity": sum(1 for n in kept if not kept[n]["integrity"]["ok"]),
                   "exercises": len(manifest["exercises"]),
                   "scores": [kept[n]["score"] for n in ranked if n in kept]}, f,
                  ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
