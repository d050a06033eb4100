#!/usr/bin/env python3
"""adversary.py - the randomized adversary (reference §6): a model-based
property test of the server gate.

A bare server with docctl's hooks, a working clone, and a model of what the
server's main must hold. Each step draws, with a seeded RNG, an action kind
from ACTIONS (rounds of a shuffled list, so every kind is drawn once per
round) and builds it in the clone:
  - a legitimate action (an approved new document, a signed approval of a new
    revision, a rename, a review, a withdrawal, a signed policy edit, release
    branches, drafts on a feature branch...): every push must be ACCEPTED and
    then the model advances;
  - a hostile action (an attack with push rights but no approver's key): the
    last push must be REFUSED by the hook, and every ref of the server (and
    HEAD, and docctl.trustedRef) must be exactly as before it.
After every step the server's main tree must equal the model's, byte for byte
and mode for mode, and each release branch must be where the model put it.

A broken invariant prints the seed, the step, the action, every command of the
step with its output (the hook's included); the server is then put back as it
was (as its administrator would) and the run goes on, so one run lists every
kind that gets through. Reproduce with the same --seed and --steps (the run is
deterministic given the seed and the gate's verdicts); --only KIND draws a
single kind. Output is TAP: one line per action kind, one for the model.

Standard library only. Usage (tests/e2e/t0740-adversary.sh sets it up):
  adversary.py --docctl BIN --keys DIR --seed-dir DIR --server GITDIR --work DIR
               [--seed S] [--steps N] [--only KIND] [--verbose]
"""
import argparse
import copy
import datetime
import functools
import os
import random
import re
import shutil
import sys
import time
import traceback
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gitrepo import Log, People, Runner, StepError, blob_id, ls_tree, tree_diff  # noqa: E402

START = "2026-06-01"  # the server's clock at the first step (DOCCTL_AS_OF)
PEOPLE = {
    "ann": ("Ann Author", "ann@example.com"),
    "quinn": ("Quinn QA", "quinn@example.com"),
    "gina": ("Gina GM", "gina@example.com"),
    "eve": ("Eve Else", "eve@example.com"),
    "admin": ("Server Admin", "admin@example.com"),
}
APPROVERS = {"procedure": ["quinn", "gina"], "record": ["quinn"]}
EDITORS = ["ann", "eve", "quinn", "gina"]
ALIAS = "refs/heads/trunk"  # a symbolic ref to main on the server (set up by the administrator)

ACCEPT, REFUSE, ANY = "accept", "refuse", "any"


class NotApplicable(Exception):
    """The drawn kind needs something the model does not hold yet."""


# --------------------------------------------------------------- the model

class Doc:
    def __init__(self, id, type, path, rev="A/0", status="draft"):
        self.id, self.type, self.path, self.rev, self.status = id, type, path, rev, status
        self.approver = None
        self.approved_on = None
        self.references = []


class Model:
    """What the server's main must hold: every file (bytes), the documents'
    state, where the release branches are."""

    def __init__(self):
        self.files = {}       # path -> bytes (all regular files, mode 100644)
        self.docs = {}        # id -> Doc
        self.main = None      # commit id of main
        self.releases = {}    # refs/heads/release/N -> commit id
        self.tags = {}        # refs/tags/release-N -> tag object id
        self.history = []     # every commit main has been at
        self.today = START    # the server's clock: moves forward only (a record's disposal)

    def tree(self):
        return {p: ("100644", blob_id(b)) for p, b in self.files.items()}

    def pick(self, rng, pred):
        ids = sorted(i for i, d in self.docs.items() if pred(d))
        if not ids:
            raise NotApplicable("no document fits")
        return self.docs[rng.choice(ids)]

    def referenced(self, id):
        """Whether an approved document other than a record cites `id`
        (then `id` cannot be withdrawn, reference §4.7)."""
        return any(id in d.references and d.status == "approved" and d.type != "record"
                   for d in self.docs.values())


def approved_procedure(d):
    return d.type == "procedure" and d.status == "approved"


def approved_any(d):
    return d.status == "approved"


def render(doc, body, extra=()):
    """A document as an author writes it (front-matter in the usual order)."""
    lines = ["---", "id: " + doc.id, "title: Document " + doc.id, "type: " + doc.type,
             "revision: " + doc.rev, "status: " + doc.status, "owner: ann"]
    if doc.rev != "A/0":
        lines.append("change: revised to " + doc.rev)
    if doc.references:
        lines.append("references: [%s]" % ", ".join(doc.references))
    lines += list(extra)
    lines += ["---", "# Document " + doc.id, "", body, ""]
    return "\n".join(lines).encode()


def front_matter(data):
    """{key: value} of a document's top-level scalar fields (enough to check
    what docctl's editing commands wrote)."""
    text = data.decode("utf-8", "replace").lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    fields = {}
    for line in text[1:]:
        if line.rstrip() in ("---", "..."):
            break
        if ":" in line and not line.startswith((" ", "#")):
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    return fields


def days_after(date, n):
    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=n)).isoformat()


def retention_end(approved_on, years=3):
    """The first day a record may be disposed of (its P3Y retention passed)."""
    d = datetime.date.fromisoformat(approved_on)
    try:
        end = d.replace(year=d.year + years)
    except ValueError:  # 29 February
        end = d.replace(year=d.year + years, day=28)
    return end.isoformat()


# --------------------------------------------------------------- the plan

class Push:
    def __init__(self, args, must, ref=None, want=None, env=None):
        self.args, self.must, self.ref, self.want, self.env = args, must, ref, want, env


class Plan:
    def __init__(self, desc, pushes, model=None, rules=(), cleanup=None):
        self.desc = desc          # what the step did, for the report
        self.pushes = pushes
        self.model = model        # the model after the step (legitimate actions)
        self.rules = rules        # rule names a refusal is expected to name
        self.cleanup = cleanup    # what the administrator undoes after the step


# --------------------------------------------------------------- the adversary

class Adversary:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.log = Log()
        self.people = People(a.work + ".homes", a.keys, PEOPLE)
        self.w = Runner(a.work, self.people, self.log, a.docctl)
        self.server = a.server
        self.model = Model()
        self.failures = []        # (kind, step, what)
        self.notes = []           # refusals that named none of the expected rules
        self.counts = {}          # kind -> [drawn, not applicable, passed]
        # numbers never reused, whatever the verdicts (a refused step may
        # still have left a feature branch or an id on the server)
        self.counter = {"SP": 100, "RC": 100, "release": 0, "person": 0, "feature": 0, "tag": 0}

    def next(self, what):
        self.counter[what] += 1
        return self.counter[what]

    # ------------------------------------------------ the working clone

    def path(self, rel):
        return os.path.join(self.a.work, rel)

    def read(self, rel):
        with open(self.path(rel), "rb") as f:
            return f.read()

    def write(self, rel, data):
        os.makedirs(os.path.dirname(self.path(rel)) or ".", exist_ok=True)
        with open(self.path(rel), "wb") as f:
            f.write(data)

    def remove(self, rel):
        os.unlink(self.path(rel))

    def reset_work(self):
        """Back to the server's main, clean, with no other local ref."""
        self.w.run("admin", ["sh", "-c",
                   "git merge --abort 2>/dev/null; "
                   "git for-each-ref --format='delete %(refname)' refs/heads refs/tags refs/replace "
                   "| grep -v ' refs/heads/main$' | git update-ref --no-deref --stdin; "
                   "git fetch -q --no-tags --prune origin '+refs/heads/*:refs/remotes/origin/*' && "
                   "git checkout -qf -B main origin/main && git clean -qfdx"])

    def sync(self, m, *paths):
        """The model takes the clone's bytes of these paths (absent: removed)."""
        for p in paths:
            if os.path.lexists(self.path(p)):
                m.files[p] = self.read(p)
            else:
                m.files.pop(p, None)

    def expect_fields(self, path, **want):
        got = front_matter(self.read(path))
        for k, v in want.items():
            if got.get(k) != v:
                raise StepError("%s: docctl wrote %s=%r, the model wants %r" % (path, k, got.get(k), v))

    def body_edit(self, doc, who):
        data = self.read(doc.path)
        self.write(doc.path, data + ("Edited by %s, step %d.\n" % (who, self.step)).encode())

    def revise(self, doc, who):
        """`docctl revise` and a body edit by `who`, committed unsigned."""
        self.w.dc(who, "revise", doc.id, "--change", "step %d by %s" % (self.step, who))
        self.body_edit(doc, who)
        self.w.commit(who, "Revise %s" % doc.id)
        return front_matter(self.read(doc.path)).get("revision")

    def approve(self, doc, who, sign=True, key=None):
        """`docctl approve` as `who`; signed with who's key, or `key`'s."""
        env = None
        if key and key != who:
            env = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "user.signingkey",
                   "GIT_CONFIG_VALUE_0": self.people.key(key)}
        self.w.dc(who, "approve", doc.id, *(["--sign"] if sign else []), env=env)
        self.expect_fields(doc.path, status="approved", approved_by=who)

    def set_fields(self, path, **fields):
        """Front-matter fields typed in by hand: each replaced where it is,
        or added before the closing line."""
        lines = self.read(path).decode().split("\n")
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r \t") in ("---", "..."))
        for k, v in fields.items():
            for i in range(1, end):
                if lines[i].startswith(k + ":"):
                    lines[i] = "%s: %s" % (k, v)
                    break
            else:
                lines.insert(end, "%s: %s" % (k, v))
                end += 1
        self.write(path, "\n".join(lines).encode())

    def typed_approval(self, doc, who):
        """The approval fields typed into a draft by hand (as docctl approve
        would write them, without its checks)."""
        self.write(doc.path, self.read(doc.path).replace(
            b"status: draft", ("status: approved\napproved_by: %s\napproved_on: %s" % (who, self.model.today)).encode(), 1))

    def new_doc(self, type, status="draft"):
        prefix = "SP" if type == "procedure" else "RC"
        n = self.next(prefix)
        id = "%s-%03d" % (prefix, n) if prefix == "SP" else "%s-%04d" % (prefix, n)
        folder = "docs/procedures" if type == "procedure" else "records/2026"
        d = Doc(id, type, "%s/%s-step%d.md" % (folder, id, self.step), status=status)
        return d

    def release_name(self):
        return "refs/heads/release/%d" % self.next("release")

    def policy_add_person(self, roles="author"):
        n = self.next("person")
        data = self.read("docctl.yaml").decode()
        anchor = "  eve:"
        i = data.index(anchor)
        j = data.index("\n", i) + 1
        line = "  p%d: {name: Person %d, email: p%d@example.com, roles: [%s]}\n" % (n, n, n, roles)
        self.write("docctl.yaml", (data[:j] + line + data[j:]).encode())

    def head(self):
        return self.w.out("admin", "rev-parse", "HEAD")

    def legit_main(self, desc, m, paths):
        """The plan of a legitimate change of main: the model takes the
        touched paths, and must then equal the commit about to be pushed."""
        self.sync(m, *paths)
        m.main = self.head()
        m.history.append(m.main)
        got = ls_tree(self.w, "HEAD")
        diff = tree_diff(m.tree(), got)
        if diff:
            raise StepError("the commit does not hold what the model expects:\n" + "\n".join(diff))
        return Plan(desc, [Push(["origin", "main"], ACCEPT, "refs/heads/main", m.main)], m)

    def hostile(self, desc, rules, *args):
        """A plan whose single push must be refused."""
        return Plan(desc, [Push(["--force"] + list(args), REFUSE)], None, rules)

    # ------------------------------------------------ the server

    def refs(self):
        """Everything a push could change: refs with their symbolic targets,
        HEAD, docctl.trustedRef."""
        _, out = self.w.run("admin", ["sh", "-c",
                            "git for-each-ref --format='%(refname) %(objectname) %(symref)'; "
                            "echo HEAD $(git symbolic-ref -q HEAD); "
                            "echo trustedRef $(git config --get docctl.trustedRef)"],
                            cwd=self.server)
        return out

    def restore(self, snapshot):
        """Puts the server's refs back as the snapshot has them (what an
        administrator does after a bad push got through)."""
        cmds = ["git for-each-ref --format='delete %(refname)' | git update-ref --no-deref --stdin"]
        for line in snapshot.split("\n"):
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "HEAD":
                if len(parts) > 1:
                    cmds.append("git symbolic-ref HEAD %s" % parts[1])
            elif parts[0] == "trustedRef":
                cmds.append("git config --unset-all docctl.trustedRef; true")
                if len(parts) > 1:
                    cmds.append("git config docctl.trustedRef %s" % parts[1])
            elif len(parts) == 3:
                cmds.append("git symbolic-ref %s %s" % (parts[0], parts[2]))
            else:
                cmds.append("git update-ref %s %s" % (parts[0], parts[1]))
        # symbolic refs last: their targets must exist first
        cmds.sort(key=lambda c: c.startswith("git symbolic-ref"))
        self.w.run("admin", ["sh", "-c", " && ".join(cmds)], cwd=self.server)

    def server_rev(self, ref):
        rc, out = self.w.git("admin", "rev-parse", "-q", "--verify", ref + "^{commit}", check=False, cwd=self.server)
        return out.strip() if rc == 0 else None

    # ------------------------------------------------ running a step

    def fail(self, kind, what):
        self.failures.append((kind, self.step, what))
        print("# FAIL seed=%d step=%d action=%s: %s" % (self.a.seed, self.step, kind, what.replace("\n", "\n#     ")))
        print("# reproduce: " + self.a.repro.format(seed=self.a.seed, steps=self.step))
        for line in self.log.text().split("\n"):
            print("#   " + line)
        sys.stdout.flush()

    def do_push(self, kind, plan, p):
        before = self.refs() if p.must == REFUSE else None
        rc, out = self.w.git("eve" if p.must != ACCEPT else "admin", "push", *p.args, check=False, env=p.env)
        after = self.refs() if p.must == REFUSE else None
        if p.must == ACCEPT:
            got = self.server_rev(p.ref) if not p.ref.startswith("refs/tags/") else \
                self.w.git("admin", "rev-parse", "-q", "--verify", p.ref, check=False, cwd=self.server)[1].strip()
            if rc != 0 or got != p.want:
                self.fail(kind, "LEGITIMATE PUSH REFUSED (%s): git push %s -> exit %d, server %s at %s, wanted %s"
                          % (plan.desc, " ".join(p.args), rc, p.ref, got, p.want))
                return False
            return True
        if p.must == ANY:
            return True
        if rc == 0 or after != before:
            self.fail(kind, "HOSTILE PUSH ACCEPTED (%s): git push %s -> exit %d; refs before:\n%s\nafter:\n%s"
                      % (plan.desc, " ".join(p.args), rc, before, after))
            self.restore(before)
            return False
        if "pre-receive hook declined" not in out and "remote rejected" not in out:
            self.fail(kind, "the push was refused by git, not by the hook: the attack was not exercised (%s)"
                      % plan.desc)
            return False
        if plan.rules and not any("[%s]" % r in out for r in plan.rules):
            self.notes.append((kind, self.step, plan.desc, plan.rules,
                               sorted(set(w.strip("[]") for w in out.split() if w.startswith("[") and "." in w))))
        return True

    def check_model(self, kind):
        got = ls_tree(self.w, "refs/heads/main", cwd=self.server)
        diff = tree_diff(self.model.tree(), got)
        if diff:
            self.fail(kind, "the server's main differs from the model:\n" + "\n".join(diff))
            return False
        for ref, want in sorted(self.model.tags.items()):
            got = self.w.git("admin", "rev-parse", "-q", "--verify", ref, check=False, cwd=self.server)[1].strip()
            if got != want:
                self.fail(kind, "%s is at %s, the model says %s" % (ref, got, want))
                return False
        for ref, want in sorted(self.model.releases.items()):
            got = self.server_rev(ref)
            if got != want:
                self.fail(kind, "%s is at %s, the model says %s" % (ref, got, want))
                return False
        return True

    def run_step(self, kind, gen):
        self.log.clear()
        os.environ["DOCCTL_AS_OF"] = self.model.today
        self.reset_work()
        m = copy.deepcopy(self.model)
        try:
            plan = gen(self, m)
        except NotApplicable:
            return None
        except StepError as e:
            self.fail(kind, "the step could not be set up: %s" % e)
            return False
        except Exception:  # a bug of this test: said, and the run goes on
            self.fail(kind, "the step could not be set up (a bug of the test):\n" + traceback.format_exc())
            return False
        ok = True
        for p in plan.pushes:
            if not self.do_push(kind, plan, p):
                ok = False
                break
        if plan.cleanup:
            plan.cleanup()
        if ok and plan.model is not None:
            self.model = plan.model
        if self.a.verbose:
            print("# step %d %s: %s -> %s" % (self.step, kind, plan.desc, "ok" if ok else "FAIL"))
        if not self.check_model(kind):
            ok = False
            self.resync()
        return ok

    def resync(self):
        """After a broken invariant the model may no longer describe the
        server; the run stops here (reported already)."""
        raise Stop()

    # ------------------------------------------------ set-up

    def setup(self):
        """The first push (trust on first use): the policy, the signers file,
        two approved procedures and a record; then the administrator's alias
        refs/heads/trunk -> main."""
        w, m = self.w, self.model
        w.git("admin", "clone", "-q", self.server, self.a.work, cwd=os.path.dirname(self.a.work))
        shutil.copytree(self.a.seed_dir, self.a.work, dirs_exist_ok=True)
        for type, who in (("procedure", "quinn"), ("procedure", "gina"), ("record", "quinn")):
            d = self.new_doc(type, "approved")
            d.approver, d.approved_on = who, m.today
            extra = ["approved_by: " + who, "approved_on: " + m.today]
            self.write(d.path, render(d, "The first text of %s." % d.id, extra))
            m.docs[d.id] = d
        w.commit("ann", "Initial controlled documents")
        w.git("admin", "push", "-q", "origin", "HEAD:refs/heads/main")
        self.sync(m, *[p for p in self.w.out("admin", "ls-files", "-z").split("\0") if p])
        m.main = self.head()
        m.history.append(m.main)
        w.git("admin", "symbolic-ref", ALIAS, "refs/heads/main", cwd=self.server)
        if not self.check_model("setup"):
            raise SystemExit(1)

    def main(self):
        self.step = 0
        self.setup()
        kinds = [a for a in ACTIONS if not self.a.only or a[0] in self.a.only]
        if not kinds:
            raise SystemExit("no action kind named %s" % self.a.only)
        start = time.monotonic()
        queue = []
        stopped = False
        try:
            while self.step < self.a.steps:
                if self.a.max_seconds and time.monotonic() - start > self.a.max_seconds:
                    print("# time budget of %d s reached after %d steps" % (self.a.max_seconds, self.step))
                    break
                if not queue:
                    queue = list(kinds)
                    self.rng.shuffle(queue)
                name, legit, gen = queue.pop()
                c = self.counts.setdefault(name, [0, 0, 0])
                self.step += 1
                r = self.run_step(name, gen)
                if r is None:
                    c[1] += 1
                    self.step -= 1
                    continue
                c[0] += 1
                if r:
                    c[2] += 1
        except Stop:
            stopped = True
        elapsed = time.monotonic() - start
        self.report(kinds, elapsed, stopped)

    def report(self, kinds, elapsed, stopped):
        print("1..%d" % (len(kinds) + 1))
        n = 0
        for name, legit, _ in kinds:
            n += 1
            drawn, _, passed = self.counts.get(name, [0, 0, 0])
            fails = [f for f in self.failures if f[0] == name]
            what = "legitimate, accepted" if legit else "hostile, refused"
            if fails:
                print("not ok %d - %s: %d of %d steps broke the invariant (first: step %d)"
                      % (n, name, len(fails), drawn, fails[0][1]))
            elif drawn == 0:
                print("ok %d - %s # SKIP not drawn, or never applicable, in %d steps" % (n, name, self.step))
            else:
                print("ok %d - %s: %s in %d of %d steps" % (n, name, what, passed, drawn))
        n += 1
        model_fails = [f for f in self.failures if "differs from the model" in f[2] or "the model says" in f[2]]
        if model_fails or stopped:
            print("not ok %d - the server's main equals the model after every step (stopped at step %d)"
                  % (n, self.step))
        else:
            print("ok %d - the server's main equals the model after every step (%d steps, seed %d, %.1f s)"
                  % (n, self.step, self.a.seed, elapsed))
        if self.a.verbose:
            for key, t in sorted(self.w.timing.items(), key=lambda kv: -kv[1])[:12]:
                print("# time in %-24s %6.1f s" % (key, t))
        for kind, step, desc, want, got in self.notes:
            print("# note: %s at step %d (%s) was refused without naming %s; it named %s"
                  % (kind, step, desc, "/".join(want), ", ".join(got) or "no rule"))
        if self.failures:
            print("# %d invariant failures; seed %d" % (len(self.failures), self.a.seed))
            for kind, step, what in self.failures:
                print("#   step %d %s: %s" % (step, kind, what.split("\n")[0]))
        sys.exit(1 if self.failures or stopped else 0)


class Stop(Exception):
    pass


# =============================================================== legitimate

def l_new_document(x, m):
    """A new document written by an author and approved, signed, by an approver."""
    type = x.rng.choice(["procedure", "procedure", "record"])
    d = x.new_doc(type)
    cite = [i for i, o in sorted(m.docs.items()) if approved_procedure(o)]
    if cite and x.rng.random() < 0.5:
        d.references = [x.rng.choice(cite)]
    author = x.rng.choice(["ann", "eve"])
    x.write(d.path, render(d, "The text of %s, step %d." % (d.id, x.step)))
    x.w.commit(author, "Draft %s" % d.id)
    who = x.rng.choice(APPROVERS[type])
    x.approve(d, who)
    d.status, d.approver, d.approved_on = "approved", who, m.today
    m.docs[d.id] = d
    return x.legit_main("%s %s by %s, approved by %s" % (type, d.id, author, who), m, [d.path])


def l_revise(x, m):
    """A content edit as a new revision, approved by an approver who did not edit."""
    d = m.pick(x.rng, approved_procedure)
    editor = x.rng.choice(EDITORS)
    rev = x.revise(d, editor)
    who = x.rng.choice([p for p in APPROVERS[d.type] if p != editor])
    x.approve(d, who)
    x.expect_fields(d.path, revision=rev)
    d.rev, d.approver = rev, who
    return x.legit_main("%s revised to %s by %s, approved by %s" % (d.id, rev, editor, who), m, [d.path])


def l_rename(x, m):
    """A pure rename (same bytes, a new folder or name)."""
    d = m.pick(x.rng, lambda d: d.status in ("approved", "obsolete"))
    root = "records" if d.type == "record" else "docs"
    folder = x.rng.choice(["area%d" % x.rng.randint(1, 3), "procedures", "proc\u00e9dures", "2026/q%d" % x.rng.randint(1, 4)])
    new = "%s/%s/%s-moved-%d.md" % (root, folder, d.id, x.step)
    os.makedirs(os.path.dirname(x.path(new)), exist_ok=True)
    x.w.git("ann", "mv", d.path, new)
    x.w.commit("ann", "Move %s" % d.id)
    old, d.path = d.path, new
    return x.legit_main("rename %s -> %s" % (old, new), m, [old, new])


def l_review(x, m):
    """A periodic review that changed nothing, signed by an approver."""
    d = m.pick(x.rng, approved_procedure)
    who = x.rng.choice(APPROVERS[d.type])
    if front_matter(x.read(d.path)).get("reviewed_by") == who:
        raise NotApplicable("the same review on the same day changes nothing")
    x.w.dc(who, "review", d.id, "--sign")
    x.expect_fields(d.path, reviewed_by=who)
    return x.legit_main("review of %s by %s" % (d.id, who), m, [d.path])


def l_obsolete(x, m):
    """Withdrawal, signed by an approver (records citing it may stay, §4.7)."""
    d = m.pick(x.rng, lambda d: approved_procedure(d) and not m.referenced(d.id))
    who = x.rng.choice(APPROVERS[d.type])
    args = ["obsolete", d.id, "--sign"]
    others = [i for i, o in sorted(m.docs.items()) if approved_procedure(o) and i != d.id]
    if others and x.rng.random() < 0.5:
        args += ["--superseded-by", x.rng.choice(others)]
    x.w.dc(who, *args)
    x.expect_fields(d.path, status="obsolete", obsoleted_by=who)
    d.status = "obsolete"
    return x.legit_main("withdraw %s by %s%s" % (d.id, who, " superseded" if len(args) > 3 else ""), m, [d.path])


def l_policy_edit(x, m):
    """A policy edit (a new person) signed by the policy admin."""
    x.policy_add_person()
    x.w.commit("gina", "Add a person to the policy", sign_key="gina")
    return x.legit_main("policy: add person p%d, signed by gina" % x.counter["person"], m, ["docctl.yaml"])


def l_release_create(x, m):
    """A new release branch at main."""
    ref = x.release_name()
    at = m.main if x.rng.random() < 0.7 else x.rng.choice(m.history)
    m.releases[ref] = at
    return Plan("create %s at %s" % (ref, "main" if at == m.main else "main's earlier " + at[:12]),
                [Push(["origin", "%s:%s" % (at, ref)], ACCEPT, ref, at)], m)


def l_release_ff(x, m):
    """A release branch fast-forwarded to main."""
    behind = sorted(r for r, c in m.releases.items() if c != m.main)
    if not behind:
        raise NotApplicable()
    ref = x.rng.choice(behind)
    m.releases[ref] = m.main
    return Plan("fast-forward %s to main" % ref, [Push(["origin", "main:" + ref], ACCEPT, ref, m.main)], m)


def l_feature_drafts(x, m):
    """Drafts (a new document, a new revision of an approved one) on a feature branch."""
    ref = "refs/heads/feature/%d" % x.next("feature")
    x.w.git("ann", "checkout", "-q", "-b", "feature")
    d = x.new_doc("procedure")
    x.write(d.path, render(d, "Draft text of %s." % d.id))
    try:
        old = m.pick(x.rng, approved_procedure)
        x.w.dc("ann", "revise", old.id, "--change", "draft on a feature")
        x.body_edit(old, "ann")
    except NotApplicable:
        pass
    sha = x.w.commit("ann", "Drafts on a feature branch")
    return Plan("drafts on %s" % ref, [Push(["origin", "feature:" + ref], ACCEPT, ref, sha)], m)


def l_alias_push(x, m):
    """An approved revision pushed through the administrator's alias of main."""
    d = m.pick(x.rng, approved_procedure)
    rev = x.revise(d, "ann")
    who = x.rng.choice(APPROVERS[d.type])
    x.approve(d, who)
    d.rev, d.approver = rev, who
    plan = x.legit_main("%s revised to %s, approved by %s, pushed to %s" % (d.id, rev, who, ALIAS), m, [d.path])
    plan.pushes = [Push(["origin", "HEAD:" + ALIAS], ACCEPT, "refs/heads/main", m.main)]
    return plan


def l_release_tag(x, m):
    """An annotated protected tag (refs/tags/release-N) of main's commit."""
    tag = "refs/tags/release-%d" % x.next("tag")
    x.w.git("gina", "tag", "-a", "-m", "Release", "t", m.main)
    m.tags[tag] = x.w.out("gina", "rev-parse", "refs/tags/t")
    return Plan("annotated %s at main" % tag, [Push(["origin", "refs/tags/t:" + tag], ACCEPT, tag, m.tags[tag])], m)


def l_feature_to_main(x, m):
    """Drafts pushed to a feature branch, approved there (signed), then main
    fast-forwarded to it."""
    d = m.pick(x.rng, approved_procedure)
    ref = "refs/heads/feature/%d" % x.next("feature")
    x.w.git("ann", "checkout", "-q", "-b", "feature")
    rev = x.revise(d, "ann")
    draft = x.head()
    who = x.rng.choice(APPROVERS[d.type])
    x.approve(d, who)
    d.rev, d.approver = rev, who
    plan = x.legit_main("%s revised on %s, approved there by %s, then main" % (d.id, ref, who), m, [d.path])
    plan.pushes = [Push(["origin", "%s:%s" % (draft, ref)], ACCEPT, ref, draft),
                   Push(["origin", "HEAD:" + ref], ACCEPT, ref, m.main),
                   Push(["origin", "HEAD:refs/heads/main"], ACCEPT, "refs/heads/main", m.main)]
    return plan


def l_feature_delete(x, m):
    """A feature branch deleted (not protected)."""
    _, out = x.w.git("admin", "for-each-ref", "--format=%(refname)", "refs/heads/feature/", cwd=x.server)
    refs = out.split()
    if not refs:
        raise NotApplicable()
    ref = x.rng.choice(sorted(refs))
    return Plan("delete %s" % ref, [Push(["origin", ":" + ref], ACCEPT, ref, None)], m)


def l_record_disposal(x, m):
    """A record deleted once its retention (P3Y) has passed."""
    d = m.pick(x.rng, lambda d: d.type == "record")
    m.today = max(m.today, retention_end(d.approved_on))  # the clock moves on to that day
    x.w.git("quinn", "rm", "-q", d.path)
    x.w.commit("quinn", "Dispose of %s" % d.id)
    del m.docs[d.id]
    plan = x.legit_main("dispose of %s on %s" % (d.id, m.today), m, [d.path])
    plan.pushes[0].env = {"DOCCTL_AS_OF": m.today}
    return plan


def l_revise_odd_bytes(x, m):
    """A new revision whose text also gains a comment, a BOM, CRLF, a '...'
    end line, a tag or quotes (all valid, reference §4.3), approved and signed."""
    d = m.pick(x.rng, approved_procedure)
    variant = x.rng.choice(sorted(UNSIGNED_BYTES))
    x.w.dc("ann", "revise", d.id, "--change", "step %d: %s" % (x.step, variant))
    x.body_edit(d, "ann")
    x.write(d.path, odd_bytes(variant, x.read(d.path)))
    x.w.commit("ann", "Revise %s (%s)" % (d.id, variant))
    rev = front_matter(x.read(d.path))["revision"]
    who = x.rng.choice(APPROVERS[d.type])
    x.approve(d, who)
    d.rev, d.approver = rev, who
    return x.legit_main("%s revised to %s with %s, approved by %s" % (d.id, rev, variant, who), m, [d.path])


def l_typed_approval(x, m):
    """The approval typed in by hand (no docctl) and committed, signed, by
    the approver in a commit of its own (what the hostile kinds build on)."""
    d = m.pick(x.rng, approved_procedure)
    rev = x.revise(d, "ann")
    who = x.rng.choice(APPROVERS[d.type])
    x.typed_approval(d, who)
    x.w.commit(who, "Approve %s" % d.id, sign_key=who)
    d.rev, d.approver = rev, who
    return x.legit_main("%s revised to %s, approval typed and signed by %s" % (d.id, rev, who), m, [d.path])


# =============================================================== hostile

def h_hijack_default_branch(x, m):
    """An orphan unprotected branch where HEAD points (master), then a new
    protected ref with a forged policy and approvals."""
    w = x.w
    w.git("eve", "checkout", "-q", "--orphan", "orphan")
    w.git("eve", "rm", "-rqf", ".")
    x.write("README.md", b"nothing here\n")
    w.commit("eve", "An orphan master")
    pre = Push(["--force", "origin", "orphan:refs/heads/master"], ANY)
    w.git("eve", "checkout", "-q", "--orphan", "forged")
    w.git("eve", "rm", "-rqf", ".")
    shutil.copytree(x.a.seed_dir, x.a.work, dirs_exist_ok=True)
    pol = x.read("docctl.yaml").decode().replace("roles: [author]}", "roles: [author, qa-manager]}")
    x.write("docctl.yaml", pol.encode())
    eve_pub = open(x.people.key("eve") + ".pub").read().strip()
    with open(x.path(".docctl/allowed_signers"), "a") as f:
        f.write('eve@example.com namespaces="git" %s\n' % eve_pub)
    d = Doc("SP-%03d" % x.next("SP"), "procedure", "docs/procedures/forged.md", status="approved")
    x.write("docs/procedures/SP-%03d-forged.md" % x.counter["SP"],
            render(d, "Forged text.", ["approved_by: eve", "approved_on: " + m.today]))
    w.commit("eve", "Forged release", sign_key="eve")
    ref = x.release_name()
    return Plan("orphan master, then %s with eve as her own approver" % ref,
                [pre, Push(["--force", "origin", "forged:" + ref], REFUSE)], None,
                ("policy.unapproved-change", "approval.unauthorized", "approval.unsigned", "internal.error"))


def _gitlink(x, path, target):
    x.w.git("eve", "rm", "-q", "--cached", "--ignore-unmatch", path)
    x.w.git("eve", "update-index", "--add", "--cacheinfo", "160000,%s,%s" % (target, path))
    x.w.git("eve", "commit", "-q", "--no-verify", "-m", "Gitlink at " + path)


def h_gitlink_document(x, m):
    """A gitlink whose id is the approved document's own blob."""
    d = m.pick(x.rng, lambda d: approved_any(d) and d.type == "procedure")
    _gitlink(x, d.path, x.w.out("eve", "rev-parse", "HEAD:" + d.path))
    return x.hostile("gitlink in place of %s" % d.path, ("file.submodule",), "origin", "main")


def h_gitlink_record(x, m):
    d = m.pick(x.rng, lambda d: d.type == "record")
    _gitlink(x, d.path, x.w.out("eve", "rev-parse", "HEAD:" + d.path))
    return x.hostile("gitlink in place of record %s" % d.path, ("file.submodule",), "origin", "main")


def h_submodule(x, m):
    """A submodule (gitlink and .gitmodules) under docs/."""
    x.write(".gitmodules", b'[submodule "vendor"]\n\tpath = docs/vendor\n\turl = https://example.com/x.git\n')
    x.w.git("eve", "add", ".gitmodules")
    _gitlink(x, "docs/vendor", m.main)
    return x.hostile("submodule at docs/vendor", ("file.submodule",), "origin", "main")


def h_smuggled_file(x, m):
    """A file under the roots that no document lists (reference §9.3)."""
    x.write("docs/procedures/extra-%d.pdf" % x.step, b"%PDF-1.4 not approved\n")
    x.w.commit("eve", "A file beside the procedures")
    return x.hostile("an unlisted file under docs/", ("file.unclaimed",), "origin", "main")


def h_forged_check(x, m):
    """A revision whose check (checked_by) the author typed in, approved with
    a good signature: the checker is not authenticated (reference §9.1)."""
    d = m.pick(x.rng, approved_procedure)
    rev = x.revise(d, "eve")
    checker = x.rng.choice([p for p in APPROVERS[d.type] if p != "eve"])
    x.set_fields(d.path, checked_by=checker, checked_on=m.today)
    x.w.commit("eve", "%s %s checked by %s (typed)" % (d.id, rev, checker))
    others = [p for p in APPROVERS[d.type] if p not in ("eve", checker)]
    if others:
        x.approve(d, others[0])
    return x.hostile("%s %s with a check by %s typed in by eve" % (d.id, rev, checker),
                     ("approval.unsigned", "approval.unauthorized", "status.not-approved"), "origin", "main")


def h_symlink_folder(x, m):
    """A folder symlink under docs/ to an uncontrolled look-alike."""
    d = m.pick(x.rng, approved_procedure)
    x.write("shadow/" + os.path.basename(d.path), x.read(d.path) + b"Unapproved words.\n")
    os.symlink("../shadow", x.path("docs/shadow"))
    x.w.commit("eve", "A shadow folder")
    return x.hostile("docs/shadow -> ../shadow holding a changed %s" % d.id, ("file.symlink",), "origin", "main")


def h_symlink_document(x, m):
    """A controlled file that is a symbolic link."""
    d = m.pick(x.rng, approved_procedure)
    x.write("outside.md", x.read(d.path) + b"Unapproved words.\n")
    x.remove(d.path)
    os.symlink(os.path.relpath(x.path("outside.md"), os.path.dirname(x.path(d.path))), x.path(d.path))
    x.w.commit("eve", "A symlinked document")
    return x.hostile("%s as a symlink to an edited copy" % d.path, ("file.symlink",), "origin", "main")


def h_case_collision(x, m):
    """A path differing only in case from an approved document's, with other bytes."""
    d = m.pick(x.rng, approved_procedure)
    head, name = d.path.split("/", 1)
    variant = x.rng.choice(["Docs", "folder", "MD"])
    if variant == "Docs":
        other = "Docs/" + name
    elif variant == "folder":
        parts = d.path.split("/")
        parts[1] = parts[1].upper()
        other = "/".join(parts)
    else:
        other = d.path[:-3] + ".MD"
    x.write(other, x.read(d.path).replace(b"The ", b"Our "))
    x.w.commit("eve", "A case variant")
    return x.hostile("%s next to %s" % (other, d.path), ("path.collision",), "origin", "main")


def h_unicode_collision(x, m):
    """Two paths under docs/ equal after Unicode normalisation."""
    nfc = unicodedata.normalize("NFC", "docs/caf\u00e9/notes.txt")
    nfd = unicodedata.normalize("NFD", nfc)
    x.write(nfc, b"one\n")
    x.write(nfd, b"two\n")
    x.w.commit("eve", "Normalisation twins")
    return x.hostile("NFC and NFD twins under docs/", ("path.collision",), "origin", "main")


def h_gitattributes(x, m):
    """A .gitattributes that transforms controlled files on checkout
    (signed by the policy admin, or not: refused either way)."""
    where, text = x.rng.choice([
        (".gitattributes", b"docs/** working-tree-encoding=UTF-16LE\n"),
        ("docs/.gitattributes", b"*.md working-tree-encoding=UTF-16LE\n"),
        ("records/.gitattributes", b"*.md filter=lfs diff=lfs merge=lfs\n"),
        ("docs/.gitattributes", b"*.md text eol=crlf\n"),
        (".gitattributes", b"*.md ident\n"),
    ])
    x.write(where, text)
    signed = x.rng.random() < 0.5
    # only the attributes file: git add -A would already apply them to the documents
    x.w.commit("gina" if signed else "eve", "Attributes", sign_key="gina" if signed else None, paths=[where])
    return x.hostile("%s: %s%s" % (where, text.decode().strip(), ", signed by gina" if signed else ""),
                     ("attributes.transform",), "origin", "main")


def h_replace_ref(x, m):
    """A push of refs/replace/* (a replacement for main's commit)."""
    d = m.pick(x.rng, approved_procedure)
    x.write(d.path, x.read(d.path) + b"Replaced words.\n")
    evil = x.w.commit("eve", "Evil twin")
    x.w.git("eve", "replace", "-f", m.main, evil)
    return x.hostile("refs/replace/%s" % m.main[:12], ("ref.replace",), "origin", "refs/replace/*:refs/replace/*")


def h_alias_unapproved(x, m):
    """An unsigned approval pushed through the symbolic alias of main."""
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "ann")
    x.approve(d, "quinn", sign=False)
    x.w.commit("quinn", "Approve (unsigned)")
    return x.hostile("unsigned approval of %s pushed to %s" % (d.id, ALIAS), ("approval.unsigned",),
                     "origin", "HEAD:" + ALIAS)


def h_ride_along(x, m):
    """A signed approval of A after an unsigned commit approving B."""
    a = m.pick(x.rng, approved_procedure)
    b = m.pick(x.rng, lambda d: approved_procedure(d) and d.id != a.id)
    x.revise(a, "ann")
    x.revise(b, "ann")
    x.approve(b, "quinn", sign=False)
    x.w.commit("ann", "Approve %s (typed in, unsigned)" % b.id)
    x.approve(a, "quinn")
    return x.hostile("quinn signs %s; %s's approval rides along" % (a.id, b.id), ("approval.unsigned",),
                     "origin", "main")


def h_signer_smuggle(x, m):
    """A key appended to allowed_signers unsigned, then a signed unrelated policy edit."""
    eve_pub = open(x.people.key("eve") + ".pub").read().strip()
    with open(x.path(".docctl/allowed_signers"), "a") as f:
        f.write('quinn@example.com namespaces="git" %s\n' % eve_pub)
    x.w.commit("eve", "Tidy the signers file")
    x.policy_add_person()
    x.w.commit("gina", "Add a person", sign_key="gina")
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "ann")
    x.approve(d, "quinn", key="eve")
    return x.hostile("eve's key for quinn smuggled before gina's signed edit; %s approved with it" % d.id,
                     ("policy.unapproved-change",), "origin", "main")


def h_self_approval_author(x, m):
    """An approver edits and approves in one commit signed with her key, --author naming ann."""
    d = m.pick(x.rng, approved_procedure)
    who = x.rng.choice(APPROVERS[d.type])
    x.w.dc(who, "revise", d.id, "--change", "self")
    x.body_edit(d, who)
    x.typed_approval(d, who)
    x.w.commit(who, "Edit %s" % d.id, sign_key=who, author="Ann Author <ann@example.com>")
    return x.hostile("%s edits and approves %s, --author ann" % (who, d.id), ("approval.self",), "origin", "main")


def split_front_matter(b):
    """(opening and fields, closing line, rest) of a document's bytes."""
    m = re.search(rb"\n(---|\.\.\.)[ \t]*\r?\n", b, re.S)
    return b[:m.start()], b[m.start():m.end()], b[m.end():]


def _comment(b):
    head, close, rest = split_front_matter(b)
    return head + b"\n# an unsigned comment" + close + rest


def _bom(b):
    return None if b.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + b


def _crlf(b):
    head, close, rest = split_front_matter(b)
    if b"\r\n" in head:
        return None
    return head.replace(b"\n", b"\r\n") + close.rstrip(b"\n").rstrip(b"\r") .replace(b"\n", b"\r\n") + b"\r\n" + rest


def _dots(b):
    head, close, rest = split_front_matter(b)
    return None if close.startswith(b"\n...") else head + b"\n...\n" + rest


def _tag(b):
    head, close, rest = split_front_matter(b)
    if b"!!str" in head or b"\ntitle: " not in head:
        return None
    return head.replace(b"\ntitle: ", b"\ntitle: !!str ", 1) + close + rest


def _trailing_space(b):
    return b"---  " + b[3:] if b.startswith(b"---\n") else None


def _quotes(b):
    head, close, rest = split_front_matter(b)
    lines = head.split(b"\n")
    for i, line in enumerate(lines):
        value = line[len(b"title: "):].rstrip(b"\r")
        if line.startswith(b"title: ") and value[:1] not in (b"'", b'"', b"!"):
            lines[i] = b"title: '" + value + b"'" + (b"\r" if line.endswith(b"\r") else b"")
            return b"\n".join(lines) + close + rest
    return None


# Bytes that change no parsed value of the front-matter (reference §4.2:
# they are content all the same). Each returns None where it cannot apply.
UNSIGNED_BYTES = {
    "comment": _comment,
    "bom": _bom,
    "crlf": _crlf,
    "dots": _dots,
    "tag": _tag,
    "trailing-space": _trailing_space,
    "quotes": _quotes,
}


def odd_bytes(variant, data):
    out = UNSIGNED_BYTES[variant](data)
    if out is None:
        raise NotApplicable("%s is there already" % variant)
    return out


def h_unsigned_bytes(variant, x, m):
    """Unsigned bytes in an approved document: its parsed fields stay the same."""
    d = m.pick(x.rng, approved_procedure)
    x.write(d.path, odd_bytes(variant, x.read(d.path)))
    x.w.commit("eve", "Tidy %s" % d.id)
    return x.hostile("%s: %s" % (d.id, variant), ("revision.not-bumped",), "origin", "main")


def h_date_after_signature(x, m):
    """An unsigned commit moves approved_on or effective after the signature."""
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "ann")
    x.approve(d, x.rng.choice(APPROVERS[d.type]))
    field, value = x.rng.choice([("approved_on", days_after(m.today, -17)), ("effective", days_after(m.today, 214))])
    x.set_fields(d.path, **{field: value})
    x.w.commit("ann", "Fix the date")
    return x.hostile("%s moved to %s after the signature on %s" % (field, value, d.id),
                     ("approval.unsigned",), "origin", "main")


def h_content_after_signature(x, m):
    """An unsigned body edit after the approver signed (same revision)."""
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "ann")
    x.approve(d, x.rng.choice(APPROVERS[d.type]))
    x.body_edit(d, "eve")
    x.w.commit("eve", "One more sentence")
    return x.hostile("%s edited after its signed approval" % d.id, ("approval.unsigned",), "origin", "main")


def h_copied_approval(x, m):
    """A new revision with the previous approval left in place (approval.stale)."""
    d = m.pick(x.rng, approved_procedure)
    data = x.read(d.path).decode()
    rev = front_matter(x.read(d.path))["revision"]
    letter, num = rev.split("/")
    new = "%s/%d" % (letter, int(num) + 1)
    data = data.replace("revision: %s\n" % rev, "revision: %s\n" % new, 1)
    if "\nchange:" not in data:
        data = data.replace("\nstatus:", "\nchange: copied\nstatus:", 1)
    x.write(d.path, data.encode() + b"A changed sentence.\n")
    x.w.commit("ann", "Bump %s" % d.id)
    signed = x.rng.random() < 0.5
    if signed:
        x.w.commit(d.approver, "Nothing", sign_key=d.approver)
    return x.hostile("%s bumped to %s keeping approved_by %s%s" % (d.id, new, d.approver,
                     ", plus an empty commit signed by the approver" if signed else ""),
                     ("approval.stale",), "origin", "main")


def h_forged_approver(x, m):
    """approved_by typed in, committed as the approver, unsigned."""
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "ann")
    x.approve(d, "quinn", sign=False)
    x.w.commit("quinn", "Approve %s" % d.id)
    return x.hostile("%s approved_by quinn, unsigned" % d.id, ("approval.unsigned",), "origin", "main")


def h_unlisted_key(x, m):
    """An approval signed by a key the signers file does not list."""
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "ann")
    x.approve(d, "quinn", key="eve")
    return x.hostile("%s approved as quinn with eve's key" % d.id, ("approval.unsigned",), "origin", "main")


def h_force_push(x, m):
    """A force push that rewrites a protected branch, or moves a protected tag back."""
    movable = [t for t in sorted(m.tags) if len(m.history) > 1]
    if movable and x.rng.random() < 0.3:
        tag = x.rng.choice(movable)
        x.w.git("eve", "tag", "-a", "-m", "moved", "t", m.history[0])
        return x.hostile("%s moved to main's first commit" % tag, ("ref.non-fast-forward",),
                         "origin", "refs/tags/t:" + tag)
    refs = ["refs/heads/main"] + sorted(m.releases)
    ref = x.rng.choice(refs)
    x.w.git("eve", "fetch", "-q", "origin", "+%s:refs/heads/target" % ref)
    x.w.git("eve", "checkout", "-q", "target")
    if x.rng.random() < 0.5 and x.w.git("eve", "rev-parse", "-q", "--verify", "HEAD~1", check=False)[0] == 0:
        x.w.git("eve", "reset", "-q", "--hard", "HEAD~1")
        how = "back one commit"
    else:
        x.w.git("eve", "commit", "-q", "--amend", "--no-verify", "-m", "Rewritten")
        how = "amended"
    return x.hostile("force push of %s (%s)" % (ref, how), ("ref.non-fast-forward",), "origin", "target:" + ref)


def h_delete_ref(x, m):
    ref = x.rng.choice(["refs/heads/main", ALIAS] + sorted(m.releases) + sorted(m.tags))
    return x.hostile("delete %s" % ref, ("ref.delete",), "origin", ":" + ref)


def h_record_early_delete(x, m):
    d = m.pick(x.rng, lambda d: d.type == "record" and retention_end(d.approved_on) > m.today)
    x.w.git("eve", "rm", "-q", d.path)
    x.w.commit("quinn", "Dispose of %s" % d.id)
    return x.hostile("delete record %s before its retention" % d.id, ("record.retention",), "origin", "main")


def h_delete_document(x, m):
    d = m.pick(x.rng, lambda d: d.type == "procedure")
    x.w.git("eve", "rm", "-q", d.path)
    x.w.commit("eve", "Delete %s" % d.id)
    return x.hostile("delete %s" % d.id, ("doc.deleted",), "origin", "main")


def h_draft_on_main(x, m):
    d = x.new_doc("procedure")
    x.write(d.path, render(d, "A draft."))
    x.w.commit("eve", "Draft %s" % d.id)
    return x.hostile("draft %s on main" % d.id, ("status.not-approved",), "origin", "main")


def h_revive_obsolete(x, m):
    """An obsolete document edited and approved again, signed."""
    d = m.pick(x.rng, lambda d: d.status == "obsolete")
    data = x.read(d.path).replace(b"status: obsolete", b"status: draft")
    x.write(d.path, data + b"Revived.\n")
    x.w.commit("ann", "Revive %s" % d.id)
    x.write(d.path, x.read(d.path).replace(b"status: draft", b"status: obsolete"))
    x.w.commit("gina", "Keep it obsolete", sign_key="gina")
    return x.hostile("obsolete %s edited" % d.id, ("status.transition",), "origin", "main")


def h_record_edit(x, m):
    """An approved record edited as a new revision, approved and signed."""
    d = m.pick(x.rng, lambda d: d.type == "record" and d.status == "approved")
    x.revise(d, "ann")
    x.approve(d, "quinn")
    return x.hostile("record %s revised and approved by quinn" % d.id, ("record.immutable",), "origin", "main")


def h_self_granted_role(x, m):
    """An unsigned policy change making ann an approver, then ann's signed approval."""
    pol = x.read("docctl.yaml").decode().replace(
        "ann:   {name: Ann Author, email: ann@example.com, roles: [author]}",
        "ann:   {name: Ann Author, email: ann@example.com, roles: [author, qa-manager]}")
    x.write("docctl.yaml", pol.encode())
    x.w.commit("ann", "Roles")
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "eve")
    x.approve(d, "ann")
    return x.hostile("ann makes herself qa-manager and approves %s" % d.id,
                     ("policy.unapproved-change",), "origin", "main")


def h_unauthorized_approver(x, m):
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "eve")
    x.w.dc("ann", "approve", d.id, check=False)  # docctl itself refuses: ann holds no approver role
    x.typed_approval(d, "ann")
    x.w.commit("ann", "Approve %s" % d.id, sign_key="ann")
    return x.hostile("ann (no approver role) approves %s, signed" % d.id, ("approval.unauthorized",),
                     "origin", "main")


def h_release_from_feature(x, m):
    """Drafts first pushed to a feature branch, then the same commit as a new release."""
    x.w.git("ann", "checkout", "-q", "-b", "feature")
    d = x.new_doc("procedure")
    x.write(d.path, render(d, "Draft text."))
    x.w.commit("ann", "Draft")
    ref = "refs/heads/feature/%d" % x.next("feature")
    rel = x.release_name()
    return Plan("drafts on %s, then %s from it" % (ref, rel),
                [Push(["--force", "origin", "feature:" + ref], ANY),
                 Push(["--force", "origin", "feature:" + rel], REFUSE)], None, ("status.not-approved",))


def h_protected_tag(x, m):
    """A protected tag (refs/tags/release-*) on an unapproved commit, or on a tree."""
    tag = "refs/tags/release-%d" % x.next("tag")
    if x.rng.random() < 0.5:
        d = m.pick(x.rng, approved_procedure)
        x.body_edit(d, "eve")
        x.w.commit("eve", "Edit")
        x.w.git("eve", "tag", "-a", "-m", "release", "t", "HEAD")
        return x.hostile("annotated %s on an unsigned edit of %s" % (tag, d.id), ("revision.not-bumped",),
                         "origin", "refs/tags/t:" + tag)
    tree = x.w.out("eve", "rev-parse", "HEAD^{tree}")
    return x.hostile("%s pointing at a tree" % tag, (), "origin", "%s:%s" % (tree, tag))


def h_change_id(x, m):
    """An approved document's id changed (and the file renamed), approved and signed."""
    d = m.pick(x.rng, approved_procedure)
    new_id = "SP-%03d" % x.next("SP")
    x.w.dc("ann", "revise", d.id, "--change", "renumbered")
    data = x.read(d.path).replace(("id: " + d.id).encode(), ("id: " + new_id).encode(), 1)
    new = os.path.join(os.path.dirname(d.path), new_id + ".md")
    x.remove(d.path)
    x.write(new, data)
    x.w.commit("ann", "Renumber")
    x.w.dc("quinn", "approve", new_id, "--sign")
    return x.hostile("%s renumbered %s, approved by quinn" % (d.id, new_id), ("doc.deleted", "id.changed"),
                     "origin", "main")


def h_duplicate_id(x, m):
    """A second document with an approved document's id, its approval alone signed."""
    d = m.pick(x.rng, approved_procedure)
    twin = Doc(d.id, "procedure", "docs/other/%s-twin.md" % d.id)
    x.write(twin.path, render(twin, "A twin."))
    x.w.commit("ann", "Twin")
    twin.status = "approved"
    x.write(twin.path, render(twin, "A twin.", ["approved_by: quinn", "approved_on: " + m.today]))
    x.w.commit("quinn", "Approve the twin", sign_key="quinn")
    return x.hostile("a second %s, approval signed by quinn" % d.id, ("id.duplicate",), "origin", "main")


def h_bad_filename(x, m):
    """A rename to a file name that does not carry the id."""
    d = m.pick(x.rng, approved_procedure)
    new = os.path.join(os.path.dirname(d.path), "policy-%d.md" % x.step)
    x.w.git("eve", "mv", d.path, new)
    x.w.commit("eve", "Rename")
    return x.hostile("%s renamed to %s" % (d.id, new), ("id.filename",), "origin", "main")


def h_mixed_push(x, m):
    """A hostile main and a harmless feature branch in one push: all refused."""
    x.w.git("ann", "branch", "harmless")
    d = m.pick(x.rng, approved_procedure)
    x.body_edit(d, "eve")
    x.w.commit("eve", "Edit %s" % d.id)
    ref = "refs/heads/feature/%d" % x.next("feature")
    return x.hostile("unsigned edit of %s on main with %s" % (d.id, ref), ("revision.not-bumped",),
                     "origin", "main", "harmless:" + ref)


def h_evil_merge(x, m):
    """A signed merge by the approver that also edits the document (self-approval)."""
    d = m.pick(x.rng, approved_procedure)
    x.w.git("ann", "checkout", "-q", "-b", "side")
    x.write("notes/side-%d.txt" % x.step, b"side\n")
    x.w.commit("ann", "Side")
    x.w.git("ann", "checkout", "-q", "main")
    x.write("notes/main-%d.txt" % x.step, b"main\n")
    x.w.commit("ann", "Main")
    who = x.rng.choice(APPROVERS[d.type])
    x.w.git(who, "merge", "-q", "--no-commit", "side", check=False)
    x.w.dc(who, "revise", d.id, "--change", "in a merge")
    x.body_edit(d, who)
    x.typed_approval(d, who)
    x.w.commit(who, "Merge side", sign_key=who)
    return x.hostile("%s's signed merge edits and approves %s" % (who, d.id), ("approval.self",), "origin", "main")


def h_pusher_spoof(x, m):
    """An unsigned approval pushed with GL_USER naming the approver (the
    policy trusts signatures only)."""
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "ann")
    x.approve(d, "quinn", sign=False)
    x.w.commit("ann", "Approve %s" % d.id)
    plan = x.hostile("%s approved by quinn, pushed with GL_USER=quinn" % d.id, ("approval.unsigned",),
                     "origin", "main")
    plan.pushes[0].env = {"GL_USER": "quinn", "REMOTE_USER": "quinn"}
    return plan


def h_rollback(x, m):
    """A document put back to an earlier approved version (its old signed approval included)."""
    d = m.pick(x.rng, approved_procedure)
    log = x.w.out("eve", "log", "--format=%H", "main", "--", d.path).split()
    olds = [c for c in log[1:] if front_matter(x.w.git("eve", "show", "%s:%s" % (c, d.path), check=False)[1].encode())
            .get("status") == "approved"]
    if not olds:
        raise NotApplicable()
    old = x.rng.choice(olds)
    x.write(d.path, x.w.git("eve", "show", "%s:%s" % (old, d.path))[1].encode())
    x.w.commit("eve", "Roll %s back" % d.id)
    return x.hostile("%s rolled back to its version of %s" % (d.id, old[:12]),
                     ("revision.regressed", "revision.not-bumped"), "origin", "main")


def h_wrong_person_key(x, m):
    """approved_by gina, signed with quinn's key."""
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "ann")
    x.approve(d, "gina", key="quinn")
    return x.hostile("%s approved as gina with quinn's key" % d.id, ("approval.bad-signature",), "origin", "main")


def h_unrelated_merge(x, m):
    """A merge of an unrelated history carrying a forged approved document."""
    x.w.git("eve", "checkout", "-q", "--orphan", "other")
    x.w.git("eve", "rm", "-rqf", ".")
    d = Doc("SP-%03d" % x.next("SP"), "procedure", "docs/procedures/SP-%03d-merged.md" % x.counter["SP"],
            status="approved")
    x.write(d.path, render(d, "Merged in.", ["approved_by: quinn", "approved_on: " + m.today]))
    x.w.commit("eve", "Another history")
    x.w.git("eve", "checkout", "-q", "main")
    x.w.git("eve", "merge", "-q", "--no-edit", "--allow-unrelated-histories", "other")
    return x.hostile("unrelated history merged, bringing %s approved by quinn (unsigned)" % d.id,
                     ("approval.unsigned",), "origin", "main")


def h_policy_unsigned(x, m):
    """The policy or the signers file changed in an unsigned commit."""
    what = x.rng.choice(["delete-signers", "protected", "schema"])
    if what == "delete-signers":
        x.remove(".docctl/allowed_signers")
    elif what == "protected":
        x.write("docctl.yaml", x.read("docctl.yaml").replace(b'"refs/heads/release/*", ', b""))
    else:
        x.write("schema/document.schema.yaml", x.read("schema/document.schema.yaml") + b"# unsigned\n")
    x.w.commit("ann", "Policy: " + what)
    return x.hostile("unsigned policy change: %s" % what, ("policy.unapproved-change",), "origin", "main")


def h_planted_replace(x, m):
    """A replace ref left on the server (as if planted before the hooks were
    upgraded) and a push of more than 16 commits, where git diff-tree would
    honour it: the approver's own rewrite of a draft, replaced by the
    author's harmless tree, hides her self-approval (issue 11 item 3)."""
    w, srv = x.w, x.server
    d = m.pick(x.rng, approved_procedure)
    x.revise(d, "ann")
    harmless = x.head()
    x.body_edit(d, "quinn")
    w.commit("quinn", "Quinn rewrites %s" % d.id)
    rewritten = w.out("quinn", "rev-parse", "HEAD^{tree}")
    x.write("notes/other-%d.txt" % x.step, b"other\n")
    w.commit("ann", "Something else")
    x.typed_approval(d, "quinn")  # docctl approve would refuse: she changed the text
    w.commit("quinn", "Approve %s" % d.id, sign_key="quinn")
    for i in range(17):
        x.write("notes/pad-%d.txt" % i, b"%d\n" % i)
        w.commit("ann", "Pad %d" % i)
    w.git("eve", "update-ref", "refs/heads/harmless", harmless)
    w.git("admin", "fetch", "-q", x.a.work, "refs/heads/harmless:refs/adv-planted", cwd=srv)
    w.git("admin", "update-ref", "refs/replace/" + rewritten, harmless + "^{tree}", cwd=srv)
    w.git("admin", "update-ref", "-d", "refs/adv-planted", cwd=srv)

    def cleanup():
        w.git("admin", "update-ref", "-d", "refs/replace/" + rewritten, cwd=srv)
    plan = x.hostile("replace ref planted on the server; quinn rewrites and approves %s in a push of 21 commits"
                     % d.id, ("approval.self",), "origin", "main")
    plan.cleanup = cleanup
    return plan

def h_forged_review(x, m):
    """reviewed_by typed in, unsigned."""
    d = m.pick(x.rng, approved_procedure)
    who = "gina" if front_matter(x.read(d.path)).get("reviewed_by") == "quinn" else "quinn"
    x.set_fields(d.path, reviewed_by=who, reviewed_on=m.today)
    x.w.commit(who, "Review %s" % d.id)
    return x.hostile("%s reviewed_by %s, unsigned" % (d.id, who), ("approval.unsigned",), "origin", "main")


def h_forged_obsolete(x, m):
    """A withdrawal typed in, unsigned."""
    d = m.pick(x.rng, lambda d: approved_procedure(d) and not m.referenced(d.id))
    x.set_fields(d.path, status="obsolete", obsoleted_by="gina", obsoleted_on=m.today)
    x.w.commit("gina", "Withdraw %s" % d.id)
    return x.hostile("%s obsoleted_by gina, unsigned" % d.id, ("approval.unsigned",), "origin", "main")


def h_retirement_edit(x, m):
    """An obsolete document's superseded_by changed (signed by an approver)."""
    d = m.pick(x.rng, lambda d: d.status == "obsolete")
    now = front_matter(x.read(d.path)).get("superseded_by")
    others = sorted(i for i, o in m.docs.items() if approved_procedure(o) and i != now)
    if not others:
        raise NotApplicable()
    x.set_fields(d.path, superseded_by=x.rng.choice(others))
    x.w.commit("gina", "Point %s elsewhere" % d.id, sign_key="gina")
    return x.hostile("obsolete %s's superseded_by changed, signed by gina" % d.id, ("status.transition",),
                     "origin", "main")


def _malform(variant, data):
    head, close, rest = split_front_matter(data)
    if variant == "nul":
        return head + close + rest + b"\0"
    if variant == "bad-utf8":
        return head + close + rest + b"\xff\xfe bad\n"
    if variant == "alias":
        return head.replace(b"\ntitle: ", b"\ntitle: &t ", 1) + b"\nsubtitle: *t" + close + rest
    if variant == "duplicate-key":
        return head + b"\napproved_by: gina" + close + rest
    if variant == "deep":
        return head + b"\nextra: " + b"[" * 20 + b"]" * 20 + close + rest
    if variant == "huge":
        return head + close + rest + b"Padding line of the body.\n" * 170000
    raise AssertionError(variant)


MALFORMED = ["nul", "bad-utf8", "alias", "duplicate-key", "deep", "huge"]


def h_malformed_signed(x, m):
    """A new revision that is not a valid document (a NUL byte, invalid
    UTF-8, a YAML alias, a duplicate key, nesting too deep, over 4 MiB),
    approved in a signed commit of its own by an approver."""
    d = m.pick(x.rng, approved_procedure)
    variant = x.rng.choice(MALFORMED)
    x.w.dc("ann", "revise", d.id, "--change", "malformed")
    x.body_edit(d, "ann")
    x.write(d.path, _malform(variant, x.read(d.path)))
    x.w.commit("ann", "Revise %s (%s)" % (d.id, variant))
    x.typed_approval(d, "quinn")
    x.w.commit("quinn", "Approve %s" % d.id, sign_key="quinn")
    return x.hostile("%s revised with %s, approved and signed by quinn" % (d.id, variant),
                     ("file.binary", "encoding.utf8", "yaml.alias", "yaml.duplicate-key", "yaml.too-deep",
                      "file.too-large"), "origin", "main")


# One table: name, legitimate?, generator(adversary, model copy) -> Plan.
ACTIONS = [
    ("new-document", True, l_new_document),
    ("revise-approve", True, l_revise),
    ("rename", True, l_rename),
    ("review", True, l_review),
    ("obsolete", True, l_obsolete),
    ("policy-edit", True, l_policy_edit),
    ("release-create", True, l_release_create),
    ("release-fast-forward", True, l_release_ff),
    ("feature-drafts", True, l_feature_drafts),
    ("push-through-alias", True, l_alias_push),
    ("release-tag", True, l_release_tag),
    ("feature-then-main", True, l_feature_to_main),
    ("feature-delete", True, l_feature_delete),
    ("revise-odd-bytes", True, l_revise_odd_bytes),
    ("typed-approval-signed", True, l_typed_approval),
    ("record-disposal", True, l_record_disposal),
    ("hijack-default-branch", False, h_hijack_default_branch),
    ("gitlink-document", False, h_gitlink_document),
    ("gitlink-record", False, h_gitlink_record),
    ("submodule", False, h_submodule),
    ("smuggled-file", False, h_smuggled_file),
    ("forged-check", False, h_forged_check),
    ("symlink-folder", False, h_symlink_folder),
    ("symlink-document", False, h_symlink_document),
    ("case-collision", False, h_case_collision),
    ("unicode-collision", False, h_unicode_collision),
    ("gitattributes", False, h_gitattributes),
    ("replace-ref", False, h_replace_ref),
    ("replace-ref-planted", False, h_planted_replace),
    ("alias-unapproved", False, h_alias_unapproved),
    ("signature-rides-along", False, h_ride_along),
    ("signer-key-smuggled", False, h_signer_smuggle),
    ("self-approval-author", False, h_self_approval_author),
] + [("unsigned-bytes-" + v, False, functools.partial(h_unsigned_bytes, v)) for v in UNSIGNED_BYTES] + [
    ("date-after-signature", False, h_date_after_signature),
    ("content-after-signature", False, h_content_after_signature),
    ("copied-approval", False, h_copied_approval),
    ("forged-approver", False, h_forged_approver),
    ("unlisted-key", False, h_unlisted_key),
    ("force-push", False, h_force_push),
    ("delete-ref", False, h_delete_ref),
    ("record-early-delete", False, h_record_early_delete),
    ("delete-document", False, h_delete_document),
    ("draft-on-main", False, h_draft_on_main),
    ("revive-obsolete", False, h_revive_obsolete),
    ("record-edit", False, h_record_edit),
    ("self-granted-role", False, h_self_granted_role),
    ("unauthorized-approver", False, h_unauthorized_approver),
    ("release-from-feature", False, h_release_from_feature),
    ("protected-tag", False, h_protected_tag),
    ("change-id", False, h_change_id),
    ("duplicate-id", False, h_duplicate_id),
    ("bad-filename", False, h_bad_filename),
    ("mixed-push", False, h_mixed_push),
    ("evil-merge", False, h_evil_merge),
    ("pusher-env-spoof", False, h_pusher_spoof),
    ("rollback", False, h_rollback),
    ("wrong-person-key", False, h_wrong_person_key),
    ("unrelated-merge", False, h_unrelated_merge),
    ("policy-unsigned", False, h_policy_unsigned),
    ("forged-review", False, h_forged_review),
    ("forged-obsolete", False, h_forged_obsolete),
    ("retirement-edit", False, h_retirement_edit),
    ("malformed-signed", False, h_malformed_signed),
]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--docctl", required=True)
    p.add_argument("--keys", required=True, help="ssh keys named ann, quinn, gina, eve")
    p.add_argument("--seed-dir", required=True, help="docctl.yaml, schema/, .docctl/allowed_signers")
    p.add_argument("--server", required=True, help="a bare repository with docctl's hooks, no refs")
    p.add_argument("--work", required=True, help="where to clone (must not exist)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--max-seconds", type=float, default=0, help="stop drawing steps after this long (0: never)")
    p.add_argument("--only", action="append", help="draw only this kind (repeatable)")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--repro", default="adversary.py ... --seed {seed} --steps {steps}",
                   help="how to rerun, for the failure report ({seed} and {steps} filled in)")
    a = p.parse_args()
    a.work, a.server, a.keys, a.seed_dir = map(os.path.abspath, (a.work, a.server, a.keys, a.seed_dir))
    return a


if __name__ == "__main__":
    os.environ["DOCCTL_AS_OF"] = START
    Adversary(parse_args()).main()
