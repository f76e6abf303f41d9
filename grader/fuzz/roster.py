#!/usr/bin/python3
"""roster.py: the roster check (grader/scripts/ci.sh matrix) on hostile
rosters. The roster parser is bash, so this is its fuzz target instead of a
libFuzzer one:

    roster.py replay FILE...        each roster once (make test)
    roster.py fuzz SECONDS CORPUS   mutated rosters for SECONDS; prints runs
                                    and runs per second (make fuzz)

Each run must end within 30 s with exit 0 (then GITHUB_OUTPUT holds
students=N, shards=M and a matrix that parses as JSON) or 1 (then nothing
was written and every error names its line), and no line may execute
anything: the rosters are seeded with commands that would create a canary
file. A failing roster is kept in build/fuzz-crashes/roster-*."""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CI = os.path.join(HERE, "..", "scripts", "ci.sh")
CRASHES = os.path.join(HERE, "..", "build", "fuzz-crashes")


def check(roster: bytes, tmp: str) -> str:
    """Runs the check on roster; returns "" or what went wrong."""
    path = os.path.join(tmp, "roster.txt")
    out = os.path.join(tmp, "out.txt")
    canary = os.path.join(tmp, "canary")
    for p in (out, canary):
        if os.path.exists(p):
            os.remove(p)
    roster = roster.replace(b"@CANARY@", canary.encode())
    with open(path, "wb") as f:
        f.write(roster)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update(ROSTER=path, GITHUB_OUTPUT=out, LC_ALL="C")
    try:
        r = subprocess.run(["bash", CI, "matrix"], env=env, cwd=tmp,
                           capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "no answer within 30 s"
    err = r.stderr.decode("utf-8", "replace")
    if os.path.exists(canary):
        return "a roster line executed a command"
    if r.returncode == 1:
        if os.path.exists(out) and os.path.getsize(out) > 0:
            return "exit 1 but the matrix was written"
        if "error" not in err and "limit" not in err:
            return "exit 1 without saying why: " + err[-300:]
        return ""
    if r.returncode != 0:
        return f"exit {r.returncode}: {err[-300:]}"
    lines = dict(l.split("=", 1) for l in open(out).read().splitlines())
    try:
        n, shards = int(lines["students"]), int(lines["shards"])
        matrix = json.loads(lines["matrix"])
    except (KeyError, ValueError) as e:
        return f"bad matrix output ({e})"
    if len(matrix["shard"]) != shards or shards > max(n, 0) or shards > 256:
        return "matrix does not match the counts"
    return ""


TOKENS = [b"fd::0", b"ext::sh -c touch% @CANARY@", b"$(touch @CANARY@)",
          b"`touch @CANARY@`", b";touch @CANARY@", b"--upload-pack=touch",
          b"https://github.com/a/b", b"git@github.com:a/b.git", b"\r", b"\0",
          b"\t", b" ", b"#", b"\n", b"-", b"..", b"/tmp/x", b"file:///x",
          b"http://localhost/x", b"ssh://u:p@h/x", b"https://u@h/x",
          b"\xff\xfe", b"\x1b[2J", b"A" * 70, b"x" * 1100, b"*", b"?", b"~"]


def mutate(rng: random.Random, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(4)
        at = rng.randint(0, len(data))
        if op == 0:
            data[at:at] = rng.choice(TOKENS)
        elif op == 1 and data:
            del data[at:at + rng.randint(1, 16)]
        elif op == 2:
            data[at:at] = bytes([rng.randrange(256)])
        else:
            name = b"s%d" % rng.randrange(100)
            data[at:at] = b"\n" + name + b" " + rng.choice(TOKENS) + b"\n"
    return bytes(data)


def keep(roster: bytes, why: str) -> None:
    os.makedirs(CRASHES, exist_ok=True)
    path = os.path.join(CRASHES, "roster-%d.txt" % int(time.time() * 1000))
    with open(path, "wb") as f:
        f.write(roster)
    print(f"roster: {why}; kept as {path}")


def main() -> int:
    mode, args = sys.argv[1], sys.argv[2:]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        if mode == "replay":
            for path in args:
                why = check(open(path, "rb").read(), tmp)
                if why:
                    print(f"roster: {path}: {why}")
                    failed += 1
            print("  %-28s %d inputs replayed" % ("roster (ci.sh matrix)", len(args)))
            return 1 if failed else 0
        seconds, corpus = float(args[0]), args[1]
        seeds = [open(os.path.join(corpus, f), "rb").read()
                 for f in sorted(os.listdir(corpus))]
        rng = random.Random(int(os.environ.get("FUZZ_SEED", time.time())))
        start, runs = time.monotonic(), 0
        while time.monotonic() - start < seconds:
            roster = mutate(rng, rng.choice(seeds))
            why = check(roster, tmp)
            runs += 1
            if why:
                keep(roster, why)
                failed += 1
        took = time.monotonic() - start
        print("stat::number_of_executed_units: %d" % runs)
        print("stat::average_exec_per_sec: %d" % round(runs / took))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
