#!/usr/bin/env bash
# t0410-authoring.sh - the editing commands (reference §7) on a copy of
# sample-repo with real git and real ssh keys: `new`, `revise`, `approve`,
# `review`, `obsolete` produce documents that pass `check`, change only the
# lines they must (everything else stays byte for byte), refuse a user
# without an approver role and the author of the change (four eyes), and
# `--sign` makes one signed commit of that one file that `git verify-commit`
# accepts with the repository's allowed signers.
. "$(dirname "$0")/lib/tap.sh"

SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export DOCCTL_AS_OF=2026-11-27
# who commits is the repository's user (as below), as on a real machine
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
SP5=docs/procedures/SP-005-record-control.md
plan 28

T=$(scratch)
R=$T/repo
mkdir -p "$R" && cp -a "$SOURCE_ROOT/sample-repo/." "$R/"
cd "$R" || exit 1
for who in zhang.min wang.fang; do
	ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$T/$who"
	echo "$who@example.com namespaces=\"git\" $(cat "$T/$who.pub")" >> .docctl/allowed_signers
done
git init -q . && git add -A && git commit -q -m baseline
git config gpg.format ssh
git config gpg.ssh.allowedSignersFile .docctl/allowed_signers
"$DOCCTL" init --hooks >/dev/null
as() { git config user.name "$1"; git config user.email "$2"; [ -n "$3" ] && git config user.signingkey "$3"; return 0; }
as 李伟 li.wei@example.com

# --- new ----------------------------------------------------------------------
expect_exit 0 "new procedure creates the next free id" "$DOCCTL" new procedure --title "Change management 变更管理程序"
new=$OUT
[ "$new" = docs/procedures/SP-009-change-management.md ] && pass "it is SP-009, named ID-slug.md in the procedures' folder" ||
	fail "it is SP-009, named ID-slug.md in the procedures' folder" "$new"
want='---
id: SP-009
title: Change management 变更管理程序
type: procedure
revision: A/0
status: draft
owner: li.wei
---
# Change management 变更管理程序

## 1 目的

## 2 适用范围

## 3 职责

## 4 程序

## 5 记录'
[ "$(cat "$new")" = "$want" ] && pass "its front-matter is filled and the type's sections are headings" ||
	fail "its front-matter is filled and the type's sections are headings" "$(cat "$new")"
echo "变更经评审后实施。" >> "$new"
expect_exit 0 "the new document passes check" "$DOCCTL" check "$new"
rm "$new"
git checkout -q -b other && "$DOCCTL" new procedure --title "Other" >/dev/null &&
	echo "正文。" >> docs/procedures/SP-009-other.md && git add -A && git commit -q -m "SP-009 on another branch" &&
	git checkout -q main
expect_exit 0 "new takes the lowest number above every id on any local branch" "$DOCCTL" new procedure --title "Third"
[ "$OUT" = docs/procedures/SP-010-third.md ] && pass "... which is SP-010 (SP-009 is taken on branch other)" ||
	fail "... which is SP-010 (SP-009 is taken on branch other)" "$OUT"
rm -f docs/procedures/SP-010-third.md

# --- revise keeps every other byte --------------------------------------------
cp "$SP5" "$T/before"
expect_exit 0 "revise SP-005 starts A/1" "$DOCCTL" revise SP-005 --change "增加电子记录的保存要求"
diff "$T/before" "$SP5" > "$T/diff"
changed=$(grep -c '^[<>]' "$T/diff")
grep -q '^> revision: A/1$' "$T/diff" && grep -q '^> status: draft$' "$T/diff" &&
	grep -q '^> change: 增加电子记录的保存要求$' "$T/diff" && grep -q '^< approved_by: zhang.min$' "$T/diff" &&
	[ "$changed" -eq 8 ] && pass "revise changes revision, status, change and drops the approval group, nothing else" ||
	fail "revise changes revision, status, change and drops the approval group, nothing else" "$(cat "$T/diff")"
[ "$(sed -n '/^---$/,/^---$/!p' "$T/before" | tail -n +2)" = "$(sed -n '/^---$/,/^---$/!p' "$SP5" | tail -n +2)" ] &&
	pass "the body is byte for byte the same" || fail "the body is byte for byte the same"
expect_exit 0 "the revised draft passes check" "$DOCCTL" check "$SP5"
echo "电子记录保存于文件服务器。" >> "$SP5"
git commit -qam "SP-005 A/1 draft"

# --- approve: roles, four eyes, signature -------------------------------------
expect_exit 1 "approve by a person without an approver role is refused" "$DOCCTL" approve SP-005
expect_contains "... saying which role is needed" "holds no approver role of type procedure"
as 张敏 zhang.min@example.com "$T/zhang.min"
echo "补充说明。" >> "$SP5" && git commit -qam "zhang edits SP-005" --no-verify
expect_exit 1 "approve by the person who changed the content is refused (four eyes)" "$DOCCTL" approve SP-005
expect_contains "... saying why" "changed the content of SP-005 since its last approval"
as 王芳 wang.fang@example.com "$T/wang.fang"
head=$(git rev-parse HEAD)
expect_exit 0 "approve --sign by another approver" "$DOCCTL" approve SP-005 --sign
[ "$(git rev-parse HEAD^)" = "$head" ] && [ "$(git diff --name-only HEAD^ HEAD)" = "$SP5" ] &&
	pass "one commit of that one file" || fail "one commit of that one file" "$(git log --oneline -3; git diff --name-only HEAD^ HEAD)"
expect_exit 0 "git verify-commit accepts it with the repository's allowed signers" git verify-commit HEAD
msg=$(git log -1 --format=%B)
case $msg in
"Approve SP-005 revision A/1"*"Signer: 王芳 <wang.fang@example.com>"*"Signed-off-as: approval"*) pass "the message and trailers carry the manifestation" ;;
*) fail "the message and trailers carry the manifestation" "$msg" ;;
esac
grep -q '^approved_by: wang.fang$' "$SP5" && grep -q '^approved_on: 2026-11-27$' "$SP5" && grep -q '^effective: 2026-11-27$' "$SP5" &&
	grep -q '^status: approved$' "$SP5" && pass "the approval group names wang.fang and today" || fail "the approval group names wang.fang and today" "$(head -16 "$SP5")"
expect_exit 0 "the approved document passes check" "$DOCCTL" check "$SP5"

# --- review and obsolete ------------------------------------------------------
as 张敏 zhang.min@example.com "$T/zhang.min"
expect_exit 0 "review --sign records a periodic review" "$DOCCTL" review FM-003 --sign
grep -q '^reviewed_by: zhang.min$' docs/forms/FM-003-*.md && grep -q '^reviewed_on: 2026-11-27$' docs/forms/FM-003-*.md &&
	pass "reviewed_by and reviewed_on are set" || fail "reviewed_by and reviewed_on are set"
expect_exit 0 "... so the review is no longer overdue and check is clean of it" sh -c "\"$DOCCTL\" check 2>&1 | grep -q review.overdue && exit 1 || exit 0"
# approved SM-001, SP-003, WI-001 and WI-002 cite SP-002: the commit would fail
# check (ref.obsolete), so the hook refuses it (reference §6.9); with new
# revisions of them started, SP-002 may go (SP-003 still counts as an
# approved successor in its draft revision, reference §4.1)
expect_exit 1 "obsolete --sign of SP-002 while approved documents cite it is refused" "$DOCCTL" obsolete SP-002 --superseded-by SP-003 --sign
expect_contains "... naming a document that cites it" "SM-001-service-manual.md:9:14: error: reference \"SP-002\""
git reset -q -- docs/procedures/SP-002-*.md && git checkout -q -- docs/procedures/SP-002-*.md
for id in SM-001 SP-003 WI-001 WI-002; do "$DOCCTL" revise $id --change "不再引用 SP-002" >/dev/null 2>&1; done
git commit -qam "New revisions of the documents citing SP-002" 2>/dev/null
expect_exit 0 "obsolete --superseded-by --sign withdraws SP-002" "$DOCCTL" obsolete SP-002 --superseded-by SP-003 --sign
grep -q '^status: obsolete$' docs/procedures/SP-002-*.md && grep -q '^superseded_by: SP-003$' docs/procedures/SP-002-*.md &&
	grep -q '^obsoleted_by: zhang.min$' docs/procedures/SP-002-*.md && pass "the retirement group is set" ||
	fail "the retirement group is set" "$(head -20 docs/procedures/SP-002-*.md)"
expect_exit 0 "git verify-commit accepts the obsoletion" git verify-commit HEAD
done_testing
