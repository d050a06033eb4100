#!/usr/bin/env python3
"""gen_training.py - a deterministic corpus for the training benchmark (reference §10.3).

Writes a bare-able git repository DIR (a working clone with .git) holding:
  refs/heads/main          docctl.yaml with PEOPLE people in 10 departments (p00000
                           is a trainer, role qa-manager), the default schema, the
                           signers file listing the benchmark key for p00000 and
                           p00001, DOCS approved procedures SP-0000.. (each read by
                           one department: `readers: [deptK]`, K = i % 10) and the
                           training record RC-0001;
  refs/heads/docctl/acks   acks/<person>.txt for every person: one line per document
                           of their department, up to ACKS lines in all (1,000,000 by
                           default: every reader of every document).
Everything is written with `git fast-import`. Same arguments, same bytes.

  gen_training.py --out DIR [--people 10000] [--docs 1000] [--acks 1000000] --key KEY.pub
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCHEMA = os.path.join(ROOT, "schema", "document.schema.yaml")
DEPTS = 10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--people", type=int, default=10000)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--acks", type=int, default=1000000)
    ap.add_argument("--key", required=True, help="the public key of the benchmark signer")
    a = ap.parse_args()

    key = open(a.key).read().strip()
    people = ["p%05d" % i for i in range(a.people)]
    policy = ["docctl: 1", "roots: [docs, records]", "protected: [refs/heads/main]",
              "revision_scheme: letter-number", "schema: schema/document.schema.yaml",
              "approval: {identity: [signature]}", "policy_approvers: [qa-manager]",
              "training: {due: P14D, trainers: [qa-manager]}", "people:"]
    for i, p in enumerate(people):
        roles = "[qa-manager]" if i < 2 else "[]"
        policy.append("  %s: {name: Reader %d, email: %s@example.com, roles: %s, departments: [dept%d]}"
                      % (p, i, p, roles, i % DEPTS))
    policy += ["types:",
               '  procedure: {id: "SP-[0-9]{4}", approvers: [qa-manager], body: optional}',
               '  record: {id: "RC-[0-9]{4}", approvers: [qa-manager], body: optional}']
    files = {
        "docctl.yaml": "\n".join(policy) + "\n",
        "schema/document.schema.yaml": open(SCHEMA).read(),
        ".docctl/allowed_signers": "".join('%s@example.com namespaces="git" %s\n' % (p, key) for p in people[:2]),
    }
    for i in range(a.docs):
        files["docs/SP-%04d.md" % i] = (
            "---\nid: SP-%04d\ntitle: Procedure %d\ntype: procedure\nrevision: A/0\nstatus: approved\n"
            "owner: p00002\napproved_by: p00000\napproved_on: 2026-01-10\nreaders: [dept%d]\n---\n"
            "# Procedure %d\n\nThe text.\n" % (i, i, i % DEPTS, i))
    files["records/RC-0001.md"] = (
        "---\nid: RC-0001\ntitle: Training session\ntype: record\nrevision: A/0\nstatus: approved\n"
        "owner: p00000\napproved_by: p00001\napproved_on: 2026-01-12\n---\n# Training session\n")

    # the confirmations: person i reads the documents of department i % 10
    acks = {}
    n = 0
    docs_of = [[d for d in range(a.docs) if d % DEPTS == k] for k in range(DEPTS)]
    for rnd in range(max(len(x) for x in docs_of)):
        for i, p in enumerate(people):
            if n >= a.acks:
                break
            mine = docs_of[i % DEPTS]
            if rnd < len(mine):
                acks.setdefault(p, []).append("%s\tSP-%04d\tA/0\t2026-01-%02d\tread\t%s\n"
                                              % (p, mine[rnd], 11 + rnd % 18, p))
                n += 1

    subprocess.run(["git", "init", "-q", a.out], check=True)
    fi = subprocess.Popen(["git", "-C", a.out, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    w = fi.stdin

    def blob(mark, data):
        b = data.encode()
        w.write(b"blob\nmark :%d\ndata %d\n" % (mark, len(b)))
        w.write(b)
        w.write(b"\n")

    mark = 1
    marks = {}
    for path, data in files.items():
        blob(mark, data)
        marks[path] = mark
        mark += 1
    ack_marks = {}
    for p, lines in acks.items():
        blob(mark, "".join(lines))
        ack_marks[p] = mark
        mark += 1

    def commit(ref, msg, entries):
        m = msg.encode()
        w.write(b"commit %s\ncommitter Bench <bench@example.com> 1780000000 +0000\ndata %d\n%s\n"
                % (ref.encode(), len(m), m))
        for path, mk in entries:
            w.write(b"M 100644 :%d %s\n" % (mk, path.encode()))
        w.write(b"\n")

    commit("refs/heads/main", "Policy, %d procedures and a training record" % a.docs, sorted(marks.items()))
    commit("refs/heads/docctl/acks", "%d confirmations" % n,
           sorted(("acks/%s.txt" % p, mk) for p, mk in ack_marks.items()))
    w.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", a.out, "checkout", "-q", "main"], check=True)
    print("%d people, %d documents, %d confirmations" % (a.people, a.docs, n))


if __name__ == "__main__":
    main()
