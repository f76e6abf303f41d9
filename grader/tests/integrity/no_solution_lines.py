"""no_solution_lines.py: proves a student template export holds no line of
any reference solution.

    no_solution_lines.py REPO EXPORT

A "line" here is one line of a file in REPO/solutions-private (tracked by
git), without a trailing comment, blanks collapsed. It counts as a solution line
unless it is trivial or already public:
  - trivial: blank; punctuation only (braces, ");", "};"); a comment line
    (//, /*, *, */); a preprocessor line (#include, #if..., #endif,
    #pragma); shorter than 16 characters once inner spaces are removed
    ("return 0;", "i++;", "} else {"); or an idiom any C/CUDA file may
    hold: zeroing a struct (memset(p, 0, sizeof *p);), taking a length
    (size_t n = strlen(s);), a call without arguments (__syncthreads();),
    returning one name (return cudaErrorInvalidValue;)
  - public: it also occurs in some file below REPO/exercises (the starter
    carries the same signatures, the header the same declarations, the
    tests the same constants).
Every text file of EXPORT is then read line by line (stripped the same
way); any solution line found is a leak. Exits 1 listing the leaks."""
import os
import re
import subprocess
import sys

IDIOMS = re.compile(r"^(memset\((\w+), 0, sizeof \*\2\);"
                    r"|size_t \w+ = strlen\(\w+\);"
                    r"|\w+\(\);"          # __syncthreads();
                    r"|return \w+;)$")    # return cudaErrorInvalidValue;
MIN_CHARS = int(os.environ.get("MIN_CHARS", "16"))
PREPROC = re.compile(r"^#\s*(include|if|ifdef|ifndef|else|elif|endif|pragma)\b")


def lines_of(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return []
    if b"\0" in data[:4096]:
        return []  # binary
    return [normal(l) for l in data.decode("utf-8", "replace").splitlines()]


def normal(line):
    """A line without a trailing comment, with runs of blanks made one."""
    line = re.sub(r"\s*(//.*|/\*.*?\*/)\s*$", "", line)
    return " ".join(line.split())


def trivial(line):
    if not line or not re.search(r"[A-Za-z0-9]", line):
        return True
    if line.startswith(("//", "/*", "*", "*/")) or PREPROC.match(line):
        return True
    if IDIOMS.match(line):
        return True
    return len(re.sub(r"\s", "", line)) < MIN_CHARS


def tracked(repo, where):
    out = subprocess.run(["git", "-C", repo, "ls-files", "-z", where],
                         capture_output=True, check=True).stdout
    return [os.path.join(repo, p) for p in out.decode().split("\0") if p]


def main():
    repo, export = sys.argv[1], sys.argv[2]
    public = set()
    for p in tracked(repo, "exercises"):
        public.update(lines_of(p))
    secret = {}
    for p in tracked(repo, "solutions-private"):
        for l in lines_of(p):
            if not trivial(l) and l not in public:
                secret.setdefault(l, os.path.relpath(p, repo))
    if not secret:
        print("no solution lines to look for (is solutions-private/ empty?)")
        return 1
    leaks, files = [], 0
    for d, dirs, names in os.walk(export):
        dirs[:] = [x for x in dirs if x != ".git"]
        for n in names:
            p = os.path.join(d, n)
            files += 1
            for i, l in enumerate(lines_of(p), 1):
                if l in secret:
                    leaks.append(f"{os.path.relpath(p, export)}:{i}: {l!r} "
                                 f"(from {secret[l]})")
    if leaks:
        print(f"{len(leaks)} solution line(s) in the export:")
        print("\n".join(leaks[:30]))
        return 1
    print(f"none of {len(secret)} solution lines appears in the "
          f"{files} exported files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
