#!/usr/bin/env bash
# t0610-publish.sh - `docctl publish` (reference §7) on the repository with real
# history of lib/history_repo.sh: the files written, the register as index
# with the archive list apart, the header block with the signature's
# manifestation, the pending revision held back, the obsolete marker, the
# confidential record left out, links rewritten, the footer on every page,
# no JavaScript, byte-identical output for the same commit, stale pages
# removed, a foreign folder refused. Then the site is opened in a real
# browser: headless Chromium (Debian's `chromium`, with fonts-noto-cjk for
# the Chinese text) takes screenshots of the index and of a document page,
# and its DOM dump (--dump-dom) is checked: Chinese text present, the
# obsolete marker present, every local href pointing at a file that exists.
#
# UPDATE_SCREENSHOT=1 copies the index screenshot to docs/img/published-site.png
# (the README's picture).
. "$(dirname "$0")/lib/tap.sh"
. "$(dirname "$0")/lib/history_repo.sh"

SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export DOCCTL SOURCE_ROOT DOCCTL_AS_OF=2026-11-27
plan 39

skip() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N # SKIP $1"; }

# pycheck DESC PYTHON ARGS...: runs PYTHON; it prints problems
pycheck() {
	local desc=$1 code=$2 problems
	shift 2
	problems=$(python3 -c "$code" "$@" 2>&1)
	if [ -z "$problems" ]; then pass "$desc"; else fail "$desc" "$problems"; fi
}

# ensure_chromium: Debian's chromium and CJK fonts, installed when missing
# (scripts/deps.sh --test installs them before the suite runs)
ensure_chromium() {
	command -v chromium >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q . && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium fonts-noto-cjk; } >/dev/null 2>&1
	fi
	command -v chromium >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q .
}

chrome() { # chrome ARGS... URL
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$(scratch)" \
		--window-size=1280,900 "$@" 2>/dev/null
}

R=$(scratch)/repo
build_history_repo "$R" >/dev/null 2>&1 || { echo "Bail out! cannot build the repository with history"; exit 1; }
cd "$R" || exit 1
MAIN=$(git rev-parse main)
S=$(scratch)/site

expect_exit 0 "publish exits 0" "$DOCCTL" publish --out "$S"
expect_contains "publish says what it did" "docctl: published 19 documents (1 obsolete, in the archive) from refs/heads/main @ ${MAIN:0:12} into $S; 1 left out (confidential, or not in force yet); 1 linked file copied"
pycheck "the files: index, style.css, one page per published document, the training matrix, the linked file" '
import os, sys
s = sys.argv[1]
have = sorted(os.path.relpath(os.path.join(d, f), s) for d, _, fs in os.walk(s) for f in fs)
pages = ["EX-001", "FM-001", "FM-002", "FM-003", "FM-004", "RC-0002", "RC-0003", "SM-001"] + ["SP-00%d" % i for i in range(1, 9)] + ["WI-001", "WI-002", "WI-003"]
want = sorted([".docctl-site", "index.html", "style.css", "training.html", "files/docs/attachments/hotline-script.txt"] + [p + ".html" for p in pages])
if have != want: print(sorted(set(have) ^ set(want)))' "$S"

pycheck "every page: the footer, the commit, no script, one stylesheet" '
import glob, sys
s, commit = sys.argv[1], sys.argv[2]
for f in glob.glob(s + "/*.html"):
    h = open(f, encoding="utf-8").read()
    if "打印件为非受控文件 / uncontrolled when printed" not in h: print(f, "footer")
    if commit not in h: print(f, "commit")
    if "<script" in h.lower() or "javascript:" in h.lower(): print(f, "script")
    if h.count("<link rel=\"stylesheet\" href=\"style.css\">") != 1: print(f, "css")' "$S" "$MAIN"

pycheck "index: the register, obsolete documents only in the archive list, no confidential record" '
import sys
h = open(sys.argv[1] + "/index.html", encoding="utf-8").read()
main, _, archive = h.partition("<h2>Archive: obsolete documents</h2>")
if not archive: print("no archive list")
if "<a href=\"SP-004.html\">SP-004</a></td><td>文件控制程序</td><td>程序文件</td><td>A/1</td>" not in main: print("SP-004 row")
if "B/0, effective 2026-12-15" not in main: print("pending column")
if "SP-001" in main: print("SP-001 in the main list")
if "<a href=\"SP-001.html\">SP-001</a></td><td>服务管理程序</td>" not in archive or "作废 / OBSOLETE" not in archive: print("SP-001 archive row")
if "<a href=\"SP-007.html\">SP-007</a>" not in archive: print("superseded_by link")
if "RC-0001" in h: print("confidential record listed")' "$S"

P4=$(cat "$S/SP-004.html")
OUT=$P4 ERR=
expect_contains "SP-004 page: the revision in force (A/1) in the header" "<tr><th>Revision</th><td>A/1</td></tr>"
expect_contains "SP-004 page: the effective date" "<tr><th>Effective</th><td>2026-03-01</td></tr>"
expect_contains "SP-004 page: approver with the manifestation" "<tr><th>Approved</th><td>张敏 (zhang.min) · 2026-03-01 10:00:00 +0800 · approved · <span class=\"sig-good\">verified</span></td></tr>"
expect_contains "SP-004 page: the review's manifestation" "王芳 (wang.fang) · 2026-06-01 08:30:00 +0800 · reviewed · <span class=\"sig-good\">verified</span>"
expect_contains "SP-004 page: the text of A/1" "电子文件经文件管理员发布到内部网站后即视为已发放。"
expect_not_contains "SP-004 page: the pending B/0 text is not published" "B 版新增"
expect_contains "SP-004 page: says B/0 is pending" "Pending: revision B/0 is approved and takes effect on 2026-12-15; until then this page shows revision A/1, in force."
expect_contains "SP-004 page: the revision history at the bottom, newest first" "<td>B/0</td><td>approved</td><td>张敏</td><td>2026-11-20 15:30:00 +0800</td><td><span class=\"sig-good\">verified</span></td><td>2026-12-15 (pending)</td>"
expect_contains "SP-004 page: links between documents go to the pages" "<a href=\"SP-005.html\">记录控制程序</a>"
expect_contains "SP-004 page: a renamed document's link still resolves" "<a href=\"WI-003.html\">文件编号与标识作业指导书</a>"
expect_not_contains "SP-004 page: no link to a Markdown file is left" ".md\""

OUT=$(cat "$S/SP-001.html") ERR=
expect_contains "SP-001 page: the title says obsolete" "<title>【作废 / OBSOLETE】SP-001 服务管理程序 A/0</title>"
expect_contains "SP-001 page: the banner, with the successor" "<div class=\"obsolete-banner\">作废 / OBSOLETE — this document is withdrawn, kept for reference only"
expect_contains "SP-001 page: the status" "<td class=\"status-obsolete\">作废 / OBSOLETE</td>"
expect_contains "SP-001 page: the obsoletion's manifestation" "王芳 (wang.fang) · 2026-03-05 11:00:00 +0800 · obsoleted · <span class=\"sig-good\">verified</span>"
expect_contains "SP-001 page: marked on every printed sheet (fixed watermark and footer)" "<div class=\"watermark\" aria-hidden=\"true\">作废 / OBSOLETE</div>"

OUT=$(cat "$S/SP-003.html" "$S/WI-001.html" "$S/FM-004.html") ERR=
expect_contains "a link to the unpublished confidential record keeps its text, loses its target" "<a class=\"unpublished\" title=\"not published\">投诉记录 TS-2026-031</a>"
expect_contains "a link to an attachment points at its copy" "<a href=\"files/docs/attachments/hotline-script.txt\">热线话术</a>"
expect_contains "a signature by an unlisted key is shown as such" "<span class=\"sig-bad\">NOT verified: the key is not in the signers file</span>"

pycheck "no broken local link in the site (href and src)" '
import glob, os, re, sys
s = sys.argv[1]
for f in glob.glob(s + "/*.html"):
    for u in re.findall(r"(?:href|src)=\"([^\"]*)\"", open(f, encoding="utf-8").read()):
        if re.match(r"^[a-z][a-z0-9+.-]*:", u) or u.startswith("#"): continue
        p = os.path.join(s, re.sub(r"[#?].*", "", u))
        if not os.path.isfile(p): print(os.path.basename(f), u)' "$S"

S2=$(scratch)/site2
"$DOCCTL" publish --out "$S2" 2>/dev/null
run diff -r "$S" "$S2"
[ "$RC" = 0 ] && pass "the same commit gives byte-identical files" || fail "publishing twice differs" "$OUT"
BARE=$(scratch)/bare.git
git clone -q --bare "$R" "$BARE"
S3=$(scratch)/site3
run sh -c "cd '$BARE' && \"\$0\" publish --out '$S3'" "$DOCCTL"
run diff -r "$S" "$S3"
[ "$RC" = 0 ] && pass "a bare repository (a post-receive hook) publishes the same bytes" || fail "bare differs" "$OUT"

expect_exit 0 "publish --include-confidential" "$DOCCTL" publish --out "$S2" --include-confidential
[ -f "$S2/RC-0001.html" ] && grep -q '<a href="RC-0001.html">投诉记录 TS-2026-031</a>' "$S2/SP-003.html" &&
	pass "--include-confidential publishes the record and links it" || fail "--include-confidential"
expect_exit 0 "publish again without it" "$DOCCTL" publish --out "$S2"
[ ! -e "$S2/RC-0001.html" ] && pass "the stale confidential page is removed" || fail "RC-0001.html left behind"

run "$DOCCTL" publish --out "$S2" --as-of 2026-12-15
grep -q "B 版新增" "$S2/SP-004.html" && ! grep -q "class=\"notice\"" "$S2/SP-004.html" &&
	pass "on the effective date B/0 is published" || fail "B/0 on its effective date" "$ERR"

F=$(scratch)/foreign
mkdir -p "$F" && echo keep > "$F/notes.txt"
expect_exit 2 "publish refuses a folder it did not make" "$DOCCTL" publish --out "$F"
[ "$(cat "$F/notes.txt")" = keep ] && [ ! -e "$F/index.html" ] && pass "and leaves it alone" || fail "the foreign folder was touched"

# --- in a real browser ---

if ! ensure_chromium; then
	for i in 1 2 3 4 5; do skip "chromium or fonts-noto-cjk missing and cannot be installed (run scripts/deps.sh --test as root)"; done
	done_testing
	exit $?
fi
SHOTS=$(scratch)
(cd "$SHOTS" && chrome --screenshot="$SHOTS/index.png" "file://$S/index.html")
(cd "$SHOTS" && chrome --screenshot="$SHOTS/SP-001.png" "file://$S/SP-001.html")
pycheck "chromium took screenshots of the index and of a document page" '
import sys
for f in sys.argv[1:]:
    b = open(f, "rb").read()
    if not b.startswith(b"\x89PNG\r\n\x1a\n") or len(b) < 20000: print(f, len(b))' "$SHOTS/index.png" "$SHOTS/SP-001.png"
echo "# screenshots: $SHOTS/index.png $SHOTS/SP-001.png"
if [ -n "${UPDATE_SCREENSHOT:-}" ]; then
	mkdir -p "$SOURCE_ROOT/docs/img" && cp "$SHOTS/index.png" "$SOURCE_ROOT/docs/img/published-site.png"
fi

chrome --dump-dom "file://$S/index.html" > "$SHOTS/index.dom"
chrome --dump-dom "file://$S/SP-001.html" > "$SHOTS/SP-001.dom"
chrome --dump-dom "file://$S/SP-004.html" > "$SHOTS/SP-004.dom"
pycheck "DOM of the index: Chinese text, the register rows, the archive" '
import sys
d = open(sys.argv[1], encoding="utf-8").read()
for t in ["Register of controlled documents", "文件控制程序", "服务手册", "Archive: obsolete documents", "打印件为非受控文件 / uncontrolled when printed"]:
    if t not in d: print("missing", t)' "$SHOTS/index.dom"
pycheck "DOM of the obsolete page: the marker" '
import sys
d = open(sys.argv[1], encoding="utf-8").read()
if d.count("作废 / OBSOLETE") < 4: print("marker", d.count("作废 / OBSOLETE"))
if "服务管理程序" not in d: print("title")' "$SHOTS/SP-001.dom"
pycheck "DOM: every local href points at a page that exists" '
import os, re, sys
s = sys.argv[1]
n = 0
for f in sys.argv[2:]:
    for u in re.findall(r"href=\"([^\"]*)\"", open(f, encoding="utf-8").read()):
        if re.match(r"^[a-z][a-z0-9+.-]*:", u) or u.startswith("#"): continue
        n += 1
        if not os.path.isfile(os.path.join(s, re.sub(r"[#?].*", "", u))): print("broken", u)
if n < 30: print("only", n, "links")' "$S" "$SHOTS/index.dom" "$SHOTS/SP-001.dom" "$SHOTS/SP-004.dom"
pycheck "a CJK font named by style.css is installed (the Chinese glyphs are not boxes)" '
import sys
if "Noto Sans CJK SC" not in sys.argv[1]: print("fc-list :lang=zh has no Noto Sans CJK SC")' "$(fc-list :lang=zh family 2>/dev/null)"
done_testing
