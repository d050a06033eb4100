#!/usr/bin/env bash
# t0420-workflow.sh - the everyday workflow of a new quality manager, with
# the mistakes real people make (issue "everyday workflow"): a repository on
# master, ids like WI-KF-01 and QR-01-01, new external documents, revising
# twice, revising after a periodic review, approving without --sign and
# signing afterwards, withdrawing a cited document, help for every command,
# and the local date.
. "$(dirname "$0")/lib/tap.sh"

SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL DOCCTL_AS_OF
plan 64

T=$(scratch)
as() { git config user.name "$1"; git config user.email "$2"; [ -n "${3:-}" ] && git config user.signingkey "$3"; return 0; }

# --- 1. a plain `git init` is on master: init protects master ------------------
R=$T/company
git -c init.defaultBranch=master init -q "$R" && cd "$R" || exit 1
expect_exit 0 "init in a repository on master" "$DOCCTL" init
expect_contains "... says which branch it protects" "it protects refs/heads/master"
grep -q '^protected: \[refs/heads/master, "refs/heads/release/\*"\]' docctl.yaml &&
	pass "docctl.yaml protects refs/heads/master" || fail "docctl.yaml protects refs/heads/master" "$(grep protected docctl.yaml)"
expect_exit 0 "check is clean on a fresh repository" "$DOCCTL" check
expect_not_contains "... with no warning about the branch" "policy.unprotected-branch"
sed -i 's#^protected: .*#protected: [refs/heads/main]#' docctl.yaml
expect_exit 0 "a policy that protects only main while the repository is on master" "$DOCCTL" check
pline=$(grep -n '^protected:' docctl.yaml | cut -d: -f1)
expect_contains "... is a warning at the protected line" "docctl.yaml:$pline:12: warning: this repository is on refs/heads/master, which \`protected\` does not cover"
expect_contains "... saying what to do" "git branch -m master main [policy.unprotected-branch]"
sed -i 's#^protected: .*#protected: [refs/heads/master, "refs/heads/release/*"]#' docctl.yaml

# Chinese-style ids: WI-[A-Z]{2}-[0-9]{2}, QR-[0-9]{2}-[0-9]{2}
sed -i 's/id: "WI-\[0-9\]{3}"/id: "WI-[A-Z]{2}-[0-9]{2}"/; s/id: "RC-\[0-9\]{4}"/id: "QR-[0-9]{2}-[0-9]{2}"/' docctl.yaml
sed -i 's/^  author.one: .*/  li.wei:      {name: 李伟, email: li.wei@example.com, roles: [author]}/; s/^  qa.manager: .*/  zhang.min:   {name: 张敏, email: zhang.min@example.com, roles: [qa-manager]}/; s/^  top.manager: .*/  wang.fang:   {name: 王芳, email: wang.fang@example.com, roles: [general-manager, policy-admin]}/' docctl.yaml
sed -i 's/identity: \[signature\].*/identity: [signature]/' docctl.yaml
for who in zhang.min wang.fang; do
	ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$T/$who"
	echo "$who@example.com namespaces=\"git\" $(cat "$T/$who.pub")" >> .docctl/allowed_signers
done
git config gpg.format ssh
git config gpg.ssh.allowedSignersFile .docctl/allowed_signers
as 李伟 li.wei@example.com
expect_exit 0 "the policy with Chinese-style ids loads" "$DOCCTL" check

# --- 7. numbering any pattern that ends in digits --------------------------------
expect_exit 2 "new of WI-[A-Z]{2}-[0-9]{2} with no document yet asks for the prefix" "$DOCCTL" new work-instruction --title 接待
expect_contains "... naming --prefix and --id" "say it with --prefix"
expect_exit 0 "new --prefix WI-KF- numbers from 01" "$DOCCTL" new work-instruction --title 热线接待 --prefix WI-KF-
[ "$OUT" = docs/work-instruction/WI-KF-01.md ] && pass "... WI-KF-01" || fail "... WI-KF-01" "$OUT"
echo "按流程接待。" >> "$OUT"
expect_exit 0 "without --prefix, the one stem of the existing ids is taken" "$DOCCTL" new work-instruction --title 回访
[ "$OUT" = docs/work-instruction/WI-KF-02.md ] && pass "... WI-KF-02" || fail "... WI-KF-02" "$OUT"
echo "按流程回访。" >> "$OUT"
expect_exit 0 "another department's prefix" "$DOCCTL" new work-instruction --title 维修 --prefix WI-WX-
[ "$OUT" = docs/work-instruction/WI-WX-01.md ] && pass "... WI-WX-01" || fail "... WI-WX-01" "$OUT"
echo "按流程维修。" >> "$OUT"
expect_exit 2 "with two stems in use, new asks which" "$DOCCTL" new work-instruction --title 第三
expect_contains "... listing both" "--prefix WI-KF-, --prefix WI-WX-"
expect_exit 2 "a prefix that cannot make an id of the type is refused" "$DOCCTL" new work-instruction --title x --prefix WI-K1-
expect_contains "... saying so" "the next id would be WI-K1-01, which does not match"
expect_exit 0 "records QR-01-01, QR-01-02" "$DOCCTL" new record --title 评审记录 --prefix QR-01-
expect_exit 0 "... the second one" "$DOCCTL" new record --title 评审记录二
[ "$OUT" = docs/record/QR-01-02.md ] && pass "... is QR-01-02" || fail "... is QR-01-02" "$OUT"
rm -f docs/record/QR-01-0*.md
expect_exit 0 "--id always works" "$DOCCTL" new work-instruction --title 投诉 --id WI-TS-07
[ "$OUT" = docs/work-instruction/WI-TS-07.md ] && pass "... WI-TS-07" || fail "... WI-TS-07" "$OUT"
echo "按流程处理。" >> "$OUT"
expect_exit 1 "--id of a taken id is refused" "$DOCCTL" new work-instruction --title 投诉 --id WI-TS-07
expect_exit 2 "--id of another type's pattern is refused" "$DOCCTL" new procedure --title x --id WI-TS-08
expect_contains "... naming that type" "it is an id of type work-instruction"

# --- 6. new external: what it needs, or a refusal naming it ----------------------
expect_exit 1 "new external without a source writes nothing" "$DOCCTL" new external --title "GB/T 19001-2016"
expect_contains "... and names the options" 'hint: give what is missing: docctl new external --title "GB/T 19001-2016" --source "..." --source-version "..."'
[ -z "$(ls docs/external 2>/dev/null)" ] && pass "... no file was written" || fail "... no file was written" "$(ls docs/external)"
expect_exit 0 "new external --source --source-version" "$DOCCTL" new external --title "GB/T 19001-2016" --source 国家标准化管理委员会 --source-version 2016
expect_exit 0 "... passes check" "$DOCCTL" check "$OUT"
for t in manual procedure form; do
	"$DOCCTL" new $t --title "新 $t" >"$T/path" 2>"$T/err" || fail "new $t" "$(cat "$T/err")"
	echo "正文。" >> "$(cat "$T/path")"
done
expect_exit 0 "new of every type writes a file that passes check" "$DOCCTL" check

git add -A && git commit -q -m "受控文件初稿" --no-verify

# --- 3, 5. revise ------------------------------------------------------------------
WI=docs/work-instruction/WI-KF-01.md
sed -i "s/^status: draft$/status: approved\napproved_by: zhang.min\napproved_on: 2026-01-05\nreviewed_by: zhang.min\nreviewed_on: 2026-06-01/" "$WI"
git commit -qam "WI-KF-01 approved and reviewed" --no-verify
expect_exit 0 "revise after a periodic review" "$DOCCTL" revise WI-KF-01 --change 增加夜间接待
! grep -qE '^(reviewed_by|reviewed_on|approved_by|approved_on|effective|checked_by|checked_on):' "$WI" &&
	pass "... drops the approval, check and review fields" || fail "... drops the approval, check and review fields" "$(head -14 "$WI")"
expect_exit 1 "revise again refuses: the draft is already a new revision" "$DOCCTL" revise WI-KF-01
expect_contains "... saying what to do" "--change"
grep -q '^revision: A/1$' "$WI" && pass "... and the revision stays A/1" || fail "... and the revision stays A/1" "$(grep revision "$WI")"
expect_exit 0 "revise --change on that draft updates its summary" "$DOCCTL" revise WI-KF-01 --change 增加夜间及节假日接待
grep -q '^change: 增加夜间及节假日接待$' "$WI" && grep -q '^revision: A/1$' "$WI" && pass "... only the summary" ||
	fail "... only the summary" "$(head -12 "$WI")"
git checkout -q -- "$WI"
expect_exit 0 "revise --major starts the next edition" "$DOCCTL" revise WI-KF-01 --major --change 全面修订
grep -q '^revision: B/0$' "$WI" && pass "... A/0 -> B/0" || fail "... A/0 -> B/0" "$(grep revision "$WI")"
git checkout -q -- "$WI"

# --- 4. approve without --sign, then --sign -------------------------------------------
echo "夜间由值班人员接待。" >> "$WI"
"$DOCCTL" revise WI-KF-01 --change 增加夜间接待 >/dev/null
git commit -qam "WI-KF-01 A/1 draft" --no-verify
as 张敏 zhang.min@example.com "$T/zhang.min"
expect_exit 0 "approve without --sign" "$DOCCTL" approve WI-KF-01
expect_contains "... says the server counts only signed approvals and how to sign" "docctl approve WI-KF-01 --sign"
expect_exit 0 "approve --sign afterwards makes the signed commit" "$DOCCTL" approve WI-KF-01 --sign
expect_exit 0 "... which git verifies" git verify-commit HEAD
[ "$(git diff --name-only HEAD^ HEAD)" = "$WI" ] && pass "... of that one file" || fail "... of that one file"
# committed by hand without a signature, then --sign: HEAD is amended with the signature
as 李伟 li.wei@example.com
"$DOCCTL" revise WI-KF-02 >/dev/null 2>&1; git checkout -q .
WI2=docs/work-instruction/WI-KF-02.md
sed -i "s/^status: draft$/status: approved\napproved_by: zhang.min\napproved_on: 2026-01-05/" "$WI2"
git commit -qam "WI-KF-02 approved" --no-verify
"$DOCCTL" revise WI-KF-02 --change 调整回访时限 >/dev/null && echo "回访在三日内完成。" >> "$WI2" && git commit -qam "WI-KF-02 A/1" --no-verify
as 张敏 zhang.min@example.com "$T/zhang.min"
"$DOCCTL" approve WI-KF-02 >/dev/null && git commit -qam "approve WI-KF-02 (unsigned)" --no-verify
before=$(git rev-parse HEAD^)
expect_exit 0 "approve --sign after an unsigned approval commit signs that commit" "$DOCCTL" approve WI-KF-02 --sign
expect_contains "... saying so" "now carries your signature"
[ "$(git rev-parse HEAD^)" = "$before" ] && git verify-commit HEAD 2>/dev/null && pass "... HEAD amended, signed, same parent" ||
	fail "... HEAD amended, signed, same parent" "$(git log --oneline -3)"
git config --unset user.signingkey
"$DOCCTL" revise WI-WX-01 >/dev/null 2>&1
expect_exit 1 "--sign without a signing key says how to set one up" "$DOCCTL" obsolete WI-KF-02 --sign
expect_contains "... the real reason" "git has no signing key"
git checkout -q .

# --- 13. obsolete lists who still cites the document -------------------------------------
as 李伟 li.wei@example.com
P=$(ls docs/procedure*/SP-*.md 2>/dev/null | head -1)
[ -n "$P" ] || P=$(grep -l '^type: procedure' -r docs | head -1)
sed -i "s/^status: draft$/status: approved\napproved_by: wang.fang\napproved_on: 2026-01-05/" "$P"
sed -i "s/^owner: li.wei$/owner: li.wei\nreferences: [$(sed -n 's/^id: //p' "$P")]/" docs/manual/*.md
sed -i "s/^status: draft$/status: approved\napproved_by: wang.fang\napproved_on: 2026-01-05/" docs/manual/*.md
git commit -qam "approved procedure and manual" --no-verify
as 王芳 wang.fang@example.com "$T/wang.fang"
expect_exit 0 "obsolete a procedure the manual cites" "$DOCCTL" obsolete "$(sed -n 's/^id: //p' "$P")"
expect_contains "... lists the manual, which will fail ref.obsolete" "$(sed -n 's/^id: //p' docs/manual/*.md)"
git checkout -q .

# --- 12. published pages keep the clause lines ---------------------------------------
as 李伟 li.wei@example.com
"$DOCCTL" new procedure --title 文件控制程序 --id SP-020 >/dev/null
SP20=$(ls docs/procedure*/SP-020*.md)
python3 - "$SP20" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
s = s.replace("status: draft", "status: approved\napproved_by: wang.fang\napproved_on: 2026-01-05", 1)
s = s.replace("## 4 程序\n", "## 4 程序\n4.1 文件由编制人起草。\n4.2 文件经审核后批准。\n4.3 批准后发布。\n", 1)
for h in ("## 1 目的", "## 2 适用范围", "## 3 职责", "## 5 记录"):
    s = s.replace(h + "\n", h + "\n见正文。\n", 1)
open(p, "w").write(s)
PY
git add -A && git commit -q -m "SP-020" --no-verify
expect_exit 0 "publish a procedure written a clause per line" "$DOCCTL" publish --out "$T/site"
grep -q '<p>4.1 文件由编制人起草。
4.2 文件经审核后批准。
4.3 批准后发布。</p>' "$T/site/SP-020.html" && grep -q '.doc-body p, .doc-body li { white-space: pre-line; }' "$T/site/style.css" &&
	pass "... keeps each clause on its own line" || fail "... keeps each clause on its own line" "$(grep -A3 '4.1' "$T/site/SP-020.html")"

# --- 9. help and the date ------------------------------------------------------------------
expect_exit 0 "docctl help check" "$DOCCTL" help check
expect_contains "... describes check, not the general list" "usage: docctl check"
expect_exit 0 "docctl new --help" "$DOCCTL" new --help
expect_contains "... shows new's options" "--prefix"
sed -i "s/^approved_on: 2026-01-05$/approved_on: 2020-01-05/" "$P"
DOCCTL_AS_OF=2020-06-01 "$DOCCTL" check "$P" >"$T/out" 2>&1
! grep -q review.overdue "$T/out" && pass "check honours DOCCTL_AS_OF" || fail "check honours DOCCTL_AS_OF" "$(cat "$T/out")"
git checkout -q .
as 张敏 zhang.min@example.com "$T/zhang.min"
"$DOCCTL" revise WI-WX-01 >/dev/null 2>&1; git checkout -q .
WX=docs/work-instruction/WI-WX-01.md
sed -i "s/^status: draft$/status: in-review/" "$WX"
# 07:30 in Beijing is still the day before in UTC: the approval is dated
# the local day. A zone whose date differs from UTC's right now proves it.
if [ "$(date -u +%H)" -lt 12 ]; then zone=Etc/GMT+12; else zone=Etc/GMT-14; fi
local_date=$(TZ=$zone date +%F)
TZ=$zone "$DOCCTL" approve WI-WX-01 >/dev/null 2>&1
[ "$local_date" != "$(date -u +%F)" ] && grep -q "^approved_on: $local_date$" "$WX" && pass "approve dates by the local date (TZ)" ||
	fail "approve dates by the local date (TZ)" "$(grep approved_on "$WX"; echo "want $local_date")"
done_testing
