#!/bin/bash
# t0780-web.sh - docctl-web (reference §12) behind a real lighttpd with basic
# auth and mod_cgi, in front of a bare repository with docctl's hooks: who is
# served and who is refused, the anti-CSRF token, hostile input refused or
# escaped and never reflected raw, no header built from the request, the
# language of the browser, and headless Chromium rendering the pages.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"
. "$HERE/lib/web.sh"

if ! command -v lighttpd >/dev/null || ! command -v curl >/dev/null; then
	echo "1..0 # SKIP lighttpd and curl are needed (scripts/deps.sh --test)"
	exit 0
fi
if [ ! -x "$DOCCTL_WEB" ]; then
	echo "1..0 # SKIP no docctl-web beside $DOCCTL"
	exit 0
fi

plan 62
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
SERVER=$T/server.git
srv_bare "$SERVER"
git clone -q "$SERVER" "$T/work" 2>/dev/null
cd "$T/work" || exit 1
# the policy accepts the pusher (docctl-web pushes as the person it serves);
# everyone reads procedures; 20 more readers click at the same moment
SRV_IDENTITY="signature, pusher" srv_policy docctl.yaml
printf 'web: {url: "https://qms.example.com/qms", site: "https://qms.example.com/docs/"}\n' >>docctl.yaml
sed -i 's/^  procedure: .*/  procedure: {id: "SP-[0-9]{3}", approvers: [qa-manager, general-manager], readers: [all]}/' docctl.yaml
users="ann:pw-ann quinn@example.com:pw-q mallory:pw-m eve:pw-eve -:pw-dash"
: >people.txt
for i in $(seq -w 1 20); do
	echo "  p$i: {name: Reader $i, email: p$i@example.com, roles: []}" >>people.txt
	users="$users p$i:pw$i"
done
sed -i '/^  eve: /r people.txt' docctl.yaml && rm people.txt
printf 'training: {due: P14D, trainers: [qa-manager]}\n' >>docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
doc docs/procedures/SP-002-beta.md SP-002 A/0 approved gina
doc records/RC-0001-session.md RC-0001 A/0 approved quinn "Training session of 2026-05-30."
commit_as ann "Initial controlled documents"
git push -q origin main 2>/dev/null || { echo "Bail out! cannot seed the server"; exit 1; }

# shellcheck disable=SC2086
web_start "$SERVER" $users ||
	{ echo "Bail out! lighttpd does not start: $(cat "$WEB_DIR/error.log" 2>/dev/null)"; exit 1; }

# --- who is served ----------------------------------------------------------
export WEB_CURL_ARGS="-H Accept-Language:en"
web_get nobody:wrong "?p=feedback"
check "no credentials: the web server refuses (401), docctl-web never runs" test "$CODE" = 401
web_get mallory:pw-m "?p=feedback"
if [ "$CODE" = 403 ] && grep -q "not a person of the policy" <<<"$BODY" && ! grep -q 'name="token"' <<<"$BODY"; then
	pass "an authenticated user who is no person of the policy is refused with 403 in words"
else
	fail "an authenticated user who is no person of the policy is refused with 403 in words" "$CODE $BODY"
fi
WEB_CURL_ARGS="-H Accept-Language:en" web_get ann:pw-ann "?p=feedback"
if [ "$CODE" = 200 ] && grep -q "Ann Author" <<<"$BODY" && grep -q 'name="token" value="[0-9a-f]\{64\}"' <<<"$BODY"; then
	pass "a person of the policy (by id) is served, with a token in the form"
else
	fail "a person of the policy (by id) is served, with a token in the form" "$CODE $BODY"
fi
web_get quinn@example.com:pw-q "?p=feedback"
check "a person of the policy by email is served as that person" grep -q "Quinn QA (quinn)" <<<"$BODY"
if grep -qi '^Content-Security-Policy:' <<<"$HDRS" && grep -qi '^X-Content-Type-Options: nosniff' <<<"$HDRS" &&
	grep -q 'name="viewport"' <<<"$BODY" && ! grep -qi '<script' <<<"$BODY"; then
	pass "the page has a viewport, no script, and headers that forbid scripts and framing"
else
	fail "the page has a viewport, no script, and headers that forbid scripts and framing" "$HDRS"
fi
secret=$SERVER/docctl-web.secret
check "the token's secret is in the git dir, 0600" test "$(stat -c %a "$secret" 2>/dev/null)" = 600

# --- the language of the browser --------------------------------------------
WEB_CURL_ARGS="-H Accept-Language:zh-CN,zh;q=0.9,en;q=0.8" web_get ann:pw-ann "?p=feedback"
check "Accept-Language zh-CN: the page is in Chinese" grep -q '<html lang="zh-CN">.*' <<<"$BODY"
WEB_CURL_ARGS="-H Accept-Language:en-US,en;q=0.9,zh;q=0.1" web_get ann:pw-ann "?p=feedback"
check "Accept-Language en-US: the page is in English" grep -q '<html lang="en">' <<<"$BODY"

# --- the anti-CSRF token ----------------------------------------------------
TOKEN=$(web_token ann:pw-ann)
web_post ann:pw-ann "?p=ack" "id=SP-001"
if [ "$CODE" = 403 ] && grep -q "token" <<<"$BODY" && [ "$(srv_rev refs/heads/docctl/acks)" = none ]; then
	pass "a POST without the token is refused (403) and records nothing"
else
	fail "a POST without the token is refused (403) and records nothing" "$CODE $BODY"
fi
web_post ann:pw-ann "?p=ack" "token=$(printf '%064d' 0)&id=SP-001"
check "a POST with a wrong token is refused (403)" test "$CODE" = 403
QTOKEN=$(web_token quinn@example.com:pw-q)
web_post ann:pw-ann "?p=ack" "token=$QTOKEN&id=SP-001"
check "a POST with another person's token is refused (403)" test "$CODE" = 403
web_post ann:pw-ann "?p=nosuch" "token=$TOKEN"
check "a POST with ann's own token passes the check (an unknown page: 404)" test "$CODE" = 404

# --- hostile input ------------------------------------------------------------
raw_free() { # DESC: the body must not hold the raw markup
	if ! grep -qi '<script\|<img\|onerror' <<<"$BODY"; then pass "$1"; else fail "$1" "$CODE $BODY"; fi
}
web_get ann:pw-ann "?p=%3Cscript%3Ealert(1)%3C/script%3E"
check "an unknown page name is 404" test "$CODE" = 404
raw_free "an unknown page name with a script tag is not reflected"
web_get ann:pw-ann "?p=doc&id=%3Cimg%20src=x%20onerror=alert(1)%3E"
raw_free "a document id holding markup is refused, not reflected"
web_get ann:pw-ann "?p=doc&id=../../../etc/passwd"
if [ "$CODE" = 404 ] && ! grep -q "root:" <<<"$BODY" && ! grep -q "etc/passwd" <<<"$BODY"; then
	pass "a document id with ../ is refused and never read"
else
	fail "a document id with ../ is refused and never read" "$CODE $BODY"
fi
web_get ann:pw-ann "?p=feedback&x=%ff%fe"
check "invalid UTF-8 in the query is refused (400)" test "$CODE" = 400
web_get ann:pw-ann "?p=feedback&x=a%00b"
check "a NUL in the query is refused (400)" test "$CODE" = 400
web_get ann:pw-ann "?p=home%0d%0aSet-Cookie:%20pwned=1&q=%0d%0aX-Injected:%201"
if ! grep -qi '^Set-Cookie\|^X-Injected' <<<"$HDRS"; then
	pass "%0d%0a in values never becomes a header"
else
	fail "%0d%0a in values never becomes a header" "$HDRS"
fi
web_get ann:pw-ann "?p=feedback&x=$(head -c 6000 /dev/zero | tr '\0' a)"
check "a very long query is refused (414)" test "$CODE" = 414
web_post ann:pw-ann "?p=feedback" "token=$TOKEN&text=$(head -c 70000 /dev/zero | tr '\0' a)"
check "a form larger than 64 KiB is refused (413)" test "$CODE" = 413

# --- my reading list and "I have read and understood" (reference §10, §12) ---
ACKS=refs/heads/docctl/acks
WEB_CURL_ARGS="-H Accept-Language:en" web_get ann:pw-ann "?p=home"
if [ "$CODE" = 200 ] && grep -q 'SP-001' <<<"$BODY" && grep -q 'I have read and understood' <<<"$BODY" &&
	grep -q '<input type="hidden" name="id" value="SP-001">' <<<"$BODY"; then
	pass "ann's reading list shows SP-001 with the button"
else
	fail "ann's reading list shows SP-001 with the button" "$CODE $BODY"
fi
check "the reading list links to the document's published page (web.site)" \
	grep -q '<a href="https://qms.example.com/docs/SP-001.html">SP-001</a>' <<<"$BODY"
WEB_CURL_ARGS="-H Accept-Language:zh-CN" web_get ann:pw-ann "?p=home"
check "in Chinese the button says 我已阅读并理解" grep -q '我已阅读并理解' <<<"$BODY"
web_post ann:pw-ann "?p=ack" "token=$TOKEN&id=SP-001"
line=$(git -C "$SERVER" show "$ACKS:acks/ann.txt" 2>/dev/null)
if [ "$CODE" = 200 ] && printf '%s' "$line" | grep -qP '^ann\tSP-001\tA/0\t20[0-9-]{8}\tread\tann$'; then
	pass "the button records ann's confirmation on the server's ack ref"
else
	fail "the button records ann's confirmation on the server's ack ref" "$CODE $line $BODY"
fi
check "the server's hooks decided it: the audit trail names the pusher ann" \
	grep -q '"pusher": "ann", "ref": "refs/heads/docctl/acks"' "$SERVER/docctl-audit.log"
check "the commit says it was made on the web for REMOTE_USER ann (committer \"web ann\")" \
	test "$(git -C "$SERVER" log -1 --format=%cn "$ACKS")" = "web ann"
web_get ann:pw-ann "?p=home"
check "SP-001 has left ann's list of things to read" bash -c '! grep -q "value=\"SP-001\"" <<<"$1"' _ "$BODY"
check "the reading lists of the trusted commit are kept in the git dir (docctl-web.reading, 0600)" \
	test "$(stat -c %a "$SERVER/docctl-web.reading" 2>/dev/null)" = 600
web_post ann:pw-ann "?p=ack" "token=$TOKEN&id=SP-001"
check "confirming again what is confirmed records nothing and says so (200)" \
	test "$CODE" = 200 -a "$(git -C "$SERVER" rev-list --count $ACKS)" = 1
web_get -:pw-dash "?p=home"
check "REMOTE_USER \"-\" (the cache's mark of no email) is no person: 403" test "$CODE" = 403
check "... for the trusted commit they were read from" \
	grep -q "^docctl-web reading 1	$(git -C "$SERVER" rev-parse main)	" "$SERVER/docctl-web.reading"
# a new commit on the trusted ref (an administrator's fetch: no hook) is seen at once
doc docs/procedures/SP-003-gamma.md SP-003 A/0 approved quinn
commit_as ann "SP-003"
git -C "$SERVER" fetch -q --update-head-ok "$PWD" +main:refs/heads/main
web_get ann:pw-ann "?p=home"
if grep -q 'value="SP-003"' <<<"$BODY" && ! grep -q 'value="SP-001"' <<<"$BODY"; then
	pass "a new commit on the trusted ref: the next page reads it (SP-003 to read), the cache follows"
else
	fail "a new commit on the trusted ref: the next page reads it (SP-003 to read), the cache follows" "$BODY"
fi
web_post ann:pw-ann "?p=ack" "token=$TOKEN&id=SP-999"
check "a confirmation of a document that does not exist is refused in words, nothing recorded" \
	test "$CODE" = 409 -a "$(git -C "$SERVER" rev-list --count $ACKS)" = 1

start=$(date +%s%N)
for i in $(seq -w 1 20); do
	(tok=$(web_token "p$i:pw$i") && web_post "p$i:pw$i" "?p=ack" "token=$tok&id=SP-002" && echo "$CODE" >"$T/code.$i") &
done
wait
took=$(( ($(date +%s%N) - start) / 1000000 ))
landed=0
for i in $(seq -w 1 20); do
	[ "$(cat "$T/code.$i" 2>/dev/null)" = 200 ] && git -C "$SERVER" show "$ACKS:acks/p$i.txt" 2>/dev/null | grep -q "SP-002" &&
		landed=$((landed + 1))
done
check "twenty people clicking at the same moment: all 20 confirmations land (${took} ms)" test "$landed" = 20

web_get quinn@example.com:pw-q "?p=matrix"
if [ "$CODE" = 200 ] && grep -q '<td>Ann Author</td><td>SP-001</td><td>A/0</td>' <<<"$BODY"; then
	pass "the training matrix page lists every reader"
else
	fail "the training matrix page lists every reader" "$CODE $BODY"
fi
QTOKEN=$(web_token quinn@example.com:pw-q)
web_post quinn@example.com:pw-q "?p=session" "token=$QTOKEN&record=RC-0001&id=SP-001&a3=eve"
line=$(git -C "$SERVER" show "$ACKS:acks/eve.txt" 2>/dev/null)
if [ "$CODE" = 200 ] && grep -q 'training:RC-0001	quinn' <<<"$line"; then
	pass "a trainer records a session: eve's confirmation by training RC-0001, recorded by quinn"
else
	fail "a trainer records a session: eve's confirmation by training RC-0001, recorded by quinn" "$CODE $line $BODY"
fi
web_post quinn@example.com:pw-q "?p=session" "token=$QTOKEN&record=RC-0001&id=SP-001&who=p01,+p02%0Ap03"
if [ "$CODE" = 200 ] && git -C "$SERVER" show "$ACKS:acks/p02.txt" | grep -q 'SP-001	A/0	.*	training:RC-0001	quinn' &&
	git -C "$SERVER" show "$ACKS:acks/p03.txt" | grep -q 'SP-001	.*training:RC-0001'; then
	pass "the attendees typed as ids (commas, spaces, lines: the form for many people) are recorded"
else
	fail "the attendees typed as ids (commas, spaces, lines: the form for many people) are recorded" "$CODE $BODY"
fi
before=$(srv_rev $ACKS)
web_post quinn@example.com:pw-q "?p=session" "token=$QTOKEN&record=RC-0001&id=SP-001&who=p04+nobody"
check "an attendee who is no person of the policy is refused (400), nothing recorded" \
	test "$CODE" = 400 -a "$(srv_rev $ACKS)" = "$before"
# the matrix is read in docctl-web's own process, every reader's cells
web_get quinn@example.com:pw-q "?p=matrix"
check "the matrix shows eve confirmed by the session, p04 (refused above) overdue" grep -qE \
	'<td>Eve Else</td><td>SP-001</td><td>A/0</td><td class="state">confirmed</td><td>[0-9]{4}-[0-9]{2}-[0-9]{2}</td><td>[0-9-]{10}</td>.*<td>Reader 04</td><td>SP-001</td><td>A/0</td><td class="overdue">overdue</td><td></td><td>[0-9-]{10}</td>' \
	<<<"$(tr -d '\n' <<<"$BODY")"
WEB_CURL_ARGS="-H Accept-Language:zh-CN" web_get quinn@example.com:pw-q "?p=matrix"
check "the matrix in Chinese: its title and states translated, the cells as in English" grep -q \
	'<h1>培训矩阵</h1>.*<td>Reader 04</td><td>SP-001</td><td>A/0</td><td class="overdue">逾期</td><td></td>' <<<"$(tr -d '\n' <<<"$BODY")"
before=$(srv_rev $ACKS)
web_post ann:pw-ann "?p=session" "token=$TOKEN&record=RC-0001&id=SP-002&a1=gina"
if [ "$CODE" = 409 ] && grep -q 'Refused' <<<"$BODY" && [ "$(srv_rev $ACKS)" = "$before" ]; then
	pass "someone who is no trainer is refused in words, nothing recorded"
else
	fail "someone who is no trainer is refused in words, nothing recorded" "$CODE $BODY"
fi

# --- feedback (reference §11, §12) ------------------------------------------
FB=refs/heads/docctl/feedback
web_post ann:pw-ann "?p=feedback" "token=$TOKEN&id=SP-001&kind=error&text=%3Cscript%3Ealert(1)%3C%2Fscript%3E+%E7%AC%AC3%E6%AD%A5%0D%0Aline+two"
fbid=$(git -C "$SERVER" ls-tree --name-only -r "$FB" 2>/dev/null | sed -n 's|^feedback/\(FB-[0-9-]*\)\.md$|\1|p' | head -1)
item=$(git -C "$SERVER" show "$FB:feedback/$fbid.md" 2>/dev/null)
case $CODE:$item in
200:*"document: SP-001"*"kind: error"*"from: ann"*"status: open"*"<script>alert(1)</script> 第3步"*"line two"*)
	pass "ann files feedback on SP-001 from the web: the item is on the server's feedback ref ($fbid)" ;;
*) fail "ann files feedback on SP-001 from the web: the item is on the server's feedback ref" "$CODE $item $BODY" ;;
esac
# the audit trail names the pusher of a feedback push, whether post-receive
# appends what pre-receive decided or judges the update again (by hand here)
kept=$(tail -n 1 "$SERVER/docctl-audit.log")
fbold=$(sed -n 's/.*"old": "\([0-9a-f]*\)".*/\1/p' <<<"$kept")
(cd "$SERVER" && echo "$fbold $(git rev-parse "$FB") $FB" | GIT_DIR=. GL_USER=ann "$DOCCTL" hook post-receive)
again=$(tail -n 1 "$SERVER/docctl-audit.log")
if [[ $kept == *'"pusher": "ann", "ref": "'"$FB"'"'* ]] && [ "${again#*Z\", }" = "${kept#*Z\", }" ]; then
	pass "the audit trail names ann as the pusher of the feedback, the same when judged again"
else
	fail "the audit trail names ann as the pusher of the feedback, the same when judged again" "kept:  $kept
again: $again"
fi
web_post ann:pw-ann "?p=feedback" "token=$TOKEN&id=SP-001&kind=question&text=-F%20/etc/passwd"
item=$(git -C "$SERVER" show "$FB:feedback/${fbid%-*}-$(printf %04d $((10#${fbid##*-} + 1))).md" 2>/dev/null)
if [ "$CODE" = 200 ] && grep -q '^-F /etc/passwd$' <<<"$item" && ! grep -q 'root:' <<<"$item"; then
	pass "a text that looks like an option is recorded as text, never read as one"
else
	fail "a text that looks like an option is recorded as text, never read as one" "$CODE $item"
fi
web_post ann:pw-ann "?p=feedback" "token=$TOKEN&id=SP-001&kind=%3Cb%3E&text=x"
check "feedback of an unknown kind is refused (400)" test "$CODE" = 400
web_get ann:pw-ann "?p=mine"
check "ann's feedback page lists her item as open" grep -q "<td>$fbid</td><td>SP-001</td><td>error</td><td>ann</td><td>open</td>" <<<"$BODY"
web_get eve:pw-eve "?p=open"
check "the open feedback page shows eve (neither owner nor approver) no decision form" bash -c '! grep -q "name=\"decision\"" <<<"$1"' _ "$BODY"
web_get ann:pw-ann "?p=open"
check "the open feedback page offers ann, the documents' owner and no approver, the decision" \
	grep -q "name=\"fb\" value=\"$fbid\"" <<<"$BODY"
web_get quinn@example.com:pw-q "?p=open"
check "the open feedback page offers quinn (an approver of procedures) the decision" grep -q "name=\"fb\" value=\"$fbid\"" <<<"$BODY"
ETOKEN=$(web_token eve:pw-eve)
before=$(srv_rev $FB)
web_post eve:pw-eve "?p=decide" "token=$ETOKEN&fb=$fbid&decision=accept&reason=me"
if [ "$CODE" = 409 ] && grep -q "Refused" <<<"$BODY" && [ "$(srv_rev $FB)" = "$before" ]; then
	pass "eve, neither owner nor approver, cannot decide: refused in words, nothing recorded"
else
	fail "eve, neither owner nor approver, cannot decide: refused in words, nothing recorded" "$CODE $BODY"
fi
web_post quinn@example.com:pw-q "?p=decide" "token=$QTOKEN&fb=$fbid&decision=accept&reason=%3Cb%3Eyes%3C%2Fb%3E+%E5%90%8C%E6%84%8F"
item=$(git -C "$SERVER" show "$FB:feedback/$fbid.md" 2>/dev/null)
case $CODE:$item in
200:*"status: accepted"*"decided_by: quinn"*) pass "quinn accepts it from the web: the decision is on the server" ;;
*) fail "quinn accepts it from the web: the decision is on the server" "$CODE $item $BODY" ;;
esac
fbid2=${fbid%-*}-$(printf %04d $((10#${fbid##*-} + 1)))
web_post ann:pw-ann "?p=decide" "token=$TOKEN&fb=$fbid2&decision=defer&reason=next+review"
item=$(git -C "$SERVER" show "$FB:feedback/$fbid2.md" 2>/dev/null)
case $CODE:$item in
200:*"status: deferred"*"decided_by: ann"*) pass "ann, the owner, defers an item from the web: the server's hooks accept it" ;;
*) fail "ann, the owner, defers an item from the web: the server's hooks accept it" "$CODE $item $BODY" ;;
esac
web_get ann:pw-ann "?p=mine"
if grep -q "<td>accepted</td><td>&lt;b&gt;yes&lt;/b&gt; 同意" <<<"$BODY" && ! grep -q "<b>yes" <<<"$BODY"; then
	pass "ann sees the decision, its reason escaped"
else
	fail "ann sees the decision, its reason escaped" "$BODY"
fi
# the matrix and the feedback lists need no docctl program: run as the CGI
# with DOCCTL naming none, they still show their rows
direct() {
	(cd "$SERVER" && env DOCCTL=/nonexistent/docctl REMOTE_USER=ann REQUEST_METHOD=GET QUERY_STRING="p=$1" \
		HTTP_ACCEPT_LANGUAGE=en "$DOCCTL_WEB")
}
m=$(direct matrix) f=$(direct mine)
if grep -q '<td>Eve Else</td><td>SP-001</td><td>A/0</td><td class="state">confirmed</td>' <<<"$m" &&
	grep -q "<td>$fbid</td><td>SP-001</td><td>error</td><td>ann</td><td>accepted</td>" <<<"$f" &&
	! grep -q 'cannot run docctl' <<<"$m$f"; then
	pass "the matrix and my feedback are read in docctl-web's own process (no docctl program needed)"
else
	fail "the matrix and my feedback are read in docctl-web's own process (no docctl program needed)" "$m
$f"
fi

# --- the published site links to the web front (web.url) ------------------
WEB_CURL_ARGS="-H Accept-Language:en" web_get ann:pw-ann "?p=feedback&id=SP-001"
check "the feedback form is filled with the document a published page links from" \
	grep -q 'name="id" required maxlength="64" value="SP-001"' <<<"$BODY"
WEB_CURL_ARGS="-H Accept-Language:en" web_get ann:pw-ann "?p=feedback&id=%22%3E%3Cscript%3E"
raw_free "a hostile id in the feedback link is not reflected"
expect_exit 0 "publish with web.url set" "$DOCCTL" publish --out "$T/site"
check "each published page links to docctl-web: reading list and feedback on that document" \
	grep -q '<a href="https://qms.example.com/qms?p=home">.*<a href="https://qms.example.com/qms?p=feedback&amp;id=SP-001">' \
	"$T/site/SP-001.html"
sed -i 's|^web: .*|web: {url: "javascript:alert(1)"}|' docctl.yaml
expect_exit 2 "web.url that is not an http(s) address is a broken policy" "$DOCCTL" check
expect_contains "it says what to write" "web.url is not an http or https address"
git checkout -q docctl.yaml

# --- a real browser ---------------------------------------------------------
skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP $1"; }
if command -v chromium >/dev/null; then
	dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir="$(scratch)" \
		--lang=en-US --dump-dom "http://ann:pw-ann@127.0.0.1:$WEB_PORT/qms?p=feedback" 2>/dev/null)
	if grep -q "Ann Author" <<<"$dom" && grep -q '<textarea name="text"' <<<"$dom"; then
		pass "headless Chromium (basic auth in the URL) renders the feedback page"
	else
		fail "headless Chromium (basic auth in the URL) renders the feedback page" "$dom"
	fi
else
	skip "chromium is not installed"
fi

done_testing
