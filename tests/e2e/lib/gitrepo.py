"""gitrepo.py - what the property tests (adversary.py, one_verdict.py) share:
running git and docctl as a given person with a log of every command, the
people's homes (git identity and ssh signing key), and tree comparison.
Standard library only.
"""
import hashlib
import os
import subprocess
import time

# Environment variables that would override a person's identity.
_IDENTITY_VARS = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
                  "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE")


class Log:
    """The commands of the current step, with their exit codes and output,
    printed when a step breaks an invariant."""

    def __init__(self):
        self.lines = []

    def clear(self):
        self.lines = []

    def add(self, who, cwd, argv, rc, out):
        self.lines.append("[%s in %s] %s  -> exit %d" % (who, cwd, " ".join(argv), rc))
        out = out.rstrip("\n")
        if out:
            self.lines.extend("    " + line for line in out.split("\n"))

    def text(self):
        return "\n".join(self.lines)


class People:
    """A HOME per person: ~/.gitconfig with the person's name, email and ssh
    signing key, so that git and docctl (libgit2 reads the same file) act as
    that person."""

    def __init__(self, root, keys, people):
        """people: {who: (name, email)}; keys: folder with ssh keys named after
        the person (a person without a key file signs with nothing)."""
        self.homes = {}
        self.keys = keys
        for who, (name, email) in people.items():
            home = os.path.join(root, "home-" + who)
            os.makedirs(home, exist_ok=True)
            key = os.path.join(keys, who)
            with open(os.path.join(home, ".gitconfig"), "w") as f:
                f.write("[user]\n\tname = %s\n\temail = %s\n" % (name, email))
                if os.path.exists(key):
                    f.write("\tsigningkey = %s\n" % key)
                f.write("[gpg]\n\tformat = ssh\n[init]\n\tdefaultBranch = main\n"
                        "[advice]\n\tdetachedHead = false\n[push]\n\tdefault = simple\n")
            self.homes[who] = home

    def key(self, who):
        return os.path.join(self.keys, who)

    def env(self, who, extra=None):
        env = {k: v for k, v in os.environ.items() if k not in _IDENTITY_VARS}
        env["HOME"] = self.homes[who]
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["LC_ALL"] = "C"
        if extra:
            env.update(extra)
        return env


class Runner:
    """Runs commands in one folder, as one person at a time, into a Log."""

    def __init__(self, cwd, people, log, docctl):
        self.cwd = cwd
        self.people = people
        self.log = log
        self.docctl = docctl
        self.timing = {}  # "git push", "docctl approve"... -> seconds spent

    def run(self, who, argv, check=True, stdin=None, env=None, cwd=None):
        cwd = cwd or self.cwd
        start = time.monotonic()
        p = subprocess.run(argv, cwd=cwd, env=self.people.env(who, env), input=stdin,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out = p.stdout.decode("utf-8", "replace")
        key = " ".join(os.path.basename(a) for a in argv[:2])
        self.timing[key] = self.timing.get(key, 0.0) + time.monotonic() - start
        self.log.add(who, os.path.basename(cwd), argv, p.returncode, out)
        if check and p.returncode != 0:
            raise StepError("command failed: %s (exit %d)" % (" ".join(argv), p.returncode))
        return p.returncode, out

    def git(self, who, *args, check=True, stdin=None, env=None, cwd=None):
        return self.run(who, ["git"] + list(args), check=check, stdin=stdin, env=env, cwd=cwd)

    def out(self, who, *args, cwd=None):
        """git's output, stripped (a command that must succeed)."""
        return self.git(who, *args, cwd=cwd)[1].strip()

    def dc(self, who, *args, check=True, env=None):
        return self.run(who, [self.docctl] + list(args), check=check, env=env)

    def commit(self, who, msg, sign_key=None, author=None, verify=False, paths=None):
        """Commits everything (or only `paths`) as `who`, unsigned or signed
        with the named person's key, which need not be who's own."""
        self.git(who, "add", *(["--"] + paths if paths else ["-A"]))
        args = ["commit", "-q", "--allow-empty", "-m", msg]
        if not verify:
            args.append("--no-verify")
        if sign_key:
            args = ["-c", "user.signingkey=" + self.people.key(sign_key)] + args + ["-S"]
        if author:
            args += ["--author", author]
        self.git(who, *args)
        return self.out(who, "rev-parse", "HEAD")


class StepError(Exception):
    """A step could not be set up (a bug in the test, or in a command the
    test relies on, not a verdict of the gate)."""


def blob_id(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def ls_tree(runner, rev, cwd=None):
    """{path: (mode, object id)} of every entry of REV's tree, recursively."""
    _, out = runner.git("admin", "ls-tree", "-r", "-z", "--full-tree", rev, cwd=cwd)
    tree = {}
    for entry in out.split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        mode, _, oid = meta.split(" ")
        tree[path] = (mode, oid)
    return tree


def tree_diff(want, got):
    """Lines saying how two ls_tree results differ (empty when equal)."""
    lines = []
    for path in sorted(set(want) | set(got)):
        w, g = want.get(path), got.get(path)
        if w != g:
            lines.append("  %s: model %s, server %s" % (path, w or "absent", g or "absent"))
    return lines
