#!/bin/bash
# t0810-locale-zh.sh - messages follow the locale, machine formats never do
# (reference §7), with the build tree's catalogue (DOCCTL_LOCALEDIR=build/po):
# check on a broken document, a usage error, register and a server refusal
# through a bare repository in zh_CN.UTF-8; json and csv byte-identical under
# LC_ALL=C and LC_ALL=zh_CN.UTF-8; the labels of register (md, html), publish,
# history and review-due in Chinese (已批准, 程序文件 from the policy's type
# titles) and in English ("1 document"), the required marks bilingual in both.
#
# A message is expected in Chinese when po/zh_CN.po translates it (the test
# finds the msgid in the English output); until it is marked, the case says
# so and passes on what is stable (the exit code, the rule name).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

ROOT=${SOURCE_ROOT:-$(cd "$HERE/../.." && pwd)}
plan 30
if ! locale -a 2>/dev/null | grep -qix 'zh_CN.utf-\?8'; then
	for i in $(seq 30); do echo "ok $i # SKIP the zh_CN.UTF-8 locale is missing (scripts/deps.sh installs it)"; done
	exit 0
fi
# the catalogue of this build: build/po/zh_CN/LC_MESSAGES/docctl.mo
mo=$(dirname "$(dirname "$(dirname "$DOCCTL")")")/po
if [ ! -f "$mo/zh_CN/LC_MESSAGES/docctl.mo" ]; then
	for i in $(seq 30); do echo "ok $i # SKIP built without NLS (no $mo/zh_CN/LC_MESSAGES/docctl.mo)"; done
	exit 0
fi
export DOCCTL_LOCALEDIR=$mo
export DOCCTL_AS_OF=2026-06-01
unset LANGUAGE LC_MESSAGES DOCCTL_LANG

# new_cjk EN ZH: ZH has Chinese characters that EN (the C locale's output:
# titles, bilingual labels) does not
new_cjk() {
	python3 -c 'import re, sys; cjk = lambda s: set(re.findall("[\u4e00-\u9fff]", s)); sys.exit(0 if cjk(sys.argv[2]) - cjk(sys.argv[1]) else 1)' "$1" "$2"
}
# known TEXT: po/zh_CN.po translates a message of TEXT (the English output)
known() {
	python3 - "$ROOT/po/zh_CN.po" "$1" <<'PY'
import re, subprocess, sys
po = subprocess.run(['msgcat', '--no-wrap', sys.argv[1]], capture_output=True, text=True).stdout
text = sys.argv[2]
for m in re.finditer(r'^msgid "((?:[^"\\]|\\.)+)"\nmsgstr "((?:[^"\\]|\\.)+)"', po, re.M):
    mid = m.group(1).encode().decode('unicode_escape')
    parts = [p for p in re.split(r'%[-+ #0-9.*$]*(?:hh|h|ll|l|z|j|t|L)?[a-zA-Z]', mid) if p.strip()]
    if len(mid) >= 12 and parts and re.search('.*'.join(map(re.escape, parts)), text, re.S):
        sys.exit(0)
sys.exit(1)
PY
}
# zh_case DESC EN ZH: ZH has Chinese of its own when EN holds a translated message
zh_case() {
	if new_cjk "$2" "$3"; then
		pass "$1: Chinese text"
	elif known "$2"; then
		fail "$1: Chinese text" "po/zh_CN.po translates a message of:
$2
but zh_CN.UTF-8 printed:
$3"
	else
		pass "$1: Chinese text # SKIP the message is not marked for translation yet"
	fi
}

T=$(scratch)
cp -r "$ROOT/sample-repo" "$T/repo"
cd "$T/repo" || exit 1
git init -q && git add -A && git commit -q -m "the sample documents"

# --- check on a broken document ---------------------------------------------
f=$(git ls-files 'docs/procedures/*.md' | head -n 1)
sed -i '0,/^title:.*/s//title:/' "$f"
run env LC_ALL=C "$DOCCTL" check
en=$OUT$ERR en_rc=$RC
run env LC_ALL=zh_CN.UTF-8 "$DOCCTL" check
zh=$OUT$ERR
if [ "$en_rc" = 1 ] && [ "$RC" = 1 ] && [ "$(grep -o '\[[a-z.-]*\]' <<<"$en")" = "$(grep -o '\[[a-z.-]*\]' <<<"$zh")" ]; then
	pass "check: the same exit code and rule names in both locales"
else
	fail "check: the same exit code and rule names in both locales" "C (exit $en_rc): $en
zh_CN (exit $RC): $zh"
fi
zh_case "check on a broken document" "$en" "$zh"
for loc in C zh_CN.UTF-8; do LC_ALL=$loc "$DOCCTL" check --format json >"$T/check.$loc.json" 2>&1; done
check "check --format json: byte-identical under C and zh_CN.UTF-8" cmp -s "$T/check.C.json" "$T/check.zh_CN.UTF-8.json"
for loc in C zh_CN.UTF-8; do LC_ALL=$loc "$DOCCTL" check --format=sarif >"$T/check.$loc.sarif" 2>&1; done
check "check --format=sarif: byte-identical under C and zh_CN.UTF-8" cmp -s "$T/check.C.sarif" "$T/check.zh_CN.UTF-8.sarif"
git checkout -q -- "$f"

# --- a usage error -------------------------------------------------------------
run env LC_ALL=C "$DOCCTL" check --format xml
en=$OUT$ERR en_rc=$RC
run env LC_ALL=zh_CN.UTF-8 "$DOCCTL" check --format xml
if [ "$en_rc" = 2 ] && [ "$RC" = 2 ]; then pass "a usage error exits 2 in both locales"; else fail "a usage error exits 2 in both locales" "$en_rc / $RC"; fi
zh_case "a usage error" "$en" "$OUT$ERR"

# --- register ------------------------------------------------------------------
for fmt in json csv; do
	for loc in C zh_CN.UTF-8; do LC_ALL=$loc "$DOCCTL" register --format $fmt >"$T/reg.$loc.$fmt" 2>&1; done
	check "register --format $fmt: byte-identical under C and zh_CN.UTF-8" cmp -s "$T/reg.C.$fmt" "$T/reg.zh_CN.UTF-8.$fmt"
done
run env LC_ALL=C "$DOCCTL" register
en=$OUT$ERR
run env LC_ALL=zh_CN.UTF-8 "$DOCCTL" register
zh_case "register (md)" "$en" "$OUT$ERR"

# --- the labels of register, publish, history and review-due -----------------
# all_in DESC TEXT NEEDLE...: TEXT holds every NEEDLE
all_in() {
	local desc=$1 text=$2 n miss=
	shift 2
	for n in "$@"; do case "$text" in *"$n"*) ;; *) miss="$miss [$n]" ;; esac; done
	if [ -z "$miss" ]; then pass "$desc"; else fail "$desc" "missing:$miss
in: ${text:0:3000}"; fi
}
all_in "register (md) under zh_CN.UTF-8: heading, columns, count, status and type names in Chinese" \
	"$(LC_ALL=zh_CN.UTF-8 "$DOCCTL" register 2>&1)" "# 受控文件清单" "| 编号 | 名称 | 类别 | 版本 | 状态 |" "共 22 份文件" \
	"| SP-002 | 客户服务程序 | 程序文件 | A/0 | 已批准 |" "| SP-001 | 服务管理程序 | 程序文件 | A/0 | 作废 |"
all_in "register (md) under C: English labels, the type's title from the policy" \
	"$(LC_ALL=C "$DOCCTL" register 2>&1)" "# Register of controlled documents" "| ID | Title | Type | Revision | Status |" \
	" · 22 documents" "| SP-002 | 客户服务程序 | 程序文件 | A/0 | approved |" "| SP-001 | 服务管理程序 | 程序文件 | A/0 | obsolete |"
if head -c 200 "$T/reg.zh_CN.UTF-8.csv" | grep -q $'^\xef\xbb\xbfid,title,type,revision,status,owner,checker,approver,effective,next_review,pending_revision,pending_effective,classification\r$' &&
	grep -q '^SP-002,客户服务程序,procedure,A/0,approved,' "$T/reg.zh_CN.UTF-8.csv"; then
	pass "register --format csv under zh_CN.UTF-8: the header is the column keys, the cells machine values"
else
	fail "register --format csv under zh_CN.UTF-8: the header is the column keys, the cells machine values" "$(head -3 "$T/reg.zh_CN.UTF-8.csv")"
fi
# one document: the count in the singular
one=$T/one
mkdir -p "$one/docs/procedures" && cp -r docctl.yaml schema .docctl "$one/" &&
	cp docs/procedures/SP-002-customer-service.md "$one/docs/procedures/" &&
	(cd "$one" && git init -q && git add -A && git commit -q -m "one document")
all_in "register (md) under C: \"1 document\" in the singular" "$(cd "$one" && LC_ALL=C "$DOCCTL" register 2>&1)" " · 1 document
"
all_in "register --format html under C: \"1 document\", English labels" "$(cd "$one" && LC_ALL=C "$DOCCTL" register --format html 2>&1)" \
	'<html lang="en">' "<h1>Register of controlled documents</h1>" " · 1 document</p>" "<th>Approved by</th>" "<td>程序文件</td>"
for loc in C zh_CN.UTF-8; do
	rm -rf "$T/site.$loc" && LC_ALL=$loc "$DOCCTL" publish --out "$T/site.$loc" >/dev/null 2>&1
done
all_in "publish under zh_CN.UTF-8: index in Chinese, the required marks bilingual" \
	"$(cat "$T/site.zh_CN.UTF-8/index.html" 2>&1)" '<html lang="zh-CN">' "<h1>受控文件清单</h1>" "<th>类别</th>" "<td>程序文件</td>" \
	">已批准</td>" "<h2>作废文件</h2>" "作废 / OBSOLETE" "打印件为非受控文件 / uncontrolled when printed" "发布自 "
all_in "publish under zh_CN.UTF-8: a document page and its history table in Chinese" \
	"$(cat "$T/site.zh_CN.UTF-8/SP-001.html" 2>&1)" "<th>批准</th>" "<td class=\"status-obsolete\">作废 / OBSOLETE</td>" \
	"<h2>修订历史</h2>" "<th>签署人</th>" "<td>已作废</td>" "本文件已作废" "打印件为非受控文件 / uncontrolled when printed"
all_in "publish under C: English labels, the same required marks" \
	"$(cat "$T/site.C/index.html" "$T/site.C/SP-001.html" 2>&1)" '<html lang="en">' "<h1>Register of controlled documents</h1>" \
	"<h2>Archive: obsolete documents</h2>" "<h2>Revision history</h2>" ">approved</td>" "<td>obsoleted</td>" "作废 / OBSOLETE" \
	"打印件为非受控文件 / uncontrolled when printed" "Published from "
all_in "history under zh_CN.UTF-8: the meaning and the labels in Chinese" \
	"$(LC_ALL=zh_CN.UTF-8 "$DOCCTL" history SP-002 2>&1)" "已批准" "签名" "提交"
all_in "history under C: in English, \"1 entry\"" "$(LC_ALL=C "$DOCCTL" history SP-002 2>&1)" "(1 entry)" "revision A/0 approved" "commit:"
all_in "review-due under zh_CN.UTF-8: in Chinese" "$(LC_ALL=zh_CN.UTF-8 "$DOCCTL" review-due --as-of 2027-06-01 2>&1)" "已逾期" "负责人"
all_in "review-due under C: in English" "$(LC_ALL=C "$DOCCTL" review-due --as-of 2027-06-01 2>&1)" "overdue by" "owner "
for cmd in "history SP-002 --format json" "review-due --as-of 2027-06-01 --format json"; do
	for loc in C zh_CN.UTF-8; do LC_ALL=$loc $DOCCTL $cmd >"$T/out.$loc" 2>&1; done
	check "$cmd: byte-identical under C and zh_CN.UTF-8" cmp -s "$T/out.C" "$T/out.zh_CN.UTF-8"
done

# --- a library error, translated on this branch ----------------------------
mkdir -p "$T/site" && echo keep >"$T/site/mine.txt"
run env LC_ALL=zh_CN.UTF-8 "$DOCCTL" publish --out "$T/site"
expect_contains "publish into a foreign folder: the reason in Chinese" "不是空文件夹"
run env LC_ALL=zh_CN.UTF-8 DOCCTL_LANG=C "$DOCCTL" publish --out "$T/site"
expect_contains "DOCCTL_LANG=C wins over LC_ALL" "is not empty and was not made by docctl publish"

# --- docctl init: the policy's comments in the language of the locale ---------
for loc in C zh_CN.UTF-8; do
	mkdir -p "$T/init.$loc" && (cd "$T/init.$loc" && git init -q && LC_ALL=$loc "$DOCCTL" init >/dev/null &&
		"$DOCCTL" check >/dev/null 2>&1)
done
zh_init=$T/init.zh_CN.UTF-8
if grep -q '^# docctl.yaml —— 本受控仓库的文件控制策略' "$zh_init/docctl.yaml" &&
	grep -q '^# 受控范围' "$zh_init/docctl.yaml" && (cd "$zh_init" && "$DOCCTL" check >/dev/null 2>&1); then
	pass "init under zh_CN.UTF-8 writes a policy with Chinese comments that passes check"
else
	fail "init under zh_CN.UTF-8 writes a policy with Chinese comments that passes check" "$(head -5 "$T/init.zh_CN.UTF-8/docctl.yaml")"
fi
if grep -q '^# docctl.yaml - the policy of this controlled repository' "$T/init.C/docctl.yaml" &&
	! grep -qP '^#.*[\x{4e00}-\x{9fff}]' "$T/init.C/docctl.yaml" &&
	(cd "$T/init.C" && "$DOCCTL" check >/dev/null 2>&1); then
	pass "init under C writes the English policy"
else
	fail "init under C writes the English policy" "$(head -5 "$T/init.C/docctl.yaml")"
fi

# --- a server refusal through a bare repository -------------------------------
srv_init "$T"
SERVER=$T/server.git
srv_bare "$SERVER"
git clone -q "$SERVER" "$T/work" 2>/dev/null
cd "$T/work" || exit 1
srv_policy docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
commit_as ann "Initial controlled documents"
git push -q origin main 2>/dev/null
doc docs/procedures/SP-001-alpha.md SP-001 A/1 approved quinn "Changed text."
commit_as ann "An approval nobody signed"
run env LC_ALL=C git push origin main
en=$ERR
git -C "$SERVER" config docctl.lang zh_CN.UTF-8
push_refused "refused under docctl.lang=zh_CN.UTF-8 with the same rule" approval.stale refs/heads/main origin main
zh_case "a server refusal (docctl.lang)" "$en" "$ERR"
git -C "$SERVER" config --unset docctl.lang
run env LC_ALL=C DOCCTL_LANG=zh_CN.UTF-8 git push origin main
zh_case "a server refusal (DOCCTL_LANG in the hook's environment)" "$en" "$ERR"

done_testing
