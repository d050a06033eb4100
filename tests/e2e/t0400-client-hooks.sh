#!/usr/bin/env bash
# t0400-client-hooks.sh - the client hooks (reference §7, §6.2 item 5) under real
# `git commit`: throwaway copies of sample-repo get a baseline commit made
# with --no-verify, then `docctl init --hooks`, then commits that the
# pre-commit hook must refuse (exit 1, the rule in stderr, HEAD unmoved) or
# accept (exit 0, no error, HEAD moved). Also: which index is checked (the
# staged one, `commit -a`, `commit <path>`'s temporary one, amend, a linked
# worktree, a subdirectory), how installation treats hooks the user already
# has, the Document trailers of commit-msg, and failing closed.
. "$(dirname "$0")/lib/tap.sh"

SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export DOCCTL DOCCTL_AS_OF=2026-11-27
SP5=docs/procedures/SP-005-record-control.md
SP2=docs/procedures/SP-002-customer-service.md
MARK='installed by `docctl init --hooks`'

# new_repo [NOHOOKS]: a copy of sample-repo with its baseline commit, in $R
new_repo() {
	R=$(scratch)/repo
	mkdir -p "$R" && cp -a "$SOURCE_ROOT/sample-repo/." "$R/" &&
		git -C "$R" init -q && git -C "$R" add -A &&
		git -C "$R" commit -q --no-verify -m baseline || { echo "Bail out! cannot build a repository"; exit 1; }
	if [ -z "$1" ] && ! (cd "$R" && "$DOCCTL" init --hooks >/dev/null); then
		echo "Bail out! docctl init --hooks failed"
		exit 1
	fi
}

# commit_case DESC WANT RULE DIR ARGS...: `git -C DIR commit -q ARGS...`
# (as `env "${GIT_ENV[@]}" git "${GIT_OPTS[@]}" ...`); WANT 1: refused, RULE in stderr, HEAD
# unmoved (RULE - : no rule); WANT 0: accepted, no error in stderr, HEAD moved.
GIT_ENV=() GIT_OPTS=()
commit_case() {
	local desc=$1 want=$2 rule=$3 dir=$4 before after problems=
	shift 4
	before=$(git -C "$dir" rev-parse HEAD)
	run env "${GIT_ENV[@]}" git -C "$dir" "${GIT_OPTS[@]}" commit -q "$@"
	after=$(git -C "$dir" rev-parse HEAD)
	[ "$RC" = "$want" ] || problems+="git commit exited $RC, expected $want; "
	if [ "$want" = 0 ]; then
		[ "$before" != "$after" ] || problems+="HEAD did not move; "
		case "$ERR" in *"error:"*) problems+="stderr reports an error; " ;; esac
	else
		[ "$before" = "$after" ] || problems+="HEAD moved; "
		case "$rule:$ERR" in -:* | *"[$rule]"*) ;; *) problems+="stderr does not name [$rule]; " ;; esac
	fi
	if [ -z "$problems" ]; then pass "$desc"; else fail "$desc" "$problems
stdout: $OUT
stderr: $ERR"; fi
}

# expect_msg DESC DIR WANT: the last commit's message is exactly WANT
expect_msg() {
	local got
	got=$(git -C "$2" log -1 --format=%B)
	if [ "$got" = "$3" ]; then pass "$1"; else fail "$1" "message:
$got
expected:
$3"; fi
}

# expect_test DESC TEST-ARGS...: `test ARGS` holds
expect_test() {
	local desc=$1
	shift
	if test "$@"; then pass "$desc"; else fail "$desc" "test $* failed"; fi
}

reset_repo() { git -C "${1:-$R}" reset -q --hard; }
append() { printf '%s\n' "$2" >>"$R/$1"; }
# a valid new revision of approved SP-005: A/1, change, draft, no approval group
bump_sp5() {
	sed -i -e 's|^revision: A/0$|revision: A/1\nchange: 增加电子记录的备份要求|' -e 's/^status: approved$/status: draft/' \
		-e '/^approved_by:/d; /^approved_on:/d; /^effective:/d' "$R/$SP5"
	append "$SP5" "电子记录每日备份。"
}
break_status() { sed -i 's/^status: .*/status: aproved/' "$1"; }

# ---------------------------------------------------------------- refusals
new_repo
MAIN=$R

expect_test "pre-commit installed with mode 755" "$(stat -c %a "$R/.git/hooks/pre-commit")" = 755
expect_test "commit-msg installed with mode 755" "$(stat -c %a "$R/.git/hooks/commit-msg")" = 755

break_status "$R/$SP5"
git -C "$R" add -A
commit_case "a staged schema error is refused" 1 schema.enum "$R" -m "typo"
expect_contains "the schema error says file:line:col" \
	"$SP5:6:9: error: status \"aproved\" is not one of"
reset_repo

append "$SP5" "补充一句。"
git -C "$R" add -A
commit_case "an approved document edited without a bump is refused" 1 revision.not-bumped "$R" -m "edit SP-005"
reset_repo

sed -i 's|^revision: B/0$|revision: A/9|' "$R/docs/procedures/SP-004-document-control.md"
git -C "$R" add -A
commit_case "a revision that goes down is refused" 1 revision.regressed "$R" -m "SP-004 back to A/9"
reset_repo

append records/2026/RC-0002-satisfaction-survey-2026-q2.md "补记一条。"
git -C "$R" add -A
commit_case "an edit of an approved record is refused" 1 record.immutable "$R" -m "edit RC-0002"
reset_repo

git -C "$R" rm -q records/2026/RC-0001-complaint-ts-2026-031.md
commit_case "a record deleted before its retention passed is refused" 1 record.retention "$R" -m "dispose RC-0001"
GIT_ENV=(DOCCTL_AS_OF=2099-12-31)
commit_case "a record deleted after its retention passed is accepted" 0 record.retention "$R" -m "dispose RC-0001"
GIT_ENV=()

git -C "$R" rm -q docs/procedures/SP-008-service-evaluation-improvement.md
commit_case "deleting an approved document is refused" 1 doc.deleted "$R" -m "drop SP-008"
reset_repo

append docs/procedures/SP-001-service-management.md "作废后补充。"
git -C "$R" add -A
commit_case "an edit of an obsolete document is refused" 1 status.transition "$R" -m "edit SP-001"
reset_repo

sed -i 's/^id: SP-005$/id: SP-009/' "$R/$SP5"
git -C "$R" add -A
commit_case "changing the id of an approved document is refused" 1 id.changed "$R" -m "renumber SP-005"
reset_repo

# ------------------------------------------ a new revision and its trailer
bump_sp5
git -C "$R" add -A
commit_case "a bumped revision with change, draft, no approval group is accepted" 0 revision.not-bumped "$R" -m "Revise SP-005"
expect_msg "commit-msg adds exactly one Document trailer" "$R" "Revise SP-005

Document: SP-005 A/1 draft"
DRAFT=$(git -C "$R" rev-parse HEAD)

append "$SP5" "备份介质异地保存。"
git -C "$R" add -A
commit_case "amending the draft is accepted" 0 - "$R" --amend --no-edit
expect_msg "amend keeps a single Document trailer" "$R" "Revise SP-005

Document: SP-005 A/1 draft"
expect_test "amend replaced the commit, not stacked one" "$(git -C "$R" rev-parse HEAD^)" = "$(git -C "$R" rev-parse "$DRAFT^")"
sed -i 's/^status: draft$/status: in-review/' "$R/$SP5"
git -C "$R" add -A
commit_case "amending the status to in-review is accepted" 0 - "$R" --amend --no-edit
expect_msg "amend replaces the document's trailer, not adds a second" "$R" "Revise SP-005

Document: SP-005 A/1 in-review"
sed -i 's/^status: in-review$/status: draft/' "$R/$SP5"
git -C "$R" add -A
commit_case "amending the status back to draft is accepted" 0 - "$R" --amend --no-edit
expect_msg "the trailer follows the amend back" "$R" "Revise SP-005

Document: SP-005 A/1 draft"

append "$SP5" "<!-- staged -->"
git -C "$R" add -A
break_status "$R/$SP5"
git -C "$R" add -A
commit_case "amend is refused when the staged tree is bad" 1 schema.enum "$R" --amend --no-edit
reset_repo

append "$SP5" "备份每月检查一次。"
git -C "$R" add -A
commit_case "a commit with a Signed-off-by paragraph is accepted" 0 - "$R" -m "Tweak SP-005" -m "Signed-off-by: x"
expect_msg "the Document trailer joins the existing trailer paragraph" "$R" "Tweak SP-005

Signed-off-by: x
Document: SP-005 A/1 draft"

append README.md "More notes."
git -C "$R" add -A
commit_case "a commit touching no controlled document is accepted" 0 - "$R" -m "Edit README"
expect_msg "a commit touching no controlled document gets no trailer" "$R" "Edit README"

# ------------------------------------------------ index vs working tree
break_status "$R/$SP5"
git -C "$R" add -A
sed -i 's/^status: aproved$/status: draft/' "$R/$SP5"
commit_case "bad content staged, fixed only in the working tree: refused" 1 schema.enum "$R" -m "staged bad"
reset_repo

append "$SP5" "记录索引每季度更新。"
git -C "$R" add -A
break_status "$R/$SP5"
commit_case "good content staged, broken only in the working tree: accepted" 0 - "$R" -m "staged good"
reset_repo

break_status "$R/$SP5"
commit_case "commit -a checks what -a stages: refused" 1 schema.enum "$R" -a -m "all bad"
reset_repo
append "$SP5" "借阅须登记。"
commit_case "commit -a with good content: accepted" 0 - "$R" -a -m "all good"

# commit <path>: git checks a temporary index holding HEAD plus that path
append "$SP5" "登记表保存三年。"
break_status "$R/$SP2"
commit_case "commit <path> ignores another file broken and unstaged" 0 - "$R" -m "only SP-005" -- "$SP5"
git -C "$R" add "$SP2"
append "$SP5" "登记表电子化。"
commit_case "commit <path> ignores another file broken and staged" 0 - "$R" -m "only SP-005 again" -- "$SP5"
expect_msg "commit <path> trailers name only that path's document" "$R" "only SP-005 again

Document: SP-005 A/1 draft"
reset_repo
break_status "$R/$SP5"
commit_case "commit <path> checks the path's working-tree content it stages: refused" 1 schema.enum "$R" -m "bad path" -- "$SP5"
reset_repo

# from a subdirectory
append "$SP5" "子目录提交。"
commit_case "a commit from a subdirectory is accepted" 0 - "$R/docs/procedures" -a -m "from subdir"
break_status "$R/$SP5"
commit_case "a bad commit from a subdirectory is refused" 1 schema.enum "$R/docs/procedures" -a -m "bad from subdir"
reset_repo

# a linked worktree: its own index and HEAD, the common hooks
WT=$(dirname "$R")/wt
git -C "$R" worktree add -q -b side "$WT"
break_status "$WT/$SP5"
git -C "$WT" add -A
commit_case "a bad commit in a linked worktree is refused" 1 schema.enum "$WT" -m "bad in worktree"
reset_repo "$WT"
append "$SP5" "主工作区未暂存的修改。"
printf '%s\n' "工作树中的补充。" >>"$WT/$SP5"
git -C "$WT" add -A
commit_case "a good commit in a linked worktree is accepted" 0 - "$WT" -m "good in worktree"
expect_msg "the linked worktree's commit gets its trailer" "$WT" "good in worktree

Document: SP-005 A/1 draft"
reset_repo

# --------------------------------------------------------------- approval
# zhang.min (qa-manager) edits the committed draft and approves it herself
self_approve() {
	sed -i -e 's/^status: draft$/status: approved\napproved_by: zhang.min\napproved_on: 2026-11-27\neffective: 2026-11-27/' "$R/$SP5"
	append "$SP5" "批准前的最后修改。"
	git -C "$R" add -A
}
self_approve
git -C "$R" config user.email zhang.min@example.com
GIT_ENV=(-u GIT_COMMITTER_EMAIL -u GIT_AUTHOR_EMAIL)
commit_case "approval by the approver who also changed the content (user.email) is refused" 1 approval.self "$R" -m "approve SP-005"
expect_contains "approval.self points at approved_by" "$SP5:8:14: error: zhang.min changes the content of SP-005"
git -C "$R" config --unset user.email
reset_repo
self_approve
GIT_OPTS=(-c user.email=zhang.min@example.com)
commit_case "the same with git -c user.email=... is refused" 1 approval.self "$R" -m "approve SP-005"
GIT_OPTS=() GIT_ENV=()
commit_case "the same with --author is refused" 1 approval.self "$R" --author="张敏 <zhang.min@example.com>" -m "approve SP-005"
reset_repo
GIT_ENV=(-u GIT_COMMITTER_EMAIL -u GIT_AUTHOR_EMAIL)
sed -i -e 's/^status: draft$/status: approved\napproved_by: wang.fang\napproved_on: 2026-11-27\neffective: 2026-11-27/' "$R/$SP5"
git -C "$R" add -A
git -C "$R" config user.email wang.fang@example.com
commit_case "approval of a committed draft by another approver is accepted" 0 - "$R" -m "Approve SP-005"
expect_msg "the approval commit's trailer says approved" "$R" "Approve SP-005

Document: SP-005 A/1 approved"
GIT_ENV=()
git -C "$R" config --unset user.email

# ------------------------------------------------------------ fail closed
sed -i 's/^docctl: 1$/docctl: 1\nbogus: 1/' "$R/docctl.yaml"
git -C "$R" add docctl.yaml
commit_case "a broken policy staged refuses the commit" 1 policy.invalid "$R" -m "break the policy"
run sh -c 'cd "$1" && .git/hooks/pre-commit' sh "$R"
if [ "$RC" = 2 ]; then pass "the pre-commit hook exits 2 on a broken policy"; else fail "the pre-commit hook exits 2 on a broken policy" "exit $RC
stderr: $ERR"; fi
reset_repo

append "$SP5" "docctl 不在时。"
git -C "$R" add -A
if PATH=/usr/bin:/bin command -v docctl >/dev/null; then
	fail "docctl missing refuses the commit" "docctl is on /usr/bin:/bin; cannot hide it"
else
	GIT_ENV=(DOCCTL=/nonexistent/docctl PATH=/usr/bin:/bin)
	commit_case "docctl missing refuses the commit" 1 - "$R" -m "no docctl"
	expect_contains "docctl missing: the refusal says so" "cannot find docctl"
fi
reset_repo
break_status "$R/$SP5"
git -C "$R" add -A
GIT_ENV=(-u DOCCTL)
commit_case "without DOCCTL the hook runs the docctl path baked in at install" 1 schema.enum "$R" -m "baked path"
GIT_ENV=()
reset_repo

# ---------------------------------------------------- installing the hooks
new_repo nohooks
MARKER=$(dirname "$R")/marker
printf '#!/bin/sh\necho user-hook >>"%s"\n' "$MARKER" >"$R/.git/hooks/pre-commit"
chmod 755 "$R/.git/hooks/pre-commit"
run sh -c 'cd "$1" && "$DOCCTL" init --hooks' sh "$R"
expect_contains "init --hooks says it kept the user's hook" "pre-commit.pre-docctl"
run sh -c 'cd "$1" && "$DOCCTL" init --hooks' sh "$R"
expect_test "init --hooks twice succeeds" "$RC" = 0
if grep -q user-hook "$R/.git/hooks/pre-commit.pre-docctl" && ! grep -qF "$MARK" "$R/.git/hooks/pre-commit.pre-docctl" &&
	grep -qF "$MARK" "$R/.git/hooks/pre-commit" && [ ! -e "$R/.git/hooks/commit-msg.pre-docctl" ]; then
	pass "the user's hook is kept as pre-commit.pre-docctl, docctl is not chained to itself"
else
	fail "the user's hook is kept as pre-commit.pre-docctl, docctl is not chained to itself" "$(ls -l "$R/.git/hooks")"
fi
expect_test "pre-commit.pre-docctl keeps mode 755" "$(stat -c %a "$R/.git/hooks/pre-commit.pre-docctl")" = 755
append README.md "x"
git -C "$R" add -A
commit_case "a commit with a chained user hook is accepted" 0 - "$R" -m "readme"
expect_test "the user's hook ran once" "$(cat "$MARKER" 2>/dev/null)" = user-hook
break_status "$R/$SP5"
git -C "$R" add -A
commit_case "the chained docctl still refuses a bad commit" 1 schema.enum "$R" -m "bad"
expect_test "the user's hook ran first" "$(grep -c user-hook "$MARKER")" = 2
reset_repo

new_repo nohooks
MARKER=$(dirname "$R")/marker
printf '#!/bin/sh\necho user-hook >>"%s"\n' "$MARKER" >"$R/.git/hooks/pre-commit"
chmod 755 "$R/.git/hooks/pre-commit"
run sh -c 'cd "$1" && "$DOCCTL" init --hooks --force' sh "$R"
if [ "$RC" = 0 ] && [ ! -e "$R/.git/hooks/pre-commit.pre-docctl" ] && grep -qF "$MARK" "$R/.git/hooks/pre-commit"; then
	pass "init --hooks --force replaces the user's hook"
else
	fail "init --hooks --force replaces the user's hook" "exit $RC
$OUT
$ERR
$(ls -l "$R/.git/hooks")"
fi
append README.md "x"
git -C "$R" add -A
commit_case "after --force the commit is accepted" 0 - "$R" -m "readme"
expect_test "after --force the user's hook no longer runs" ! -e "$MARKER"

new_repo nohooks
git -C "$R" config core.hooksPath .githooks
run sh -c 'cd "$1" && "$DOCCTL" init --hooks' sh "$R"
if [ "$RC" = 0 ] && [ "$(stat -c %a "$R/.githooks/pre-commit" 2>/dev/null)" = 755 ] &&
	[ "$(stat -c %a "$R/.githooks/commit-msg" 2>/dev/null)" = 755 ] && [ ! -e "$R/.git/hooks/pre-commit" ]; then
	pass "with core.hooksPath the hooks go into that folder, mode 755"
else
	fail "with core.hooksPath the hooks go into that folder, mode 755" "exit $RC
$OUT
$ERR"
fi
break_status "$R/$SP5"
git -C "$R" add "$SP5"
commit_case "hooks in core.hooksPath refuse a bad commit" 1 schema.enum "$R" -m "bad"

plan "$TAP_N"
done_testing
