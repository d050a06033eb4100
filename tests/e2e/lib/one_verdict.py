#!/usr/bin/env python3
"""one_verdict.py - reference §6.9 as a property test: for the same tree,
pre-commit, `docctl check` and the server agree.

A copy of sample-repo (its signers file replaced by fresh keys for its
people) with the client hooks (`docctl init --hooks`) and a bare server with
the server hooks. Each step draws, with a seeded RNG, either random edits
(content, fields, renames, deletions, new documents and revisions, approvals,
withdrawals with superseded_by, references, links), committed through the
pre-commit hook by a random person, or an approval round (every draft
approved by an approver who did not write it, each approval its own commit
signed by that approver) which is then pushed to main. Some steps also push
to a feature branch. Properties:
  1. pre-commit accepts a commit on top of a clean HEAD => `docctl check
     --rev HEAD` is clean (exit 0);
  2. the server accepts a push of REF => `docctl check --rev REF` run on the
     server is clean (a feature branch, and main).
A broken property prints the seed, the step, the edits and every command with
its output. Output is TAP. Standard library only.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gitrepo import Log, People, Runner, StepError  # noqa: E402

TODAY = "2026-12-01"
PEOPLE = {
    "li.wei": ("李伟", "li.wei@example.com"),
    "zhang.min": ("张敏", "zhang.min@example.com"),
    "wang.fang": ("王芳", "wang.fang@example.com"),
    "chen.jing": ("陈静", "chen.jing@example.com"),
    "liu.yang": ("刘洋", "liu.yang@example.com"),
    "zhao.lei": ("赵磊", "zhao.lei@example.com"),
    "admin": ("Admin", "admin@example.com"),
}
EDITORS = ["li.wei", "chen.jing", "zhao.lei", "zhang.min"]
# approvers per type in sample-repo's policy
APPROVERS = {
    "manual": ["wang.fang"],
    "procedure": ["zhang.min", "wang.fang"],
    "work-instruction": ["zhang.min", "chen.jing"],
    "form": ["zhang.min", "liu.yang"],
    "record": ["zhang.min", "chen.jing"],
    "external": ["liu.yang", "zhang.min"],
}


class NotApplicable(Exception):
    pass


def front_matter(data):
    fields, lines = {}, data.decode("utf-8", "replace").split("\n")
    for line in lines[1:]:
        if line.rstrip() in ("---", "..."):
            break
        if ":" in line and not line.startswith((" ", "#", "-")):
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    return fields


class Verdicts:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.log = Log()
        self.people = People(a.work + ".homes", a.keys, PEOPLE)
        self.w = Runner(a.work, self.people, self.log, a.docctl)
        self.failures = {1: [], 2: [], 3: []}
        self.stats = {"commits": 0, "refused": 0, "no-verify": 0, "feature": 0, "feature-refused": 0,
                      "main": 0, "main-refused": 0, "bare-check": None}
        self.step = 0

    # ------------------------------------------------ the working tree

    def path(self, rel):
        return os.path.join(self.a.work, rel)

    def read(self, rel):
        with open(self.path(rel), "rb") as f:
            return f.read()

    def write(self, rel, data):
        os.makedirs(os.path.dirname(self.path(rel)), exist_ok=True)
        with open(self.path(rel), "wb") as f:
            f.write(data)

    def docs(self):
        """{id: (path, fields)} of the controlled documents in the working tree."""
        out = {}
        for root in ("docs", "records"):
            for dirpath, dirs, files in os.walk(self.path(root)):
                dirs.sort()  # the same order on every file system: reproducible
                for f in sorted(files):
                    if f.endswith(".md"):
                        rel = os.path.relpath(os.path.join(dirpath, f), self.a.work)
                        fm = front_matter(self.read(rel))
                        if "id" in fm:
                            out.setdefault(fm["id"], (rel, fm))
        return out

    def pick(self, pred=lambda fm: True, drafts=0.0):
        """A random document whose fields satisfy pred; with probability
        `drafts`, a draft one when there is one (edits that keep working)."""
        docs = self.docs()
        ids = sorted(i for i, (_, fm) in docs.items() if pred(fm))
        draft_ids = [i for i in ids if docs[i][1].get("status") in ("draft", "in-review")]
        if draft_ids and self.rng.random() < drafts:
            ids = draft_ids
        if not ids:
            raise NotApplicable()
        i = self.rng.choice(ids)
        return i, docs[i][0], docs[i][1]

    def set_field(self, rel, key, value):
        """Sets a top-level front-matter field (adds it before the closing line)."""
        lines = self.read(rel).decode().split("\n")
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        for i in range(1, end):
            if lines[i].startswith(key + ":"):
                if value is None:
                    del lines[i]
                else:
                    lines[i] = "%s: %s" % (key, value)
                break
        else:
            if value is not None:
                lines.insert(end, "%s: %s" % (key, value))
        self.write(rel, "\n".join(lines).encode())

    # ------------------------------------------------ edits

    def e_body(self, who):
        i, rel, _ = self.pick(drafts=0.8)
        self.write(rel, self.read(rel) + ("\n本段由 %s 在第 %d 步修改。\n" % (who, self.step)).encode())
        return "body of %s" % i

    def e_revise(self, who):
        i, rel, _ = self.pick(lambda fm: fm.get("status") == "approved")
        self.w.dc(who, "revise", i, "--change", "step %d" % self.step, check=False)
        self.write(rel, self.read(rel) + ("\n第 %d 步的新内容。\n" % self.step).encode())
        return "revise %s" % i

    def e_title(self, who):
        i, rel, _ = self.pick(drafts=0.8)
        self.set_field(rel, "title", "新标题 %d" % self.step)
        return "title of %s" % i

    def e_owner(self, who):
        i, rel, _ = self.pick(drafts=0.8)
        owner = self.rng.choice(list(APPROVERS["record"]) + ["li.wei", "nobody"])
        self.set_field(rel, "owner", owner)
        return "owner of %s := %s" % (i, owner)

    def e_status(self, who):
        i, rel, _ = self.pick()
        s = self.rng.choice(["draft", "in-review", "aproved", "approved", "obsolete"])
        self.set_field(rel, "status", s)
        return "status of %s := %s" % (i, s)

    def e_reference(self, who):
        i, rel, _ = self.pick(drafts=0.8)
        docs = self.docs()
        target = self.rng.choice(sorted(docs) + ["SP-999"])
        self.set_field(rel, "references", "[%s]" % target)
        return "references of %s := [%s]" % (i, target)

    def e_rename(self, who):
        i, rel, _ = self.pick()
        root = rel.split("/")[0]
        name = self.rng.choice(["%s-renamed-%d.md" % (i, self.step), "%s.md" % i, "renamed-%d.md" % self.step])
        folder = self.rng.choice([os.path.dirname(rel), root + "/moved"])
        new = "%s/%s" % (folder, name)
        if os.path.exists(self.path(new)):
            raise NotApplicable()
        os.makedirs(os.path.dirname(self.path(new)), exist_ok=True)
        self.w.git(who, "mv", rel, new)
        return "rename %s -> %s" % (rel, new)

    def e_delete(self, who):
        i, rel, _ = self.pick()
        self.w.git(who, "rm", "-q", rel)
        return "delete %s" % i

    def e_new(self, who):
        type = self.rng.choice(sorted(APPROVERS))
        self.w.dc(who, "new", type, "--title", "第 %d 步新文件" % self.step, check=False)
        return "new %s" % type

    def e_approve(self, who):
        i, rel, fm = self.pick(lambda fm: fm.get("status") in ("draft", "in-review"))
        who = self.rng.choice(APPROVERS.get(fm.get("type"), ["zhang.min"]) + [who])
        self.w.dc(who, "approve", i, check=False)
        return "approve %s as %s" % (i, who)

    def e_self_approval(self, who):
        i, rel, fm = self.pick(lambda fm: fm.get("status") in ("draft", "in-review"))
        self.set_field(rel, "status", "approved")
        self.set_field(rel, "approved_by", who)
        self.set_field(rel, "approved_on", TODAY)
        return "%s typed in approved_by %s on %s" % (who, who, i)

    def e_obsolete(self, who):
        i, rel, fm = self.pick(lambda fm: fm.get("status") == "approved")
        who = self.rng.choice(APPROVERS.get(fm.get("type"), ["zhang.min"]))
        args = ["obsolete", i]
        if self.rng.random() < 0.6:
            args += ["--superseded-by", self.rng.choice(sorted(self.docs()))]
        self.w.dc(who, *args, check=False)
        return " ".join(args) + " as " + who

    def e_superseded(self, who):
        i, rel, _ = self.pick(lambda fm: fm.get("status") == "obsolete")
        target = self.rng.choice(sorted(self.docs()))
        self.set_field(rel, "superseded_by", target)
        return "superseded_by of %s := %s" % (i, target)

    def e_copied_approval(self, who):
        i, rel, fm = self.pick(lambda fm: fm.get("status") == "approved" and "/" in fm.get("revision", ""))
        letter, num = fm["revision"].split("/")
        self.set_field(rel, "revision", "%s/%d" % (letter, int(num) + 1))
        self.set_field(rel, "change", "copied approval")
        self.write(rel, self.read(rel) + b"\nA changed sentence.\n")
        return "bump %s keeping its approval" % i

    def e_link(self, who):
        i, rel, _ = self.pick(drafts=0.8)
        target = self.rng.choice(["missing-%d.md" % self.step, "/README.md", "../forms/"])
        self.write(rel, self.read(rel) + ("\n见 [附件](%s)。\n" % target).encode())
        return "link %s in %s" % (target, i)

    def e_change_removed(self, who):
        i, rel, _ = self.pick(lambda fm: "change" in fm)
        self.set_field(rel, "change", None)
        return "change removed from %s" % i

    def e_dates(self, who):
        i, rel, _ = self.pick(lambda fm: "approved_on" in fm)
        self.set_field(rel, "effective", "2020-01-01")
        return "effective of %s before approved_on" % i

    # drawn uniformly; the ones that usually keep the tree valid appear more often
    EDITS = ["e_body", "e_body", "e_revise", "e_revise", "e_revise", "e_title", "e_owner", "e_status",
             "e_reference", "e_reference", "e_rename", "e_rename", "e_delete", "e_new", "e_new", "e_new",
             "e_approve", "e_self_approval", "e_obsolete", "e_obsolete", "e_superseded", "e_copied_approval",
             "e_link", "e_change_removed", "e_dates"]

    # ------------------------------------------------ checks

    def check_rev(self, rev, cwd=None):
        rc, out = self.w.dc("admin", "check", "--rev", rev, check=False) if cwd is None else \
            self.w.run("admin", [self.a.docctl, "check", "--rev", rev], check=False, cwd=cwd)
        return rc, out

    def fail(self, prop, what, edits):
        self.failures[prop].append(self.step)
        print("# FAIL seed=%d step=%d property %d: %s" % (self.a.seed, self.step, prop, what))
        print("# edits: " + "; ".join(edits))
        print("# reproduce: " + self.a.repro.format(seed=self.a.seed, steps=self.step))
        for line in self.log.text().split("\n"):
            print("#   " + line)
        sys.stdout.flush()

    def server_check(self, ref):
        """`docctl check --rev REF` on the server; when check cannot run in a
        bare repository, the same tree fetched into a scratch clone."""
        rc, out = self.check_rev(ref, cwd=self.a.server)
        if rc == 2 and "bare repository" in out:
            self.stats["bare-check"] = out.strip().split("\n")[-1]
            self.w.git("admin", "fetch", "-q", "--no-tags", "origin", "+%s:refs/verify/server" % ref)
            return self.check_rev("refs/verify/server")
        return rc, out

    def push(self, ref, edits, pusher=None):
        """Pushes HEAD to REF (as `pusher`: GL_USER); when the server accepts,
        the server's check of REF must be clean (property 2, 3 for main)."""
        key = "main" if ref == "refs/heads/main" else "feature"
        head = self.w.out("admin", "rev-parse", "HEAD")
        if self.w.git("admin", "rev-parse", "-q", "--verify", ref, check=False, cwd=self.a.server)[1].strip() == head:
            return True  # nothing new to push: no verdict
        rc, _ = self.w.git("admin", "push", "-q", "--force", "origin", "HEAD:" + ref, check=False,
                           env={"GL_USER": pusher} if pusher else None)
        if rc != 0:
            self.stats[key + "-refused"] += 1
            return False
        self.stats[key] += 1
        crc, out = self.server_check(ref)
        if crc != 0:
            self.fail(3 if key == "main" else 2, "the server accepted %s but check --rev on the server exits %d"
                      % (ref, crc), edits)
        return True

    # ------------------------------------------------ steps

    def commit(self, who, msg, edits, sign=False, verify=True):
        """git commit through the pre-commit hook; property 1 when it accepts.
        With verify=False (git commit --no-verify, as anyone may) the commit
        is made whatever it holds; returns whether HEAD is then clean."""
        self.w.git(who, "add", "-A")
        args = ["commit", "-q", "-m", msg] + (["-S"] if sign else []) + ([] if verify else ["--no-verify"])
        rc, _ = self.w.git(who, *args, check=False)
        if not verify:
            if rc != 0:
                return True  # nothing to commit: HEAD stays as it was
            self.stats["no-verify"] += 1
            return self.check_rev("HEAD")[0] == 0
        if rc != 0:
            self.stats["refused"] += 1
            if self.a.verbose:
                print("# step %d refused: %s" % (self.step, "; ".join(edits)))
                print("\n".join("#   " + l for l in self.log.lines if "error:" in l))
            self.w.git("admin", "reset", "-q", "--hard", "HEAD")
            self.w.git("admin", "clean", "-qfdx")
            return False
        self.stats["commits"] += 1
        crc, _ = self.check_rev("HEAD")
        if crc != 0 and self.check_rev("HEAD~1")[0] == 0:  # the property speaks of a clean parent
            self.fail(1, "pre-commit accepted the commit but check --rev HEAD exits %d" % crc, edits)
            self.w.git("admin", "reset", "-q", "--hard", "HEAD~1")  # back to a clean HEAD
            return False
        return True

    def edit_step(self):
        who = self.rng.choice(EDITORS)
        edits = []
        for _ in range(self.rng.choice([1, 1, 1, 2, 3])):
            name = self.rng.choice(self.EDITS)
            try:
                edits.append(getattr(self, name)(who))
            except NotApplicable:
                pass
        if not edits:
            return
        verify = self.rng.random() >= 0.25
        clean = self.commit(who, "Step %d: %s" % (self.step, "; ".join(edits)), ["by " + who] + edits,
                            verify=verify)
        if self.rng.random() < (0.3 if verify else 0.8):
            self.push("refs/heads/feature/%d" % self.rng.randint(1, 3), edits)
        if not clean and not verify:
            if self.rng.random() < 0.5 and not self.push("refs/heads/main", edits):
                self.stats["main-refused"] -= 1  # a broken tree refused: not counted against approvals
            # the server had its say on the broken tree; back to a clean HEAD
            self.w.git("admin", "reset", "-q", "--hard", "HEAD~1")
            self.w.git("admin", "clean", "-qfdx")

    def approval_step(self):
        """Every draft approved by someone who may, each in its own signed
        commit; then a push to main (if refused, back to the server's main)."""
        edits = []
        # sample-repo trusts signatures and the pusher's name (GL_USER): some
        # rounds leave the approvals unsigned and push as one approver
        pusher = self.rng.choice(["zhang.min", "wang.fang"]) if self.rng.random() < 0.3 else None
        for i, (rel, fm) in sorted(self.docs().items()):
            if fm.get("status") not in ("draft", "in-review"):
                continue
            who_may = APPROVERS.get(fm.get("type"), [])
            for who in ([pusher] if pusher in who_may else []) + self.rng.sample(who_may, len(who_may)):
                rc, _ = self.w.dc(who, "approve", i, check=False)
                if rc == 0:
                    sign = who != pusher
                    if self.commit(who, "Approve %s" % i, edits + ["approve %s as %s" % (i, who)], sign=sign):
                        edits.append("approve %s as %s (%s)" % (i, who, "signed" if sign else "pushed by " + who))
                    break
        if not self.push("refs/heads/main", edits or ["nothing to approve"], pusher):
            self.w.git("admin", "fetch", "-q", "origin")
            self.w.git("admin", "reset", "-q", "--hard", "origin/main")
            self.w.git("admin", "clean", "-qfdx")

    # ------------------------------------------------ set-up and run

    def setup(self):
        a = self.a
        shutil.copytree(a.sample, a.work)
        with open(self.path(".docctl/allowed_signers"), "w") as f:
            for who in PEOPLE:
                if who != "admin":
                    pub = open(self.people.key(who) + ".pub").read().strip()
                    f.write('%s namespaces="git" %s\n' % (PEOPLE[who][1], pub))
        self.w.git("admin", "init", "-q")
        self.w.dc("admin", "init", "--hooks")
        self.w.git("admin", "add", "-A")
        self.w.git("admin", "commit", "-q", "-m", "sample-repo with this test's keys")
        self.w.git("admin", "init", "-q", "--bare", a.server, cwd=os.path.dirname(a.server))
        self.w.run("admin", [a.docctl, "init", "--hooks"], cwd=a.server)
        self.w.git("admin", "remote", "add", "origin", a.server)
        self.w.git("admin", "push", "-q", "origin", "HEAD:refs/heads/main")
        rc, out = self.check_rev("HEAD")
        if rc != 0:
            print("Bail out! sample-repo does not pass check --rev HEAD:\n" + out)
            sys.exit(1)

    def main(self):
        try:
            self.setup()
        except StepError as e:
            print("Bail out! set-up failed: %s" % e)
            for line in self.log.text().split("\n"):
                print("#   " + line)
            sys.exit(1)
        start = time.monotonic()
        while self.step < self.a.steps:
            if self.a.max_seconds and time.monotonic() - start > self.a.max_seconds:
                print("# time budget of %d s reached after %d steps" % (self.a.max_seconds, self.step))
                break
            self.step += 1
            self.log.clear()
            try:
                if self.rng.random() < 0.25:
                    self.approval_step()
                else:
                    self.edit_step()
            except NotApplicable:
                pass
            except Exception as e:  # StepError, or a bug of the test: said, and the run goes on
                print("# step %d could not run: %s" % (self.step, e))
                for line in self.log.text().split("\n"):
                    print("#   " + line)
                self.failures[1].append(self.step)
                self.w.git("admin", "reset", "-q", "--hard", "HEAD", check=False)
                self.w.git("admin", "clean", "-qfdx", check=False)
        self.report(time.monotonic() - start)

    def report(self, elapsed):
        s = self.stats
        lines = [
            (1, "pre-commit accepts on a clean HEAD => check --rev HEAD is clean (%d accepted, %d refused; "
             "%d commits --no-verify)" % (s["commits"], s["refused"], s["no-verify"])),
            (2, "the server accepts a feature branch => check --rev on the server is clean (%d accepted, %d refused)"
             % (s["feature"], s["feature-refused"])),
            (3, "the server accepts main => check --rev main on the server is clean (%d accepted, %d refused)"
             % (s["main"], s["main-refused"])),
        ]
        print("1..5")
        for n, text in lines:
            f = self.failures[n]
            print("%s %d - %s%s" % ("not ok" if f else "ok", n, text, " (broken at steps %s)" % f if f else ""))
        exercised = s["commits"] >= 5 and s["feature"] >= 1 and s["main"] >= 1
        print("%s 4 - the properties were exercised (pre-commit accepted >= 5, one feature and one main push accepted)"
              % ("ok" if exercised else "not ok"))
        if s["bare-check"]:
            print("not ok 5 - check --rev REF runs in the server's bare repository\n#   " + s["bare-check"])
        else:
            print("ok 5 - check --rev REF runs in the server's bare repository")
        print("# seed %d, %d steps, %.1f s" % (self.a.seed, self.step, elapsed))
        bad = any(self.failures.values()) or not exercised or s["bare-check"]
        sys.exit(1 if bad else 0)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--docctl", required=True)
    p.add_argument("--sample", required=True, help="sample-repo")
    p.add_argument("--keys", required=True, help="folder for the people's ssh keys (created)")
    p.add_argument("--work", required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--max-seconds", type=float, default=0, help="stop drawing steps after this long (0: never)")
    p.add_argument("--repro", default="one_verdict.py ... --seed {seed} --steps {steps}")
    a = p.parse_args()
    a.docctl, a.sample, a.keys, a.work, a.server = map(os.path.abspath, (a.docctl, a.sample, a.keys, a.work, a.server))
    return a


def make_keys(folder):
    os.makedirs(folder, exist_ok=True)
    for who in PEOPLE:
        if who != "admin" and not os.path.exists(os.path.join(folder, who)):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f",
                            os.path.join(folder, who)], check=True)


if __name__ == "__main__":
    os.environ["DOCCTL_AS_OF"] = TODAY
    args = parse_args()
    make_keys(args.keys)
    Verdicts(args).main()
