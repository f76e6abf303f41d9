"""check.py: assertions on one results document for run.sh.

    check.py JSON EXPR... -- RC [REPO]

Each EXPR is a Python expression over: d (the document), ig (its
"integrity"), pv ("provenance"), ex (exercise id -> result), score,
max_score, rc (the grader's exit status), s (REPO) and git(repo, *args).
Prints the integrity block; exits 1 naming the first false EXPR."""
import json
import subprocess
import sys


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], capture_output=True,
                          text=True, check=True).stdout.strip()


def main():
    args = sys.argv[1:]
    path, exprs = args[0], args[1:args.index("--")]
    tail = args[args.index("--") + 1:]
    rc = int(tail[0])
    s = tail[1] if len(tail) > 1 else None
    try:
        d = json.load(open(path))
    except (OSError, ValueError) as e:
        print(f"no results document ({e}); grader exit {rc}")
        return 1
    env = {"d": d, "ig": d.get("integrity", {}), "pv": d.get("provenance", {}),
           "ex": {e["id"]: e for e in d["exercises"]}, "score": d["score"],
           "max_score": d["max_score"], "rc": rc, "s": s, "git": git}
    for e in exprs:
        try:
            okay = eval(e, env)
        except Exception as err:  # a KeyError is a failed check too
            okay, e = False, f"{e} ({type(err).__name__}: {err})"
        if not okay:
            print(f"false: {e}")
            print("verdicts:", {k: v["verdict"] for k, v in env["ex"].items()},
                  "score", d["score"], "rc", rc)
            print("integrity:", json.dumps(env["ig"]))
            print("provenance:", json.dumps(env["pv"]))
            return 1
    print("       integrity:", json.dumps(env["ig"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
