#!/usr/bin/env python3
"""local_runner.py: runs a GitHub Actions workflow of this repository on
this machine, job after job in the order of their `needs`, with each job's
and each step's `if:` evaluated as the runner does (gha_expr.py), matrix
legs one after another, `run:` steps through bash (-eo pipefail, as
GitHub's default shell) with GITHUB_OUTPUT / GITHUB_STEP_SUMMARY /
GITHUB_ENV files, and the actions this project uses replaced by local
equivalents:

  actions/checkout            each job starts on a fresh copy of the
                              workspace (its checkout), as on GitHub
  actions/cache[/restore]     a folder per key (restore; save at job end)
  actions/upload-artifact     a folder per artifact; a name used twice is an
                              error (as in v4); files lose their modes (v4)
  actions/download-artifact   by name, or by pattern into one folder each,
                              or merged (merge-multiple), where a file
                              written twice is reported as an overwrite
  actions/configure-pages     outputs base_url (--pages-url)
  actions/upload-pages-artifact, actions/deploy-pages
                              the site is copied to --pages-dir

  local_runner.py WORKFLOW --workspace DIR --state DIR --report FILE
      [--event push] [--secret K=V]... [--var K=V]... [--github K=V]...
      [--pages-url URL --pages-dir DIR]

The report (JSON) lists each job's result, outputs, matrix legs and steps
(name, outcome, conclusion, exit code), the artifacts and any overwrite.
Exit status 0 when the workflow ran to its end (whatever its jobs' results),
2 when the workflow cannot be run (an unknown action, a bad expression).
"""
import argparse
import fnmatch
import glob
import hashlib
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gha_expr as gx  # noqa: E402


class WorkflowError(Exception):
    pass


def kv_list(items):
    out = {}
    for item in items or []:
        k, _, v = item.partition("=")
        out[k] = v
    return out


def read_file_commands(path):
    """GITHUB_OUTPUT / GITHUB_ENV syntax: NAME=VALUE or NAME<<DELIM...DELIM."""
    out = {}
    if not os.path.exists(path):
        return out
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        m = re.match(r"^([^=<]+)<<(.+)$", line)
        if m:
            name, delim, value = m.group(1), m.group(2), []
            while i < len(lines) and lines[i] != delim:
                value.append(lines[i])
                i += 1
            i += 1
            out[name] = "\n".join(value)
        elif "=" in line:
            k, _, v = line.partition("=")
            out[k] = v
        else:
            raise WorkflowError("malformed line in %s: %r" % (path, line))
    return out


class Runner:
    def __init__(self, args):
        self.wf_path = args.workflow
        self.wf = yaml.load(open(args.workflow), Loader=yaml.BaseLoader)
        self.origin = os.path.abspath(args.workspace)
        self.ws = self.origin
        self.leg_count = 0
        self.state = os.path.abspath(args.state)
        self.secrets = kv_list(args.secret)
        self.vars = kv_list(args.var)
        self.github = {
            "event_name": args.event, "repository": "course/llmlings",
            "repository_owner": "course", "sha": "0" * 40,
            "ref": "refs/heads/main", "ref_name": "main", "actor": "organizer",
            "run_id": "1", "run_attempt": "1", "workspace": self.ws,
            "server_url": "https://github.com", "event": {},
        }
        self.github.update(kv_list(args.github))
        self.pages_url = args.pages_url
        self.pages_dir = args.pages_dir
        self.artifacts = os.path.join(self.state, "artifacts")
        self.caches = os.path.join(self.state, "caches")
        for d in (self.artifacts, self.caches):
            os.makedirs(d, exist_ok=True)
        self.report = {"workflow": os.path.basename(args.workflow), "jobs": {},
                       "order": [], "overwrites": [], "artifacts": [],
                       "pages_deployed": False}
        self.jobs = {}  # id -> {"result", "outputs"}

    # ---- expressions ---------------------------------------------------------

    def hash_files(self, patterns):
        h = hashlib.sha256()
        files = sorted({f for p in patterns for f in glob.glob(os.path.join(self.ws, p), recursive=True)
                        if os.path.isfile(f)})
        if not files:
            return ""
        for f in files:
            h.update(hashlib.sha256(open(f, "rb").read()).digest())
        return h.hexdigest()

    def evaluator(self, ctx, status=None):
        return gx.Evaluator(ctx, status, self.hash_files)

    def sub(self, value, ctx, status=None):
        """${{ }} inside a value (strings, lists and maps of them)."""
        if isinstance(value, str):
            return gx.substitute(value, self.evaluator(ctx, status))
        if isinstance(value, list):
            return [self.sub(v, ctx, status) for v in value]
        if isinstance(value, dict):
            return {k: self.sub(v, ctx, status) for k, v in value.items()}
        return value

    def condition(self, cond, ctx, status):
        src = gx.condition_source(cond if cond is not None else "success()")
        if not gx.uses_status_function(src):
            src = "success() && (%s)" % src
        return gx.truthy(self.evaluator(ctx, status).eval(gx.parse(src)))

    # ---- jobs ----------------------------------------------------------------

    def job_order(self):
        jobs = self.wf["jobs"]
        order, done = [], set()
        while len(order) < len(jobs):
            ready = [j for j in jobs if j not in done and all(n in done for n in self.needs_of(j))]
            if not ready:
                raise WorkflowError("a cycle in needs: %s" % sorted(set(jobs) - done))
            for j in ready:
                order.append(j)
                done.add(j)
        return order

    def needs_of(self, job):
        n = self.wf["jobs"][job].get("needs", [])
        return [n] if isinstance(n, str) else list(n)

    def run(self):
        for job in self.job_order():
            self.run_job(job)
        return self.report

    def base_ctx(self, job):
        needs = {n: {"result": self.jobs[n]["result"], "outputs": self.jobs[n]["outputs"]}
                 for n in self.needs_of(job)}
        return {"github": gx.to_value(self.github), "vars": dict(self.vars),
                "secrets": dict(self.secrets), "needs": needs, "inputs": {},
                "runner": {"os": "Linux", "arch": "X64", "temp": os.path.join(self.state, "tmp")},
                "env": {}, "matrix": {}, "strategy": {}, "job": {}, "steps": {}}

    def run_job(self, job):
        spec = self.wf["jobs"][job]
        ctx = self.base_ctx(job)
        needs = self.needs_of(job)
        results = [self.jobs[n]["result"] for n in needs]
        status = {"always": True, "cancelled": False,
                  "failure": any(r == "failure" for r in results),
                  "success": all(r == "success" for r in results)}
        rep = {"needs": needs, "if": spec.get("if"), "legs": [], "outputs": {}}
        self.report["jobs"][job] = rep
        self.report["order"].append(job)
        if not self.condition(spec.get("if"), ctx, status):
            rep["result"] = "skipped"
            self.jobs[job] = {"result": "skipped", "outputs": {}}
            print("== job %s: skipped (if: %s)" % (job, spec.get("if", "success()")), flush=True)
            return
        legs = self.matrix_legs(spec, ctx)
        outputs, leg_results = {}, []
        for leg in legs:
            res, outs = self.run_leg(job, spec, ctx, leg, rep)
            leg_results.append(res)
            outputs.update({k: v for k, v in outs.items() if v != ""})
        result = "failure" if "failure" in leg_results else "success"
        rep["result"] = result
        rep["outputs"] = outputs
        self.jobs[job] = {"result": result, "outputs": outputs}

    def matrix_legs(self, spec, ctx):
        strategy = spec.get("strategy") or {}
        matrix = strategy.get("matrix")
        if matrix is None:
            return [None]
        if isinstance(matrix, str):
            matrix = self.evaluator(ctx).eval(gx.parse(gx.condition_source(matrix)))
        else:
            matrix = {k: [gx.to_value(yaml.safe_load(x)) if isinstance(x, str) else x for x in v]
                      if isinstance(v, list) else self.sub(v, ctx) for k, v in matrix.items()}
        if not isinstance(matrix, dict):
            raise WorkflowError("matrix is not a map: %r" % (matrix,))
        keys = [k for k in matrix if k not in ("include", "exclude")]
        combos = [dict(zip(keys, vals)) for vals in itertools.product(*(matrix[k] for k in keys))]
        if not keys or any(len(matrix[k]) == 0 for k in keys):
            raise WorkflowError("an empty matrix (GitHub refuses it): %r" % (matrix,))
        return combos

    def fresh_workspace(self, job):
        """Each job (and each matrix leg) starts on a machine of its own
        with a fresh checkout: a copy of the workspace as it was given."""
        self.leg_count += 1
        ws = os.path.join(self.state, "ws-%d-%s" % (self.leg_count, job))
        shutil.copytree(self.origin, ws, symlinks=True)
        self.ws = ws
        self.github["workspace"] = ws

    def run_leg(self, job, spec, base, leg, rep):
        self.fresh_workspace(job)
        base = dict(base, github=gx.to_value(self.github))
        ctx = dict(base)
        ctx["matrix"] = leg or {}
        ctx["steps"] = {}
        label = job + ("" if leg is None else " " + json.dumps(leg))
        print("== job %s" % label, flush=True)
        env = {}
        for scope in (self.wf.get("env") or {}, spec.get("env") or {}):
            ctx["env"] = dict(env)
            env.update(self.sub(scope, ctx))
        leg_rep = {"matrix": leg, "steps": [], "summary": ""}
        rep["legs"].append(leg_rep)
        tmp = tempfile.mkdtemp(dir=self.state, prefix="job-")
        failed = False
        post = []  # cache saves
        job_env_file = {}
        timeout = float(spec.get("timeout-minutes", 360)) * 60
        for i, step in enumerate(spec["steps"]):
            sid = step.get("id") or "__step%d" % i
            ctx["env"] = {**env, **job_env_file}
            status = {"always": True, "cancelled": False, "failure": failed, "success": not failed}
            name = step.get("name") or step.get("uses") or step.get("run", "").split("\n")[0]
            name = self.sub(name, ctx)
            srep = {"name": name, "id": step.get("id")}
            leg_rep["steps"].append(srep)
            if not self.condition(step.get("if"), ctx, status):
                srep.update(outcome="skipped", conclusion="skipped")
                ctx["steps"][sid] = {"outcome": "skipped", "conclusion": "skipped", "outputs": {}}
                print("-- %s: skipped" % name, flush=True)
                continue
            step_env = {**env, **job_env_file, **self.sub(step.get("env") or {}, ctx)}
            ctx["env"] = step_env
            print("-- %s" % name, flush=True)
            if "run" in step:
                code, outputs, summary, new_env = self.run_shell(step, ctx, step_env, tmp, timeout)
                leg_rep["summary"] += summary
                job_env_file.update(new_env)
            else:
                code, outputs = self.run_action(step, ctx, post)
            outcome = "success" if code == 0 else "failure"
            conclusion = "success" if code == 0 or step.get("continue-on-error") == "true" else "failure"
            srep.update(outcome=outcome, conclusion=conclusion, exit_code=code, outputs=outputs)
            ctx["steps"][sid] = {"outcome": outcome, "conclusion": conclusion, "outputs": outputs}
            if conclusion == "failure":
                failed = True
                print("-- %s: failed (exit %d)" % (name, code), flush=True)
        for save in post:
            save()
        outputs = {}
        if "outputs" in spec:
            outputs = {k: self.sub(v, ctx) for k, v in spec["outputs"].items()}
        env_spec = spec.get("environment")
        if isinstance(env_spec, dict) and "url" in env_spec:
            leg_rep["environment_url"] = self.sub(env_spec["url"], ctx)
        shutil.rmtree(tmp, ignore_errors=True)
        leg_rep["result"] = "failure" if failed else "success"
        return leg_rep["result"], outputs

    # ---- run: steps ------------------------------------------------------------

    def run_shell(self, step, ctx, step_env, tmp, timeout):
        script = self.sub(step["run"], ctx)
        files = {k: os.path.join(tmp, k.lower()) for k in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV")}
        for f in files.values():
            open(f, "w").close()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
        env.update({"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": self.ws,
                    "GITHUB_REPOSITORY": self.github["repository"],
                    "GITHUB_REPOSITORY_OWNER": self.github["repository_owner"],
                    "GITHUB_SHA": self.github["sha"], "GITHUB_REF": self.github["ref"],
                    "GITHUB_ACTOR": self.github["actor"], "GITHUB_EVENT_NAME": self.github["event_name"],
                    "RUNNER_OS": "Linux", "RUNNER_TEMP": tmp})
        env.update(files)
        env.update(step_env)
        path = os.path.join(tmp, "step.sh")
        with open(path, "w") as f:
            f.write(script)
        cwd = os.path.join(self.ws, step.get("working-directory", "."))
        try:
            p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", path],
                               cwd=cwd, env=env, timeout=timeout)
            code = p.returncode
        except subprocess.TimeoutExpired:
            code = 124
        outputs = read_file_commands(files["GITHUB_OUTPUT"])
        new_env = read_file_commands(files["GITHUB_ENV"])
        summary = open(files["GITHUB_STEP_SUMMARY"]).read()
        return code, outputs, summary, new_env

    # ---- uses: steps -----------------------------------------------------------

    def run_action(self, step, ctx, post):
        uses = step["uses"]
        m = re.fullmatch(r"([\w.-]+/[\w.-]+(?:/[\w./-]+)?)@([0-9a-f]{40})", uses)
        if not m:
            raise WorkflowError("%s: not an action pinned by commit" % uses)
        action = m.group(1)
        w = self.sub(step.get("with") or {}, ctx)
        handler = {
            "actions/checkout": lambda: (0, {}),
            "actions/cache": lambda: self.cache(w, post, save=True),
            "actions/cache/restore": lambda: self.cache(w, post, save=False),
            "actions/upload-artifact": lambda: self.upload(w),
            "actions/download-artifact": lambda: self.download(w),
            "actions/configure-pages": lambda: (0, {"base_url": self.pages_url or "", "base_path": ""}),
            "actions/upload-pages-artifact": lambda: self.upload({"name": "github-pages", "path": w.get("path", "_site/")}),
            "actions/deploy-pages": self.deploy,
        }.get(action)
        if handler is None:
            raise WorkflowError("%s: this runner has no local stand-in for it" % action)
        print("   (%s, local stand-in)" % action, flush=True)
        return handler()

    def cache(self, w, post, save):
        key = w.get("key", "")
        if not key or "path" not in w:
            return 1, {}
        store = os.path.join(self.caches, hashlib.sha256(key.encode()).hexdigest())
        path = os.path.join(self.ws, w["path"].strip())
        hit = os.path.isdir(store)
        if hit:
            shutil.copytree(store, path, dirs_exist_ok=True)
        if save and not hit:
            post.append(lambda: os.path.isdir(path) and shutil.copytree(path, store))
        self.report.setdefault("caches", []).append({"key": key, "hit": hit, "save": save})
        return 0, {"cache-hit": "true" if hit else "false"}

    def upload(self, w):
        name = w.get("name", "artifact")
        dest = os.path.join(self.artifacts, name)
        if os.path.exists(dest):
            print("::error::an artifact named %s exists already (upload-artifact v4 refuses it)" % name)
            return 1, {}
        paths = [p.strip() for p in w.get("path", "").split("\n") if p.strip()]
        found = []
        for p in paths:
            found += glob.glob(os.path.join(self.ws, p.rstrip("/")))
        if not found:
            mode = w.get("if-no-files-found", "warn")
            print("   no files for artifact %s (%s)" % (name, mode))
            return (1 if mode == "error" else 0), {}
        root = os.path.commonpath([f if os.path.isdir(f) else os.path.dirname(f) for f in found])
        os.makedirs(dest)
        for f in found:
            target = os.path.join(dest, os.path.relpath(f, root))
            if os.path.isdir(f):
                shutil.copytree(f, target, dirs_exist_ok=True)
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(f, target)
        for d, _, fs in os.walk(dest):  # v4 keeps no file modes
            for f in fs:
                os.chmod(os.path.join(d, f), 0o644)
        self.report["artifacts"].append(name)
        return 0, {"artifact-id": name}

    def download(self, w):
        path = os.path.join(self.ws, w.get("path", "."))
        if "name" in w:
            names = [w["name"]]
            if not os.path.isdir(os.path.join(self.artifacts, w["name"])):
                print("::error::no artifact named %s" % w["name"])
                return 1, {}
        else:
            pattern = w.get("pattern", "*")
            names = sorted(n for n in os.listdir(self.artifacts) if fnmatch.fnmatch(n, pattern))
        merge = "name" in w or w.get("merge-multiple") == "true"
        seen = {}
        for n in names:
            src = os.path.join(self.artifacts, n)
            dest = path if merge else os.path.join(path, n)
            for d, _, fs in os.walk(src):
                for f in fs:
                    rel = os.path.relpath(os.path.join(d, f), src)
                    target = os.path.join(dest, rel)
                    if target in seen:
                        self.report["overwrites"].append({"file": os.path.relpath(target, self.ws),
                                                          "artifacts": [seen[target], n]})
                    seen[target] = n
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    shutil.copyfile(os.path.join(d, f), target)
        return 0, {"download-path": path}

    def deploy(self):
        site = os.path.join(self.artifacts, "github-pages")
        if not os.path.isdir(site) or not self.pages_dir:
            return 1, {}
        shutil.copytree(site, self.pages_dir, dirs_exist_ok=True)
        self.report["pages_deployed"] = True
        return 0, {"page_url": (self.pages_url or "") + "/"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workflow")
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--state", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--event", default="workflow_dispatch")
    ap.add_argument("--secret", action="append")
    ap.add_argument("--var", action="append")
    ap.add_argument("--github", action="append")
    ap.add_argument("--pages-url")
    ap.add_argument("--pages-dir")
    args = ap.parse_args()
    os.makedirs(args.state, exist_ok=True)
    runner = Runner(args)
    t0 = time.time()
    try:
        report = runner.run()
    except (WorkflowError, gx.ExprError) as e:
        print("local_runner: %s" % e, file=sys.stderr)
        runner.report["error"] = str(e)
        json.dump(runner.report, open(args.report, "w"), indent=1)
        return 2
    report["seconds"] = round(time.time() - t0, 1)
    json.dump(report, open(args.report, "w"), indent=1)
    print("== %s: %s" % (report["workflow"], ", ".join("%s %s" % (j, report["jobs"][j]["result"])
                                                        for j in report["order"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
