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

plan 28
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
SERVER=$T/server.git
srv_bare "$SERVER"
git clone -q "$SERVER" "$T/work" 2>/dev/null
cd "$T/work" || exit 1
SRV_IDENTITY="signature, pusher" srv_policy docctl.yaml
printf 'web: {url: "https://qms.example.com/qms"}\n' >>docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
doc docs/procedures/SP-002-beta.md SP-002 A/0 approved gina
commit_as ann "Initial controlled documents"
git push -q origin main 2>/dev/null || { echo "Bail out! cannot seed the server"; exit 1; }

web_start "$SERVER" ann:pw-ann quinn@example.com:pw-q mallory:pw-m ||
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
