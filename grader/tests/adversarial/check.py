"""check.py: the assertions of the adversarial suite (run.sh calls it).

  check.py procs UID                 print the pids of UID, one a line
  check.py landlock                  print the kernel's Landlock ABI (0: none)
  check.py userns                    print 1 when this user may make a user
                                     and mount namespace with a tmpfs in it
  check.py prepare ATTACK WORKBOOK   drop 01_later from the fixture unless the
                                     attack could reach it (saves a build)
  check.py verify ATTACK DIR         check one attack's run; DIR holds what
                                     run.sh recorded (see run.sh)

verify prints one table row (tab-separated: attack, verdict of the attacked
test, wall seconds, leftover processes, points the attack gained in local
mode and in judge mode, status, notes) and exits 1 when an assertion
failed. Local mode is the student's own feedback: some attacks gain points
there (the table shows how many); judge mode must give none. Only the
standard library: run it with /usr/bin/python3.
"""

import ctypes
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Verdicts of 00_target's tests for each attack. Tests not named keep the
# honest expectation: a_before, c_after and d_say pass, e_wrong fails.
HONEST = {
    "target/a_before": {"passed"},
    "target/b_attack": {"passed"},
    "target/c_after": {"passed"},
    "target/d_say": {"passed"},
    "target/e_wrong": {"failed"},
}
NOT_PASSED = {"failed", "crashed", "timeout", "memory_limit"}
ATTACKED = {
    "control": {"target/b_attack": {"passed"}},
    "exit0": {"target/b_attack": {"failed"}},
    "underscore_exit": {"target/b_attack": {"failed"}},
    "execlp": {"target/b_attack": {"failed"}},
    "abort": {"target/b_attack": {"crashed"}},
    "segv": {"target/b_attack": {"crashed"}},
    "sigfpe": {"target/b_attack": {"crashed"}},
    "segv_default": {"target/b_attack": {"crashed"}},
    "loop": {"target/b_attack": {"timeout"}},
    "sleep": {"target/b_attack": {"timeout"}},
    # Forking is no cheat by itself: the check runs in both processes. It
    # must neither hang the grader nor leave a process behind.
    "fork": {"target/b_attack": NOT_PASSED | {"passed"}},
    "forkbomb": {"target/b_attack": NOT_PASSED},
    "daemon": {"target/b_attack": {"failed"}},
    "stdout_1g": {"target/b_attack": {"passed", "timeout"}},
    "stderr_1g": {"target/b_attack": {"passed", "timeout"}},
    "bigfile": {"target/b_attack": {"failed", "crashed"}},
    "mallocbomb": {"target/b_attack": {"memory_limit"}},
    "message": {"target/d_say": {"failed"}},
    "workflow": {"target/d_say": {"failed"}},
    "overwrite": {},
    "poison_graded": {},
    "replace_binary": {},
    "forge_report": {"target/b_attack": {"failed"}},
    "kill_all": {"target/b_attack": {"failed", "crashed"}},
    # The edited test file is never used: the pristine one (from git) runs
    # and fails, and the results name the edited file (check_integrity).
    "edit_test": {"target/b_attack": {"failed"}},
}
TAMPERED = {
    "reporthook": "ReportHook",
    "constructor": "constructor",
    "own_main": "main",
    "call_harness": "uses ll_test_end",
    "interpose": "defines write",
}
KNOWN_GAPS = {}
# Attacks on 00_target written as a determined student would (issue 23):
# what local mode gives them (feedback only: these may gain points there)
# and what judge mode must give.
ATTACKED.update({
    "harness_symtab": {"target/b_attack": {"passed", "failed", "tampered"}},
    "include_organizer": {},
    "read_organizer": {"target/b_attack": {"failed"}},
    "rm_outside": {"target/b_attack": {"passed"}},
    "shm_leftover": {"target/b_attack": {"passed"}},
    "poison_cache": {"target/b_attack": {"passed"}},
})
# 00_target is not graded at all (the whole exercise): the verdict and the
# words its message must hold, in both modes.
REJECTED = {
    "include_organizer": ("build_error", "solutions-private"),
    "symlink_folder": ("tampered", "link"),
}
# Attacks whose attack() answers honestly: b_attack's point is no gain.
HONEST_B = {"control", "fork", "stdout_1g", "stderr_1g", "message", "workflow",
            "overwrite", "poison_graded", "replace_binary", "rm_outside",
            "shm_leftover", "poison_cache", "symlink_folder"}
# The exercises an attack file replaces (attacks/NAME.<suffix>), their tests.
OTHER_FILES = {"gpu.cu": ("02_gpu", "gpu/scale"),
               "cl_scale.c": ("03_cl", "cl/scale"),
               "perf.c": ("04_perf", "perf/speed"),
               "counters.cu": ("05_counters", "counted/copy")}
# Honest submissions of the other exercises, written differently from the
# reference: every test of theirs must pass, in both modes.
HONEST_OTHER = {"control", "cl_output_host_ptr"}
# Exercises whose attacked test may pass in judge mode (a correct result),
# as long as it earns none of its performance points.
PERF_GRADED = {"04_perf", "05_counters"}
# Attacks judge mode rejects before any test runs: the exercise, its
# verdict and the words its message must hold.
REJECTED_IN_JUDGE = {
    "ctor_cuda": ("02_gpu", "build_error", "__attribute__"),
    "kernel_memset": ("05_counters", "build_error", "memset"),
}
# Attacks on a GPU exercise: why judge mode fails its test (words of the
# message), where the reason is certain.
JUDGE_SAYS = {
    "host_opencl_copy": ("03_cl", "written there by host code"),
    "host_opencl_decoy": ("03_cl", "were written by a kernel and copied back"),
    "host_cuda_decoy": ("02_gpu", "were written by a kernel and copied back"),
    "host_opencl_arg": ("03_cl", "written there by host code"),
    "cl_origin_forge": ("03_cl", "the result was not computed by a kernel"),
    "cl_record_forge": ("03_cl", "(forged)"),
    "cl_no_preload": ("03_cl", "nothing a kernel wrote was copied back"),
}
# Attacks that only the OpenCL device process (cltrack's, judge mode)
# stops: where the reference run got no device report (a cltrack that
# predates it), what they gain in judge mode is a known gap, not a failure.
NEEDS_CL_DEVICE = {"host_opencl_arg", "cl_origin_forge"}
# Attacks whose kernels judge mode's device process stops while they run:
# the exercise and the words its attacked test's message must hold.
STOPPED_IN_JUDGE = {
    "kernel_call_counts": ("05_counters", "indirect call"),
}
# What is printed of the organizer's files when read (never in results).
ORGANIZER_MARKERS = ("ORGANIZER-SECRET", "repositoryformatversion")
# Attacks that either fail (the sandbox stops them: the tests grade as
# usual) or are caught afterwards (00_target tampered, message naming it).
BLOCKED_OR_CAUGHT = {
    "replace_binary": "test program was changed",
}
# Attacks that aim at other exercises' results: 01_later stays in for them.
WITH_LATER = {"control", "overwrite", "poison_graded", "replace_binary", "forge_report",
              "own_main", "kill_all", "workflow"}
WORKFLOW_LINE = re.compile(r"^\s*(::[a-zA-Z-]+|##\[)", re.M)


def pids_of(uid):
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            if os.stat("/proc/" + name).st_uid == uid:
                out.append(int(name))
        except OSError:
            pass
    return out


def landlock_abi():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        # landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)
        abi = libc.syscall(444, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
        return max(abi, 0)
    except OSError:
        return 0


def userns_works():
    """Whether the calling user gets what the grader's ordinary-user runs
    ask for: a user namespace mapping it to itself, a mount namespace, a
    tmpfs on /tmp (tried in a child; as root, the mount namespace only)."""
    libc = ctypes.CDLL(None, use_errno=True)
    clone_newns, clone_newuser = 0x00020000, 0x10000000
    uid, gid = os.geteuid(), os.getegid()
    pid = os.fork()
    if pid == 0:
        ok = False
        try:
            flags = clone_newns | (clone_newuser if uid != 0 else 0)
            if libc.unshare(flags) == 0:
                if uid != 0:
                    for name, text in (("uid_map", "%d %d 1" % (uid, uid)),
                                       ("setgroups", "deny"),
                                       ("gid_map", "%d %d 1" % (gid, gid))):
                        with open("/proc/self/" + name, "w") as f:
                            f.write(text)
                ok = (libc.mount(b"none", b"/", None, 0x4000 | 0x40000, None) == 0
                      and libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None) == 0)
        except OSError:
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def read(path, limit=1 << 20):
    try:
        with open(path, "rb") as f:
            return f.read(limit)
    except OSError:
        return b""


def marker_processes(markers):
    """Live processes whose command line, environment, working directory or
    program carries a marker (the run's private folders: every process of
    an attack starts with them in HOME, TMPDIR and its working directory).
    Processes of other users are only visible here as root."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in (os.getpid(), os.getppid()):
            continue
        base = "/proc/" + name
        texts = [read(base + "/cmdline"), read(base + "/environ")]
        for link in ("cwd", "exe"):
            try:
                texts.append(os.readlink(base + "/" + link).encode())
            except OSError:
                pass
        blob = b"\0".join(texts).decode("utf-8", "replace")
        if any(m and m in blob for m in markers):
            comm = read(base + "/comm").decode("utf-8", "replace").strip()
            found.append("%s(%s)" % (name, comm))
    return found


class Verify:
    def __init__(self, attack, d):
        self.attack, self.d = attack, d
        self.errors, self.notes = [], []
        self.env = dict(
            line.split("=", 1)
            for line in read(os.path.join(d, "info")).decode().splitlines()
            if "=" in line
        )

    def fail(self, msg):
        self.errors.append(msg)

    def unprotected(self):
        """Student code runs as the grader's own user with no Landlock: the
        grader's files and CI's files are within its reach (see README)."""
        return self.env["MODE"] == "user" and self.env.get("LANDLOCK") == "0"

    def fail_or_gap(self, msg):
        if self.unprotected():
            self.notes.append("KNOWN GAP (same user, no Landlock): " + msg)
        else:
            self.fail(msg)

    def load_json(self, name):
        raw = read(os.path.join(self.d, name), 64 << 20)
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            self.fail("%s is not valid JSON (%s): %r" % (name, e, raw[:200]))
            return None
        if not isinstance(doc, dict) or doc.get("schema") != "llmlings-results/1":
            self.fail("%s is not a results document: %r" % (name, raw[:200]))
            return None
        return doc

    def exercises(self, doc):
        return {e["id"]: e for e in doc.get("exercises", [])}

    def check_grade(self, doc, label):
        ex = self.exercises(doc)
        target, later = ex.get("00_target"), ex.get("01_later")
        if target is None or (later is None and self.attack in WITH_LATER):
            self.fail("%s: exercises missing: %s" % (label, sorted(ex)))
            return "?"
        if later is None:
            pass
        elif later["verdict"] != "failed" or later["score"] != 0:
            self.fail("%s: 01_later is %s with %s points (must stay failed)"
                      % (label, later["verdict"], later["score"]))
        if later and any(t["verdict"] != "failed" for t in later.get("tests", [])):
            self.fail("%s: 01_later tests: %s" % (label, later.get("tests")))
        tests = {t["name"]: t for t in target.get("tests", [])}
        if self.attack in REJECTED:
            verdict, word = REJECTED[self.attack]
            said = (target.get("message") or "") + (target.get("build_log") or "")
            if target["verdict"] != verdict or word not in said:
                self.fail("%s: 00_target is %s (%r), expected %s naming %r"
                          % (label, target["verdict"], target.get("message"),
                             verdict, word))
            if target["score"] != 0:
                self.fail("%s: 00_target scored %s" % (label, target["score"]))
            return target["verdict"]
        caught = BLOCKED_OR_CAUGHT.get(self.attack)
        if caught and target["verdict"] == "tampered":
            if caught not in (target.get("message") or "") or target["score"] != 0:
                self.fail("%s: tampered, but %r / score %s" % (
                    label, target.get("message"), target["score"]))
            self.notes.append("caught after the fact" + (": " + caught if caught else ""))
            return "tampered"
        if self.attack in TAMPERED:
            what = TAMPERED[self.attack]
            msg = target.get("message") or ""
            if target["verdict"] != "tampered":
                self.fail("%s: 00_target is %s, expected tampered"
                          % (label, target["verdict"]))
            elif what not in msg:
                self.fail("%s: the tampered message does not name %r: %r"
                          % (label, what, msg))
            if target["score"] != 0:
                self.fail("%s: a tampered exercise scored %s"
                          % (label, target["score"]))
            bad = [n for n, t in tests.items() if t["verdict"] == "passed"]
            if bad:
                self.fail("%s: tests passed although tampered: %s" % (label, bad))
            return "tampered"
        want = dict(HONEST)
        want.update(ATTACKED.get(self.attack, {}))
        if set(tests) != set(want):
            self.fail("%s: tests %s, expected %s" % (label, sorted(tests), sorted(want)))
        for name, allowed in want.items():
            got = tests.get(name, {}).get("verdict")
            if got in allowed:
                continue
            if self.attack in KNOWN_GAPS and name == "target/b_attack":
                self.notes.append("KNOWN GAP: %s is %s (%s)"
                                  % (name, got, KNOWN_GAPS[self.attack]))
                continue
            self.fail("%s: %s is %s, expected %s (message: %r)"
                      % (label, name, got, "/".join(sorted(allowed)),
                         tests.get(name, {}).get("message")))
        passed = sum(1 for t in tests.values() if t["verdict"] == "passed")
        if target["score"] > target["max_score"] or (passed < len(tests) and
                                                      target["verdict"] == "passed"):
            self.fail("%s: 00_target score %s/%s verdict %s"
                      % (label, target["score"], target["max_score"],
                         target["verdict"]))
        attacked = next(iter(ATTACKED.get(self.attack) or {"target/b_attack": 0}))
        return tests.get(attacked, {}).get("verdict", "?")

    # ---- judge mode ---------------------------------------------------------

    def attacked_files(self):
        """{exercise: test} of the other exercises this attack submits to."""
        out = {}
        for suffix, (ex, test) in OTHER_FILES.items():
            if os.path.exists(os.path.join(HERE, "attacks", self.attack + "." + suffix)):
                out[ex] = test
        return out

    def cheat_tests(self):
        """Tests whose points the attack's honest work does not earn."""
        cheat = {"target/e_wrong", "later/mul"}
        own = os.path.exists(os.path.join(HERE, "attacks", self.attack + ".c"))
        if own and self.attack not in HONEST_B:
            cheat.add("target/b_attack")
        if self.attack not in HONEST_OTHER:
            cheat |= set(self.attacked_files().values())
        return cheat

    def gained(self, doc):
        total = 0.0
        for e in doc.get("exercises", []):
            for t in e.get("tests", []):
                if t["name"] not in self.cheat_tests():
                    continue
                total += t.get("score", 0) or 0
        return total

    def cl_device_reported(self):
        """Whether the reference runs of 03_cl got a device report (the
        judge's cached N.device files are not empty)."""
        found = glob.glob(os.path.join(self.env.get("JSTATE_DIR", "/nonexistent"),
                                       "judge", "03_cl", "*", "*.device"))
        return any(os.path.getsize(f) > 0 for f in found)

    def check_judge(self, doc, label):
        fail = self.fail
        if self.attack in NEEDS_CL_DEVICE and not self.cl_device_reported():
            def fail(msg):
                gap = "KNOWN GAP (no OpenCL device process): "
                if not any(n.startswith(gap) for n in self.notes):
                    self.notes.append(gap + msg)
        if (doc.get("trust") or {}).get("mode") != "judge":
            self.fail("%s: not graded in judge mode: %r" % (label, doc.get("trust")))
        ex = self.exercises(doc)
        target = ex.get("00_target")
        if target is None:
            self.fail("%s: 00_target missing" % label)
            return
        if self.attack in REJECTED:
            self.check_grade(doc, label)
        elif target["verdict"] not in ("tampered", "build_error"):
            tests = {t["name"]: t for t in target.get("tests", [])}
            want = dict(HONEST)
            want.update(ATTACKED.get(self.attack, {}))
            for name, allowed in want.items():
                got = tests.get(name, {}).get("verdict")
                if name in self.cheat_tests():
                    if got == "passed":
                        fail("%s: %s passed (message: %r)" % (
                            label, name, tests[name].get("message")))
                elif got not in allowed and not (
                        name == "target/b_attack" and got in NOT_PASSED):
                    self.fail("%s: %s is %s, expected %s (message: %r)" % (
                        label, name, got, "/".join(sorted(allowed)),
                        tests.get(name, {}).get("message")))
        for name, e in ex.items():
            if name == "00_target" or name in self.attacked_files():
                continue
            if name == "01_later" and e["score"] != 0:
                self.fail("%s: 01_later scored %s" % (label, e["score"]))
        for name, test in self.attacked_files().items():
            e = ex.get(name)
            if e is None:
                self.fail("%s: %s missing" % (label, name))
                continue
            for t in e.get("tests", []):
                if self.attack in HONEST_OTHER and t["verdict"] != "passed":
                    self.fail("%s: the honest %s is %s: %r" % (
                        label, t["name"], t["verdict"], t.get("message")))
                elif (self.attack not in HONEST_OTHER and t["verdict"] == "passed" and
                      name not in PERF_GRADED):
                    fail("%s: %s passed: %r" % (label, t["name"], t.get("message")))
        if self.attack in JUDGE_SAYS:
            name, word = JUDGE_SAYS[self.attack]
            said = [t.get("message") or "" for t in
                    (ex.get(name) or {}).get("tests", [])]
            if not any(word in m for m in said):
                fail("%s: %s's messages %r do not say %r" % (
                    label, name, said, word))
        if self.attack in REJECTED_IN_JUDGE:
            name, verdict, word = REJECTED_IN_JUDGE[self.attack]
            e = ex.get(name) or {}
            if e.get("verdict") != verdict or word not in (e.get("message") or ""):
                self.fail("%s: %s is %s (%r), expected %s naming %r" % (
                    label, name, e.get("verdict"), e.get("message"), verdict, word))
        if self.attack in STOPPED_IN_JUDGE:
            name, word = STOPPED_IN_JUDGE[self.attack]
            said = [t.get("message") or "" for t in (ex.get(name) or {}).get("tests", [])]
            if not any(word in m for m in said):
                self.fail("%s: no test of %s says %r: %r" % (label, name, word, said))
        gained = self.gained(doc)
        if gained > 0:
            fail("%s: the attack gained %.2f points in judge mode" % (label, gained))
        return gained

    def check_poison(self):
        again = self.load_json("judge2.json")
        if again is not None:
            self.check_judge(again, "judge, next grading with the same seed")
        rc = int(self.env.get("JRC_NOLANDLOCK", "-1"))
        if self.env["MODE"] == "root":
            nol = self.load_json("judge_nolandlock.json")
            if rc not in (0, 1):
                self.fail("judge without Landlock as root: exit %d" % rc)
            elif nol is not None:
                self.check_judge(nol, "judge without Landlock (as root)")
        elif rc != 2:
            self.fail("judge without Landlock as the same user must refuse "
                      "(exit 2), got exit %d" % rc)

    def check_organizer_text(self):
        for path in glob.glob(os.path.join(self.d, "*")):
            if os.path.isdir(path) or os.path.basename(path) == "info":
                continue
            text = read(path, 64 << 20).decode("utf-8", "replace")
            for m in ORGANIZER_MARKERS:
                if m in text:
                    self.fail("%s holds the organizer's files (%s)"
                              % (os.path.basename(path), m))

    def private_tmp(self):
        """How the grader must have given each run its own /tmp: as root, in
        a user namespace where this user may make one, else not at all."""
        if self.env["MODE"] == "root":
            return "root" if self.env.get("USERNS") == "1" else "none"
        return "user_namespace" if self.env.get("USERNS") == "1" else "none"

    def check_private_tmp(self, doc, label):
        got = (doc.get("trust") or {}).get("private_tmp")
        if got != self.private_tmp():
            self.fail("%s: trust.private_tmp is %r, expected %r"
                      % (label, got, self.private_tmp()))

    def check_victims(self):
        for v in self.env.get("VICTIMS", "").split(":"):
            if not v or os.path.exists(v):
                continue
            msg = "%s (outside the scratch folder) was removed" % v
            if self.env["MODE"] == "user" and v.startswith("/tmp/") and \
                    self.private_tmp() == "none":
                # Criterion 2.4.1 removes its socket at a fixed path in /tmp,
                # so Landlock must let a test remove files there; only a
                # private /tmp (root, or a user namespace) keeps the user's
                # own files out of reach (grader/README.md, Judge mode)
                self.notes.append("KNOWN GAP (same user, /tmp, no user "
                                  "namespace): " + msg)
            else:
                self.fail_or_gap(msg)
        left = (glob.glob("/dev/shm/llmlings-adv-leftover-*") +
                glob.glob("/tmp/llmlings-adv-leftover-*") +
                glob.glob("/dev/shm/llmlings-adv-leftover-shm"))
        for f in left:
            try:
                os.unlink(f)
            except OSError:
                pass
        if left:
            self.fail_or_gap("left behind after the run: %s" % ", ".join(left))

    def check_outputs(self):
        for name in ("stdout", "stderr", "check.stdout", "check.stderr"):
            text = read(os.path.join(self.d, name)).decode("utf-8", "replace")
            m = WORKFLOW_LINE.search(text)
            if m:
                self.fail("the grader's %s carries a workflow command: %r"
                          % (name, text[m.start():m.start() + 60]))
            if "\x1b[2J" in text:
                self.fail("the grader's %s carries the student's escape "
                          "sequence" % name)
        for key in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
            path = self.env.get(key)
            if path and read(path):
                self.fail_or_gap("%s was written: %r" % (key, read(path)[:80]))

    def check_integrity(self, doc):
        ig = doc.get("integrity") or {}
        want = "exercises/00_target/test_target.c"
        if ig.get("modified") != [want] or ig.get("ok") is not False:
            self.fail("integrity block does not name the edited test: %r" % ig)

    def check_message(self, doc):
        t = {x["name"]: x for x in self.exercises(doc)["00_target"]["tests"]}
        say = t.get("target/d_say", {})
        msg, out = say.get("message") or "", say.get("output") or ""
        if "q\"uote \\back\\" not in msg or "\ufffd" not in msg:
            self.fail("d_say message lost or not sanitized: %r" % msg)
        if any(ord(c) < 0x20 and c not in "\n\t" for c in msg + out):
            self.fail("control bytes reached the results: %r" % msg)

    def check_leftovers(self):
        alive = []
        if self.env["MODE"] == "user":
            # The run user is ours alone: anything new of it is a leftover.
            # (As root the student code runs as nobody, which other graders
            # on the machine may use as well: markers only.)
            uid = int(self.env["RUN_UID"])
            before = set(int(p) for p in
                         read(os.path.join(self.d, "procs.before")).decode().split())
            me = {os.getpid(), os.getppid()}
            for p in pids_of(uid):
                if p in before or p in me:
                    continue
                comm = read("/proc/%d/comm" % p).decode("utf-8", "replace").strip()
                if comm:
                    alive.append("%d(%s)" % (p, comm))
        alive += marker_processes([self.env["WORKBOOK"], self.env["BUILD_DIR"],
                                   self.env["STATE_DIR"],
                                   self.env.get("JSTATE_DIR", ""),
                                   self.env.get("JBUILD_DIR", "")])
        alive = sorted(set(alive))
        if alive:
            self.fail("processes left alive: %s" % ", ".join(alive))
        return len(alive)

    def check_files(self):
        # No core files anywhere the run could write, no escaped big file.
        for root in (self.env["WORKBOOK"], self.env["STATE_DIR"],
                     self.env.get("BUILD_DIR", "")):
            for dirpath, _, files in os.walk(root or "/nonexistent"):
                for f in files:
                    if f == "core" or f.startswith("core."):
                        self.fail("core file %s" % os.path.join(dirpath, f))
        big = "/tmp/llmlings-adversarial-bigfile"
        if os.path.exists(big):
            size = os.path.getsize(big)
            try:
                os.unlink(big)
            except OSError:
                pass
            msg = "%s was written (%d MB) outside the test's folder" % (
                big, size >> 20)
            if int(self.env.get("LANDLOCK", "0")) > 0:
                self.fail(msg)
            else:
                self.notes.append("no Landlock here: " + msg)

    def run(self):
        rc = int(self.env.get("RC", "-1"))
        wall = float(self.env.get("WALL", "0"))
        bound = float(self.env["BOUND"])
        if rc not in (0, 1):
            if self.attack == "overwrite" and rc == 3:
                self.fail_or_gap("the --json path was made a folder, the grader "
                                 "could not write it (exit 3)")
                if self.unprotected():
                    return self.report("?", wall, self.check_leftovers())
            self.fail("grader exit status %d (expected 0 or 1)" % rc)
        if wall > bound:
            self.fail("grader took %.1f s, bound %.0f s" % (wall, bound))
        verdict = "?"
        doc = self.load_json("results.json")
        if doc is not None:
            verdict = self.check_grade(doc, "grade")
            self.check_private_tmp(doc, "grade")
            if self.attack == "message":
                self.check_message(doc)
            if doc.get("forged"):
                self.fail("the forged results document survived")
            if self.attack == "edit_test":
                self.check_integrity(doc)
        if self.attack == "overwrite":
            again = self.load_json("results2.json")
            if again is not None:
                self.check_grade(again, "second grade (cache)")
        local = self.gained(doc) if doc is not None else 0.0
        judge = self.run_judge()
        self.check_outputs()
        self.check_organizer_text()
        self.check_victims()
        leftovers = self.check_leftovers()
        self.check_files()
        return self.report(verdict, wall, leftovers, local, judge)

    def run_judge(self):
        rc = int(self.env.get("JRC", "-1"))
        if self.unprotected():
            if rc != 2:
                self.fail("judge mode ran student code as the organizer's user "
                          "without Landlock (exit %d, expected 2)" % rc)
            return "-"
        if rc not in (0, 1):
            self.fail("judge mode: grader exit status %d (expected 0 or 1): %s"
                      % (rc, read(os.path.join(self.d, "judge.stderr"))[:300]))
            return "?"
        if float(self.env.get("JWALL", "0")) > float(self.env["BOUND"]):
            self.fail("judge mode took %s s, bound %s s"
                      % (self.env.get("JWALL"), self.env["BOUND"]))
        doc = self.load_json("judge.json")
        if doc is None:
            return "?"
        gained = self.check_judge(doc, "judge")
        self.check_private_tmp(doc, "judge")
        if self.attack == "poison_cache":
            self.check_poison()
        return "%.2g" % gained if gained else "0"

    def report(self, verdict, wall, leftovers, local=0.0, judge="?"):
        gap = any(n.startswith("KNOWN GAP") for n in self.notes)
        status = "FAIL" if self.errors else ("gap" if gap else "ok")
        print("%s\t%s\t%.1f\t%d\t%s\t%s\t%s\t%s" % (
            self.attack, verdict, wall, leftovers,
            "%.2g" % local if local else "0", judge, status,
            "; ".join(self.errors + self.notes)))
        return 1 if self.errors else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "procs":
        print("\n".join(str(p) for p in pids_of(int(argv[2]))))
        return 0
    if len(argv) >= 2 and argv[1] == "landlock":
        print(landlock_abi())
        return 0
    if len(argv) >= 2 and argv[1] == "userns":
        print(1 if userns_works() else 0)
        return 0
    if len(argv) == 4 and argv[1] == "prepare":
        keep = {"00_target"}
        if argv[2] in WITH_LATER:
            keep.add("01_later")
        for suffix, (ex, _) in OTHER_FILES.items():
            if os.path.exists(os.path.join(HERE, "attacks", argv[2] + "." + suffix)):
                keep.add(ex)
        path = os.path.join(argv[3], "exercises", "manifest.json")
        with open(path) as f:
            m = json.load(f)
        m["exercises"] = [e for e in m["exercises"] if e["id"] in keep]
        with open(path, "w") as f:
            json.dump(m, f, indent=2)
        for gone in {"01_later", "02_gpu", "03_cl", "04_perf", "05_counters"} - keep:
            for top in ("exercises", "solutions-private"):
                d = os.path.join(argv[3], top, gone)
                for f in glob.glob(d + "/*"):
                    os.unlink(f)
                if os.path.isdir(d):
                    os.rmdir(d)
        return 0
    if len(argv) == 4 and argv[1] == "verify":
        return Verify(argv[2], argv[3]).run()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
