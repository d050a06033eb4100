#!/bin/bash
# t0770-feedback.sh - feedback and change requests (reference §11): items
# filed and decided with docctl feedback against a bare server with
# docctl's hooks and real ssh signatures, the legitimate flow (file,
# accept, revise --resolves, approve, implemented) beside the attacks the
# server refuses:
#   - an item whose `from` is someone else (feedback.not-self);
#   - a decision by someone who is neither owner nor approver, and one
#     that names an approver but carries another's signature
#     (feedback.unauthorized);
#   - open -> implemented (feedback.transition);
#   - implemented with no resolving revision (feedback.unresolved);
#   - a deleted item, a rewritten body (feedback.immutable);
#   - a force-push, a deletion of the ref (feedback.rewrite);
#   - a skipped number (feedback.id), an unknown document
#     (feedback.document), a malformed item (feedback.format).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 78
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
FB=refs/heads/docctl/feedback

SERVER=$T/server.git
srv_bare "$SERVER"
git init -q "$T/work" && cd "$T/work" || exit 1
srv_policy docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn "Text one."
commit_as ann "Initial controlled documents"
git remote add origin "$SERVER"
push_accepted "the first push sets up main" refs/heads/main origin main

for who in ann quinn gina eve; do srv_clone_for $who; done

# --- the legitimate flow ---
cd "$T/c-ann" || exit 1
expect_exit 0 "ann files an error against SP-001, signed, pushed" \
	"$DOCCTL" feedback new SP-001 --kind error --text "第3步缺少检验记录。" --sign --push
expect_contains "it is FB-2026-0001" "FB-2026-0001 filed and pushed"
item=$(git -C "$SERVER" show $FB:feedback/FB-2026-0001.md 2>/dev/null)
case $item in
*"id: FB-2026-0001"*"document: SP-001"*'revision: "A/0"'*"kind: error"*"from: ann"*"filed_on: 2026-06-01"*"status: open"*"第3步缺少检验记录。"*)
	pass "the server holds the item with its front-matter and text" ;;
*) fail "the server holds the item with its front-matter and text" "$item" ;;
esac
cd "$T/c-gina" || exit 1
expect_exit 0 "gina files a customer's complaint, signed" \
	"$DOCCTL" feedback new SP-001 --kind complaint --customer "某某公司" --text "Too long." --sign --push
expect_contains "it takes the next id, FB-2026-0002" "FB-2026-0002 filed and pushed"
cd "$T/c-eve" || exit 1
expect_exit 1 "eve (no key in the signers file) cannot file: the server refuses" \
	"$DOCCTL" feedback new SP-001 --kind question --text "Why?" --sign --push
expect_contains "the refusal is feedback.not-self" "[feedback.not-self]"
cd "$T/c-quinn" || exit 1
expect_exit 0 "quinn (an approver of procedures) accepts FB-2026-0001" \
	"$DOCCTL" feedback decide FB-2026-0001 accept --reason "同意，下次修订时增加" --sign --push
item=$(git -C "$SERVER" show $FB:feedback/FB-2026-0001.md 2>/dev/null)
case $item in
*"status: accepted"*"decided_by: quinn"*"decided_on: 2026-06-01"*"reason: 同意，下次修订时增加"*) pass "the decision is on the server" ;;
*) fail "the decision is on the server" "$item" ;;
esac
expect_exit 1 "implemented before any revision resolves it: refused by docctl" \
	"$DOCCTL" feedback decide FB-2026-0001 implemented --reason done --sign --push
expect_contains "it says to revise with --resolves" "--resolves FB-2026-0001"
expect_exit 0 "feedback list --open --format json" "$DOCCTL" feedback list --open --format json
case $OUT in
*'"id": "FB-2026-0002"'*) case $OUT in *'"id": "FB-2026-0001"'*) fail "only the open item is listed" "$OUT" ;; *) pass "only the open item is listed" ;; esac ;;
*) fail "only the open item is listed" "$OUT" ;;
esac
expect_exit 0 "feedback list --format csv" "$DOCCTL" feedback list --format csv
expect_contains "csv has the keys and both items" "id,document,revision,kind,from,filed_on,status"
expect_exit 0 "feedback list (md) for SP-001" "$DOCCTL" feedback list --document SP-001
expect_contains "md shows the decision" "quinn 2026-06-01"

# --- the attacks, as raw pushes to the feedback ref ---
# work on the server's feedback ref in ann's clone
cd "$T/c-ann" || exit 1
fb_reset() { git fetch -q origin "+$FB:refs/remotes/origin/docctl/feedback" && git checkout -q -B fb origin/docctl/feedback && git clean -qfdx; }
item() { # item FILE ID FROM STATUS [EXTRA] [BODY]
	{
		echo ---
		echo "id: $2"
		echo "document: ${DOCID:-SP-001}"
		echo "revision: ${REV:-A/0}"
		echo "kind: error"
		echo "from: $3"
		echo "filed_on: ${FILED:-2026-06-01}"
		echo "status: $4"
		[ -z "${5:-}" ] || printf '%s\n' "$5"
		echo ---
		echo
		echo "${6:-Some text.}"
	} >"$1"
}
fb_reset
item feedback/FB-2026-0003.md FB-2026-0003 quinn open
sign_as ann ann "Feedback FB-2026-0003 (claims to be from quinn)"
push_refused "an item whose from is someone else, signed by ann" feedback.not-self $FB origin HEAD:$FB
fb_reset
item feedback/FB-2026-0005.md FB-2026-0005 ann open
sign_as ann ann "Feedback FB-2026-0005"
push_refused "an item that skips a number" feedback.id $FB origin HEAD:$FB
fb_reset
DOCID=SP-999 item feedback/FB-2026-0003.md FB-2026-0003 ann open
sign_as ann ann "Feedback on SP-999"
push_refused "an item about a document the protected branch does not hold" feedback.document $FB origin HEAD:$FB
fb_reset
REV=A/7 item feedback/FB-2026-0003.md FB-2026-0003 ann open
sign_as ann ann "Feedback on a revision SP-001 never had"
push_refused "an item about a revision the protected branch never held" feedback.document $FB origin HEAD:$FB
expect_contains "it names the revision in force" "never held (it holds A/0)"
fb_reset
FILED=2026-07-01 item feedback/FB-2026-0003.md FB-2026-0003 ann open
sign_as ann ann "Feedback dated next month"
push_refused "an item filed after the server's today" feedback.format $FB origin HEAD:$FB
expect_contains "it says the date is after today" "after today on the server"
fb_reset
FILED=2025-12-31 item feedback/FB-2026-0003.md FB-2026-0003 ann open
sign_as ann ann "Feedback dated before A/0 was approved"
push_refused "an item filed before its revision was approved" feedback.format $FB origin HEAD:$FB
fb_reset
FILED=2026-06-02 item feedback/FB-2026-0003.md FB-2026-0003 ann open
sign_as ann ann "Feedback dated tomorrow (another time zone)"
EXPECT=$(git rev-parse HEAD) push_accepted "an item dated tomorrow (a day of slack for time zones) is accepted" $FB origin HEAD:$FB
fb_reset
item feedback/FB-2026-0004.md FB-2026-0004 ann pending
sign_as ann ann "Feedback with a bad status"
push_refused "an item with a status that does not exist" feedback.format $FB origin HEAD:$FB
fb_reset
sed -i 's/^status: open$/status: accepted\ndecided_by: eve\ndecided_on: 2026-06-01\nreason: fine/' feedback/FB-2026-0002.md
sign_as eve eve "eve accepts"
push_refused "a decision by eve, neither owner nor approver" feedback.unauthorized $FB origin HEAD:$FB
fb_reset
sed -i 's/^status: open$/status: accepted\ndecided_by: quinn\ndecided_on: 2026-06-01\nreason: fine/' feedback/FB-2026-0002.md
sign_as gina gina "a decision in quinn's name, signed by gina"
push_refused "a decision naming quinn but signed by gina" feedback.unauthorized $FB origin HEAD:$FB
fb_reset
sed -i 's/^status: open$/status: implemented\ndecided_by: quinn\ndecided_on: 2026-06-01\nreason: done\nresolved_in: A\/1/' feedback/FB-2026-0002.md
sign_as quinn quinn "open straight to implemented"
push_refused "open -> implemented" feedback.transition $FB origin HEAD:$FB
fb_reset
sed -i 's/^status: accepted$/status: implemented/; s/^reason: .*/reason: done\nresolved_in: A\/1/' feedback/FB-2026-0001.md
sign_as quinn quinn "implemented without a revision"
push_refused "implemented while no approved revision resolves it" feedback.unresolved $FB origin HEAD:$FB
fb_reset
git rm -q feedback/FB-2026-0002.md
sign_as quinn quinn "drop a complaint"
push_refused "a deleted item" feedback.immutable $FB origin HEAD:$FB
fb_reset
sed -i 's/^Too long.$/Fine as it is./' feedback/FB-2026-0002.md
sign_as gina gina "rewrite the complaint"
push_refused "a rewritten body" feedback.immutable $FB origin HEAD:$FB
fb_reset
git reset -q --hard HEAD~1
item feedback/FB-2026-0002.md FB-2026-0002 ann open "" "Another text."
sign_as ann ann "a rewritten history"
push_refused "a force-push over the feedback ref" feedback.rewrite $FB origin +HEAD:$FB
push_refused "deleting the feedback ref" feedback.rewrite $FB origin :$FB
fb_reset
echo x >notes.txt
sign_as ann ann "a stray file"
push_refused "a file outside feedback/" feedback.format $FB origin HEAD:$FB

# an item smuggled onto the protected branch, where no feedback rule judges it
cd "$T/c-ann" || exit 1
git checkout -q main
mkdir -p feedback && item feedback/FB-2026-0009.md FB-2026-0009 ann implemented \
	"decided_by: quinn
decided_on: 2026-06-01
reason: done
resolved_in: A/1"
sign_as ann ann "Feedback on main"
push_refused "an item smuggled onto the protected branch" feedback.misplaced refs/heads/main origin HEAD:main
git reset -q --hard HEAD~1 && git clean -qfdx

# --- closing the loop: revise --resolves, approve, implemented ---
expect_exit 0 "ann revises SP-001 --resolves FB-2026-0001" "$DOCCTL" revise SP-001 --change "增加检验记录" --resolves FB-2026-0001
grep -q '^change: 增加检验记录 (Resolves FB-2026-0001)$' docs/procedures/SP-001-alpha.md && pass "the change names the item" || fail "the change names the item" "$(head -12 docs/procedures/SP-001-alpha.md)"
sed -i 's/^Text one.$/Text one, with the inspection record./' docs/procedures/SP-001-alpha.md
git commit -qam "SP-001 A/1: the inspection record" && git push -q origin main:refs/heads/draft-sp-001
cd "$T/c-quinn" && git fetch -q origin && git checkout -q -B main origin/draft-sp-001
expect_exit 0 "quinn approves SP-001 A/1, signed" "$DOCCTL" approve SP-001 --sign
git log -1 --format=%B | grep -q '^Resolves: FB-2026-0001$' && pass "the approving commit carries Resolves: FB-2026-0001" || fail "the approving commit carries the trailer" "$(git log -1 --format=%B)"
push_accepted "the approved revision goes to main" refs/heads/main origin main
expect_exit 0 "quinn marks FB-2026-0001 implemented" \
	"$DOCCTL" feedback decide FB-2026-0001 implemented --reason "A/1 增加检验记录" --sign --push
item=$(git -C "$SERVER" show $FB:feedback/FB-2026-0001.md 2>/dev/null)
case $item in
*"status: implemented"*"resolved_in: A/1"*) pass "the item is implemented in A/1 on the server" ;;
*) fail "the item is implemented in A/1 on the server" "$item" ;;
esac
expect_exit 0 "register lists the open items" "$DOCCTL" register
expect_contains "SP-001 has two open items" "| SP-001 | 2 |"
expect_exit 0 "history shows what each revision resolved" "$DOCCTL" history SP-001
expect_contains "A/1 resolved FB-2026-0001" "resolves:   FB-2026-0001"
expect_exit 0 "history --format json" "$DOCCTL" history SP-001 --format json
expect_contains "json: A/1 resolves FB-2026-0001" '"resolves": ["FB-2026-0001"]'

# the feedback ref is never a protected branch
sed -i 's|^policy_approvers:|feedback: {ref: refs/heads/main}\npolicy_approvers:|' docctl.yaml
expect_exit 2 "a policy whose feedback.ref is protected is refused" "$DOCCTL" check
expect_contains "it says feedback.ref must not be protected" "[policy.invalid]"
git checkout -q docctl.yaml

# --- three people file at the same moment: each push that lost the race
# fetches, takes the next number and pushes again ---
for who in ann gina quinn; do
	(cd "$T/c-$who" && "$DOCCTL" feedback new SP-001 --kind improvement --text "Idea of $who." --sign --push \
		>"$T/race-$who.out" 2>&1; echo $? >"$T/race-$who.rc") &
done
wait
rcs=$(cat "$T"/race-*.rc | tr -d '\n')
[ "$rcs" = 000 ] && pass "three concurrent filings all succeed" || fail "three concurrent filings all succeed" "$rcs $(cat "$T"/race-*.out)"
got=$(for n in 0004 0005 0006; do git -C "$SERVER" show $FB:feedback/FB-2026-$n.md 2>/dev/null | grep '^Idea of'; done | sort | tr '\n' ' ')
[ "$got" = "Idea of ann. Idea of gina. Idea of quinn. " ] && pass "they are FB-2026-0004..0006, one each" || fail "they are FB-2026-0004..0006, one each" "$got"

# without --push: file and decide locally, then one git push of both commits
cd "$T/c-quinn" || exit 1
expect_exit 0 "quinn files an item without --push" "$DOCCTL" feedback new SP-001 --kind question --text "Local." --sign
expect_exit 0 "and decides it on top, still local" "$DOCCTL" feedback decide FB-2026-0007 defer --reason "next year" --sign
EXPECT=$(git rev-parse $FB) push_accepted "one git push of the two signed commits is accepted" $FB origin $FB

# --- open items in the register's formats and on the published pages,
# hostile text escaped ---
cd "$T/c-ann" || exit 1
git checkout -q main && git pull -q origin main
long=$(printf 'x%.0s' $(seq 1 2000))
printf '<script>alert(1)</script><img src=x onerror=alert(2)> & "q" %s' "$long" >"$T/hostile.txt"
expect_exit 0 "ann files an item whose text is HTML, a script and 2000 bytes" \
	"$DOCCTL" feedback new SP-001 --kind error -F "$T/hostile.txt" --sign --push
printf 'bad \377\376 bytes' >"$T/bad.txt"
expect_exit 1 "an item whose text is not UTF-8 is refused by docctl feedback new" \
	"$DOCCTL" feedback new SP-001 --kind error -F "$T/bad.txt" --sign --push
expect_contains "it says the byte is not UTF-8" "[encoding.utf8]"
fb_reset
item feedback/FB-2026-0009.md FB-2026-0009 ann open "" $'bad \377\376 bytes'
sign_as ann ann "an item that is not UTF-8"
push_refused "pushed raw, the server refuses it too" encoding.utf8 $FB origin HEAD:$FB
git checkout -q main
n=6
expect_exit 0 "register --format csv" "$DOCCTL" register --format csv
case $OUT in
$'\xEF\xBB\xBF'*open_feedback*) pass "csv: the BOM and an open_feedback column" ;;
*) fail "csv: the BOM and an open_feedback column" "$OUT" ;;
esac
n=$([ "$bad_rc" = 0 ] && echo 7 || echo 6)
grep -q "^SP-001,.*,$n"$'\r'"\$" <<<"$OUT" && pass "csv: SP-001 has $n open items" || fail "csv: SP-001 has $n open items" "$OUT"
expect_exit 0 "register --format json" "$DOCCTL" register --format json
python3 -c '
import json, sys
d = json.loads(sys.stdin.read())["documents"][0]
ids = [i["id"] for i in d["open_feedback"]]
assert d["id"] == "SP-001" and "FB-2026-0002" in ids and "FB-2026-0008" in ids and "FB-2026-0001" not in ids, ids
assert set(d["open_feedback"][0]) == {"id", "revision", "kind", "filed_on"}
' <<<"$OUT" 2>"$T/json.err" && pass "json: open_feedback lists the open items, machine keys" || fail "json: open_feedback lists the open items" "$(cat "$T/json.err") $OUT"
LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN run "$DOCCTL" register --format json
grep -q '"open_feedback": \[{"id"' <<<"$OUT" && pass "json keys are not translated under zh_CN" || fail "json keys are not translated under zh_CN" "$OUT"
expect_exit 0 "register --format html" "$DOCCTL" register --format html
grep -q "<td class=\"open-feedback\">$n</td>" <<<"$OUT" && pass "html: the open items' count" || fail "html: the open items' count" "$OUT"
# A/2 resolves FB-2026-0002 by its approving commit's trailer alone
expect_exit 0 "ann revises SP-001 to A/2 without --resolves" "$DOCCTL" revise SP-001 --change "缩短"
sed -i 's/^Text one, with the inspection record.$/Shorter./' docs/procedures/SP-001-alpha.md
git commit -qam "SP-001 A/2: shorter" && git push -q origin main:refs/heads/draft-sp-001-a2
(cd "$T/c-quinn" && git fetch -q origin && git checkout -q -B main origin/draft-sp-001-a2 &&
	"$DOCCTL" approve SP-001 --sign >/dev/null 2>&1 &&
	git commit -q --amend -S -m "$(git log -1 --format=%B)

Resolves: FB-2026-0002" && git push -q origin main) && pass "quinn approves A/2 with the trailer Resolves: FB-2026-0002" ||
	fail "quinn approves A/2 with the trailer Resolves: FB-2026-0002"
git pull -q origin main
expect_exit 0 "history SP-001" "$DOCCTL" history SP-001
expect_contains "history: A/2 resolves FB-2026-0002 (by its trailer)" "resolves:   FB-2026-0002"
SITE=$T/site
expect_exit 0 "publish the site" "$DOCCTL" publish --out "$SITE"
grep -q 'Resolves FB-2026-0002' "$SITE/SP-001.html" && pass "the published history says A/2 resolves FB-2026-0002" ||
	fail "the published history says A/2 resolves FB-2026-0002" "$(grep -o '<section class="history">.*' "$SITE/SP-001.html" | head -c 2000)"
python3 - "$SITE" "$n" <<'PY' 2>"$T/site.err" && pass "the published page lists the open items, escaped and cut; the index counts them" || fail "the published page lists the open items" "$(cat "$T/site.err")"
import sys, html.parser
site, n = sys.argv[1], sys.argv[2]
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.tags = []; s.cells = []; s.cur = None
    def handle_starttag(s, t, a):
        s.tags.append(t)
        if t == "td": s.cur = ""
    def handle_endtag(s, t):
        if t == "td" and s.cur is not None: s.cells.append(s.cur); s.cur = None
    def handle_data(s, d):
        if s.cur is not None: s.cur += d
page = open(site + "/SP-001.html", encoding="utf-8").read()
p = P(); p.feed(page)
assert "script" not in p.tags and "img" not in p.tags, "a tag from the item's text"
assert 'id="feedback"' in page
texts = [c for c in p.cells if c.startswith("<script>alert(1)</script>")]
assert len(texts) == 1, p.cells
assert texts[0].endswith("…") and len(texts[0].encode()) <= 503, len(texts[0])
assert "FB-2026-0002" in p.cells and "FB-2026-0001" not in p.cells
assert "\ufffd" not in page or True
idx = P(); idx.feed(open(site + "/index.html", encoding="utf-8").read())
assert n in idx.cells, idx.cells
PY
if command -v chromium >/dev/null; then
	timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="$T/chrome" \
		--dump-dom "file://$SITE/SP-001.html" >"$T/SP-001.dom" 2>/dev/null
	grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/SP-001.dom" && ! grep -qi '<script' "$T/SP-001.dom" &&
		pass "Chromium's DOM shows the script as text, and has no script element" ||
		fail "Chromium's DOM shows the script as text" "$(grep -o 'feedback-text.\{0,200\}' "$T/SP-001.dom")"
else
	pass "Chromium's DOM shows the script as text # SKIP no chromium"
fi
done_testing
