#!/usr/bin/env bash
# t0600-register.sh - the reading commands of reference §7 on a repository with
# real history (lib/history_repo.sh: drafts on a branch, approvals signed
# with real ssh keys, a merge, a rename, a signature by an unlisted key, a
# review, an obsoletion, a pending revision, a confidential record):
# register (md, csv, json, html), history (text, json), show, review-due.
# Output is checked field by field; JSON is parsed with python3's json and
# CSV with python3's csv module.
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/history_repo.sh"

SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export DOCCTL SOURCE_ROOT DOCCTL_AS_OF=2026-11-27
plan 54

R=$(scratch)/repo
build_history_repo "$R" >/dev/null 2>&1 || { echo "Bail out! cannot build the repository with history"; exit 1; }
cd "$R" || exit 1
git checkout -q draft/sp-009 # HEAD is a draft branch: the commands must read main
MAIN=$(git rev-parse main)
commit_of() { git log --all --format=%H -1 --grep "$1"; }

# pycheck DESC PYTHON: runs PYTHON with $OUT on stdin; it prints problems
pycheck() {
	local problems
	problems=$(printf '%s' "$OUT" | python3 -c "$2" 2>&1)
	if [ -z "$problems" ]; then pass "$1"; else fail "$1" "$problems"; fi
}

# --- register ---

expect_exit 0 "register (Markdown) exits 0" "$DOCCTL" register
expect_contains "register reads the protected branch, not HEAD" "refs/heads/main @ ${MAIN:0:12} · 2026-11-27 · 20 documents"
expect_contains "register: SP-004 shows A/1 in force and B/0 pending" \
	"| SP-004 | 文件控制程序 | 程序文件 | A/1 | approved | 刘洋 | 张敏 | 2026-03-01 | 2027-11-20 | B/0 | 2026-12-15 |"
expect_contains "register: SP-001 obsolete" "| SP-001 | 服务管理程序 | 程序文件 | A/0 | obsolete | 李伟 | 张敏 | 2026-01-05 |  |  |  |"
expect_contains "register: the confidential record is marked" "| RC-0001 | 客户投诉登记表 TS-2026-031（已关闭） (confidential) | 记录 | A/0 |"
expect_not_contains "register: a draft of another branch is not listed" "SP-009"
pycheck "register: policy type order, then id" '
import sys
ids = [l.split("|")[1].strip() for l in sys.stdin.read().splitlines() if l.startswith("| ") and not l.startswith("| ID")]
want = ["SM-001"] + ["SP-00%d" % i for i in range(1, 9)] + ["WI-001", "WI-002", "WI-003", "FM-001", "FM-002", "FM-003", "FM-004", "RC-0001", "RC-0002", "RC-0003", "EX-001"]
if ids != want: print(ids)'

expect_exit 0 "register --format json exits 0" "$DOCCTL" register --format json
pycheck "register JSON: parsed, every field of SP-004, FM-003, SP-001, RC-0001, FM-004" "
import json, sys
d = json.load(sys.stdin)
docs = {x['id']: x for x in d['documents']}
def want(i, **kw):
    for k, v in kw.items():
        if docs[i].get(k) != v: print(i, k, repr(docs[i].get(k)), '!=', repr(v))
assert d['ref'] == 'refs/heads/main' and d['commit'] == '$MAIN' and d['as_of'] == '2026-11-27', d
assert len(docs) == 20, len(docs)
want('SP-004', title='文件控制程序', type='procedure', revision='A/1', status='approved', owner='liu.yang', owner_name='刘洋',
     approved_by='zhang.min', approver_name='张敏', approved_on='2026-03-01', effective='2026-03-01', next_review='2027-11-20',
     review_overdue=False, pending_revision='B/0', pending_effective='2026-12-15', classification='internal',
     path='docs/procedures/SP-004-document-control.md')
want('FM-003', revision='A/0', next_review='2026-06-01', review_overdue=True, pending_revision=None)
want('SP-001', status='obsolete', next_review=None, superseded_by='SP-007')
want('RC-0001', classification='confidential', next_review=None, type='record')
want('FM-004', revision='A/1', approved_by='liu.yang', approver_name='刘洋', effective='2026-05-12')
want('WI-003', path='docs/work-instructions/WI-003-numbering.md')
"

run "$DOCCTL" register --format csv
if [ "$RC" = 0 ]; then pass "register --format csv exits 0"; else fail "register --format csv exits 0" "$ERR"; fi
pycheck "register CSV: UTF-8 with BOM, CRLF, parsed by python's csv module" '
import csv, io, sys
raw = sys.stdin.buffer.read()
if not raw.startswith(b"\xef\xbb\xbf"): print("no BOM")
if b"\r\n" not in raw: print("not CRLF")
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
head = rows[0]
if head != ["id", "title", "type", "revision", "status", "owner", "approver", "effective", "next_review", "pending_revision", "pending_effective", "classification"]: print("header", head)
body = {r[0]: r for r in rows[1:]}
if len(body) != 20: print("rows", len(body))
if body["SP-004"] != ["SP-004", "文件控制程序", "procedure", "A/1", "approved", "刘洋", "张敏", "2026-03-01", "2027-11-20", "B/0", "2026-12-15", "internal"]: print(body["SP-004"])
if body["RC-0001"][11] != "confidential": print(body["RC-0001"])
if body["SP-001"][4] != "obsolete": print(body["SP-001"])'

expect_exit 0 "register --format html exits 0" "$DOCCTL" register --format html
pycheck "register HTML: one page, a table row per document, no script" '
import sys
h = sys.stdin.read()
if not h.startswith("<!DOCTYPE html>"): print("doctype")
if h.count("<tr><td") != 20: print("rows", h.count("<tr><td"))
if "<script" in h: print("script")
if "Register of controlled documents" not in h or "打印件为非受控文件 / uncontrolled when printed" not in h: print("text")'

expect_exit 0 "register --rev draft/sp-009 reads that branch" "$DOCCTL" register --rev draft/sp-009
expect_contains "register --rev lists the draft" "| SP-009 | 服务连续性程序 | 程序文件 | A/0 | draft |"
run "$DOCCTL" register --as-of 2026-12-15
expect_contains "register on the effective date: B/0 in force, nothing pending" \
	"| SP-004 | 文件控制程序 | 程序文件 | B/0 | approved | 刘洋 | 张敏 | 2026-12-15 | 2027-11-20 |  |  |"
expect_exit 2 "register --format xml is a usage error" "$DOCCTL" register --format xml

BARE=$(scratch)/bare.git
git clone -q --bare "$R" "$BARE"
run sh -c "cd '$BARE' && \"\$0\" register --format json" "$DOCCTL"
pycheck "register works in a bare repository (a server's hook)" '
import json, sys
d = json.load(sys.stdin)
if d["ref"] != "refs/heads/main" or len(d["documents"]) != 20: print(d["ref"], len(d["documents"]))'

# --- history ---

A1=$(commit_of "Approve SP-004 revision A/1")
MERGE=$(commit_of "Merge SP-004 A/1")
B0=$(commit_of "Approve SP-004 revision B/0")
REVIEW=$(commit_of "Review SP-004")
IMPORT=$(commit_of "Import the controlled documents")
expect_exit 0 "history SP-004 exits 0" "$DOCCTL" history SP-004
expect_contains "history: header" "SP-004 文件控制程序 — refs/heads/main (4 entries)"
expect_contains "history: B/0 approved, pending, signature verified" "revision B/0 approved, effective 2026-12-15 (pending)
  signed:    张敏 (zhang.min), 2026-11-20 15:30:00 +0800, approved
  signature: verified
  change:    增加文件定期评审要求和电子签名批准方式
  commit:    $B0"
expect_contains "history: A/1 reviewed by 王芳, verified" "revision A/1 reviewed
  signed:    王芳 (wang.fang), 2026-06-01 08:30:00 +0800, reviewed
  signature: verified
  commit:    $REVIEW"
expect_contains "history: A/1 approved on the side branch's signed commit, not the merge" "revision A/1 approved, effective 2026-03-01
  signed:    张敏 (zhang.min), 2026-03-01 10:00:00 +0800, approved
  signature: verified
  change:    明确电子文件的发放方式
  commit:    $A1"
expect_not_contains "history: the merge commit carries no event" "$MERGE"
expect_contains "history: the import is not signed" "revision A/0 approved, effective 2026-01-10
  signed:    张敏 (zhang.min), 2026-01-10 09:00:00 +0800, approved
  signature: not signed"

expect_exit 0 "history --format json exits 0" "$DOCCTL" history SP-004 --format json
pycheck "history JSON: newest first, every field" "
import json, sys
d = json.load(sys.stdin)
e = d['entries']
assert d['id'] == 'SP-004' and d['ref'] == 'refs/heads/main', d
got = [(x['revision'], x['meaning'], x['signer'], x['signer_name'], x['time'], x['signature']['status'], x['signature']['verified'], x['commit']) for x in e]
want = [('B/0', 'approved', 'zhang.min', '张敏', '2026-11-20T15:30:00+08:00', 'good', True, '$B0'),
        ('A/1', 'reviewed', 'wang.fang', '王芳', '2026-06-01T08:30:00+08:00', 'good', True, '$REVIEW'),
        ('A/1', 'approved', 'zhang.min', '张敏', '2026-03-01T10:00:00+08:00', 'good', True, '$A1'),
        ('A/0', 'approved', 'zhang.min', '张敏', '2026-01-10T09:00:00+08:00', 'none', False, '$IMPORT')]
if got != want: print(got)
if [x['pending'] for x in e] != [True, False, False, False]: print('pending', [x['pending'] for x in e])
if e[0]['effective'] != '2026-12-15' or e[0]['change'] != '增加文件定期评审要求和电子签名批准方式': print(e[0])
if e[3]['change'] is not None: print(e[3]['change'])
"

run "$DOCCTL" history FM-004 --format json
pycheck "history: a signature by a key the signers file does not list is not verified" '
import json, sys
e = json.load(sys.stdin)["entries"][0]
if (e["revision"], e["meaning"], e["signer"], e["signature"]["status"], e["signature"]["verified"]) != ("A/1", "approved", "liu.yang", "unknown-key", False): print(e)'
run "$DOCCTL" history FM-004
expect_contains "history text: says the key is not listed" "signature: NOT verified: the key is not in the signers file"
run "$DOCCTL" history SP-001
expect_contains "history: the obsoletion, signed by 王芳" "revision A/0 obsoleted, superseded by SP-007
  signed:    王芳 (wang.fang), 2026-03-05 11:00:00 +0800, obsoleted
  signature: verified"
run "$DOCCTL" history WI-003 --format json
pycheck "history follows a rename by id" '
import json, sys
e = json.load(sys.stdin)["entries"]
if len(e) != 1 or e[0]["path"] != "docs/work-instructions/WI-003-document-numbering.md": print(e)'
expect_exit 1 "history of an unknown id exits 1" "$DOCCTL" history SP-099
expect_exit 2 "history without an id is a usage error" "$DOCCTL" history

# --- show ---

expect_exit 0 "show SP-004 exits 0" "$DOCCTL" show SP-004
expect_contains "show: serves A/1 while B/0 is pending" "revision: A/1"
expect_contains "show: says so on stderr" "docctl: show: SP-004 revision B/0 is pending until 2026-12-15; showing revision A/1, in force"
[ "$OUT" = "$(git show "$REVIEW:docs/procedures/SP-004-document-control.md")" ] &&
	pass "show: byte for byte the reviewed A/1 file" || fail "show: byte for byte the reviewed A/1 file" "$OUT"
run "$DOCCTL" show SP-004 --as-of 2026-12-15
[ "$RC" = 0 ] && [ -z "$ERR" ] && [ "$OUT" = "$(git show main:docs/procedures/SP-004-document-control.md)" ] &&
	pass "show on the effective date: B/0, nothing on stderr" || fail "show on the effective date" "$RC $ERR"
run "$DOCCTL" show SP-004 --revision A/0
[ "$RC" = 0 ] && [ "$OUT" = "$(git show "$IMPORT:docs/procedures/SP-004-document-control.md")" ] &&
	pass "show --revision A/0: the import's file" || fail "show --revision A/0" "$RC $ERR"
expect_exit 1 "show --revision of a revision never approved exits 1" "$DOCCTL" show SP-004 --revision C/0
run "$DOCCTL" show SP-001
expect_contains "show of an obsolete document warns" "SP-001 is obsolete (作废 / OBSOLETE) since 2026-03-05, superseded by SP-007; do not use it"
expect_exit 1 "show of an unknown id exits 1" "$DOCCTL" show XX-001

# --- review-due ---

expect_exit 1 "review-due: FM-003 is overdue, exit 1" "$DOCCTL" review-due
expect_contains "review-due: id, due date, owner" "FM-003   2026-06-01  overdue by 179 days  owner 刘洋 (liu.yang)  文件发放回收记录表"
run "$DOCCTL" review-due --as-of 2026-01-01
[ "$RC" = 0 ] && [ -z "$OUT" ] && pass "review-due: nothing due: empty list, exit 0" || fail "review-due: nothing due" "$RC $OUT"
run "$DOCCTL" review-due --as-of 2026-05-01 --within P31D --format json
pycheck "review-due --within: due soon is listed, exit 0 (JSON)" "
import json, sys
d = json.load(sys.stdin)
docs = [(x['id'], x['due'], x['days'], x['overdue'], x['owner'], x['owner_name']) for x in d['documents']]
if docs != [('FM-003', '2026-06-01', 31, False, 'liu.yang', '刘洋')] or $RC != 0: print(docs, $RC)"
expect_exit 2 "review-due --within with a bad duration is a usage error" "$DOCCTL" review-due --within 3d

# --- the touched index (.git/docctl-cache/touched) ---
# Every document's history, built with the index, from the saved index,
# without the cache, without git on PATH, from a damaged index, and after
# new commits the index has not seen: the same each time.
IDS=$("$DOCCTL" register --format json | python3 -c 'import json, sys; print(" ".join(d["id"] for d in json.load(sys.stdin)["documents"]))')
histories() { for id in $IDS; do "$DOCCTL" history "$id" --format json 2>&1 || echo "exit $?"; done; }
NOGIT=$(scratch)/nogit-bin
mkdir -p "$NOGIT" && ln -s "$(command -v ssh-keygen)" "$NOGIT/ssh-keygen"
TOUCHED=$(git rev-parse --git-dir)/docctl-cache/touched
rm -f "$TOUCHED"
FIRST=$(histories)
[ "$(printf '%s\n' "$FIRST" | grep -c '"entries"')" = "$(echo $IDS | wc -w)" ] && [ "$(echo $IDS | wc -w)" -ge 20 ] &&
	pass "touched index: every document has a history" || fail "touched index: every document has a history" "$FIRST"
if cache_on; then
	[ -s "$TOUCHED" ] && pass "touched index: history saves it" || fail "touched index: history saves it"
else
	[ ! -e "$TOUCHED" ] && pass "touched index: not saved with DOCCTL_CACHE=0" ||
		fail "touched index: not saved with DOCCTL_CACHE=0"
fi
[ "$(histories)" = "$FIRST" ] && pass "touched index: the same histories from the saved index" ||
	fail "touched index: the same histories from the saved index"
[ "$(DOCCTL_CACHE=0 histories)" = "$FIRST" ] && pass "touched index: the same histories without the cache" ||
	fail "touched index: the same histories without the cache"
rm -f "$TOUCHED"
[ "$(PATH=$NOGIT histories)" = "$FIRST" ] && { ! cache_on || [ -s "$TOUCHED" ]; } &&
	pass "touched index: the same histories built without git on PATH" ||
	fail "touched index: the same histories built without git on PATH"
[ -e "$TOUCHED" ] && printf 'XXXX' | dd of="$TOUCHED" bs=1 seek=$(( $(stat -c %s "$TOUCHED") / 2 )) conv=notrunc 2>/dev/null
[ "$(histories)" = "$FIRST" ] && pass "touched index: the same histories from a damaged index" ||
	fail "touched index: the same histories from a damaged index"
git checkout -q main && git mv docs/work-instructions/WI-003-numbering.md docs/work-instructions/WI-003-doc-numbering.md &&
	as li.wei 2026-11-26T09:00:00+08:00 git commit -q -m "Rename WI-003 again" || fail "rename WI-003 again"
run "$DOCCTL" history WI-003 --format json
WANT=$(DOCCTL_CACHE=0 "$DOCCTL" history WI-003 --format json)
[ "$RC" = 0 ] && [ "$OUT" = "$WANT" ] && pass "touched index: a commit it has not seen yet (a rename) is followed" ||
	fail "touched index: a commit it has not seen yet is followed" "$OUT"

done_testing
