#!/bin/bash
# t0730-content.sh - what an approved document's content is, and one verdict
# from pre-commit, `check`, `check --rev` and the server (reference §4.1,
# §4.2, §4.7, §6.2 item 5, §6.9), on a real bare repository with real
# SSH-signed commits:
# - same content is byte-level: a YAML comment, a BOM, CRLF in the
#   front-matter, a `...` end line, a `!!str` tag or reordered keys in an
#   approved document, pushed without a new approved revision, are refused;
#   the same edit as a new revision with a signed approval is accepted;
# - approval.stale: a new revision that keeps the previous approval is
#   refused by pre-commit, check and check --rev; approving it is accepted;
# - records: a procedure cited by an approved record may be withdrawn, while
#   an approved procedure may still not cite an obsolete one (ref.obsolete);
# - superseded_by: a successor approved earlier may be in a later draft
#   revision (all agree it is clean); one never approved is refused by all;
# - a branch that is not protected gets what `check --rev` says (drafts
#   allowed): ref.obsolete for a withdrawal an approved document still
#   cites, approval.stale for a copied-over approval, also when the copy is
#   in the first or the last of several commits; their fixes are accepted.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
SERVER=$T/server.git
srv_bare "$SERVER"
git clone -q "$SERVER" "$T/work" 2>/dev/null
cd "$T/work" || exit 1

SP1=docs/procedures/SP-001-alpha.md SP2=docs/procedures/SP-002-beta.md SP3=docs/procedures/SP-003-three.md
SP4=docs/procedures/SP-004-old.md SP5=docs/procedures/SP-005-new.md
SP6=docs/procedures/SP-006-six.md SP7=docs/procedures/SP-007-seven.md
SP8=docs/procedures/SP-008-eight.md SP9=docs/procedures/SP-009-nine.md
RC1=records/RC-0001-log.md
srv_policy docctl.yaml
srv_signers .docctl/allowed_signers
doc "$SP1" SP-001 A/0 approved quinn
doc "$SP2" SP-002 A/0 approved gina
doc "$SP4" SP-004 A/0 approved quinn
doc "$SP5" SP-005 A/0 approved quinn
doc "$SP6" SP-006 A/0 approved quinn
doc "$SP7" SP-007 A/0 approved quinn
doc "$SP8" SP-008 A/0 approved quinn
doc "$SP3" SP-003 A/0 approved quinn "Follows SP-008." "references: [SP-008]"
doc "$RC1" RC-0001 A/0 approved quinn "Filed under SP-002." "references: [SP-002]"
commit_as ann "Initial controlled documents"
push_accepted "the seed documents are accepted" refs/heads/main origin main

# verdict DESC WANT RULE: the last run exited WANT (0, or 1 naming [RULE])
verdict() {
	local desc=$1 want=$2 rule=$3
	if [ "$want" = 0 ] && [ "$RC" = 0 ]; then
		pass "$desc"
	elif [ "$want" = 1 ] && [ "$RC" = 1 ] && grep -qF -- "[$rule]" <<<"$OUT
$ERR"; then
		pass "$desc"
	else
		fail "$desc" "exit $RC, wanted $want${rule:+ with [$rule]}
stdout: $OUT
stderr: $ERR"
	fi
}
# precommit_case DESC WANT RULE: the pre-commit hook on everything, staged
precommit_case() { git add -A && run "$DOCCTL" hook pre-commit; verdict "pre-commit: $1" "$2" "$3"; }
# check_case DESC WANT RULE [ARGS...]: docctl check [ARGS]
check_case() {
	local desc=$1 want=$2 rule=$3
	shift 3
	run "$DOCCTL" check "$@"
	verdict "check${1:+ $*}: $desc" "$want" "$rule"
}
# push_refused_any DESC REF ARGS...: refused with some error, REF unmoved
push_refused_any() {
	local desc=$1 ref=$2 before after
	shift 2
	before=$(srv_rev "$ref")
	run git push "$@"
	after=$(srv_rev "$ref")
	if [ "$RC" != 0 ] && grep -q "error:" <<<"$ERR" && [ "$after" = "$before" ]; then
		pass "$desc"
	else
		fail "$desc" "push exit $RC; server $ref: $after (was $before)
$ERR"
	fi
}

# --- §4.2: every byte but the approval lines is content ----------------------
edit_comment() { sed -i '2i # a note nobody signed' "$1"; }
edit_bom() { printf '\357\273\277' | cat - "$1" >"$1.new" && mv "$1.new" "$1"; }
edit_crlf() { awk 'NR == 1 || (fm && !/^---$/) { print $0 "\r"; fm = NR == 1 || fm; next }
	fm { print $0 "\r"; fm = 0; next } { print }' "$1" >"$1.new" && mv "$1.new" "$1"; }
edit_dots() { awk 'NR > 1 && !done && /^---$/ { print "..."; done = 1; next } { print }' "$1" >"$1.new" && mv "$1.new" "$1"; }
edit_tag() { sed -i 's/^title: /title: !!str /' "$1"; }
edit_order() { sed -i '/^title: /{h;d};/^type: /G' "$1"; }

n=0
for e in comment bom dots tag order crlf; do
	reset_work
	edit_$e "$SP1"
	git diff --quiet && fail "the $e edit changes $SP1"
	commit_as ann "SP-001: $e, unsigned"
	push_refused "a $e added to approved SP-001 without a new approved revision is refused" \
		revision.not-bumped refs/heads/main origin main
	n=$((n + 1))
	reset_work
	doc "$SP1" SP-001 "A/$n" draft ""
	edit_$e "$SP1"
	commit_as ann "SP-001 A/$n: $e"
	doc "$SP1" SP-001 "A/$n" approved quinn
	edit_$e "$SP1"
	sign_as quinn quinn "Approve SP-001 A/$n"
	push_accepted "the same $e as revision A/$n with a signed approval is accepted" refs/heads/main origin main
done

# --- approval.stale: a copied-over approval ----------------------------------
reset_work
doc "$SP7" SP-007 A/1 approved quinn "Changed text."
check_case "the working tree with a copied-over approval fails (not staged)" 1 approval.stale
precommit_case "a new revision keeping the previous approval is refused" 1 approval.stale
check_case "the working tree with a copied-over approval fails (staged)" 1 approval.stale
run env PATH=/nonexistent "$DOCCTL" check
verdict "check without git on PATH (libgit2 reads the index) finds it too" 1 approval.stale
expect_contains "the message says what to do" "docctl approve SP-007"
commit_as ann "SP-007 A/1, approval copied over"
check_case "the committed copied-over approval fails" 1 approval.stale --rev HEAD
push_refused_any "the server refuses the copied-over approval" refs/heads/main origin main
reset_work
doc "$SP7" SP-007 A/1 draft "" "Changed text."
precommit_case "the new revision as a draft is accepted" 0 ""
commit_as ann "SP-007 A/1 draft"
git config user.email quinn@example.com
run "$DOCCTL" approve SP-007
verdict "quinn approves SP-007 A/1" 0 ""
git config user.email tester@example.com
GIT_AUTHOR_EMAIL=quinn@example.com GIT_COMMITTER_EMAIL=quinn@example.com \
	precommit_case "the approval of the new revision is accepted" 0 ""
check_case "the approved new revision is clean" 0 ""
sign_as quinn quinn "Approve SP-007 A/1"
check_case "the approved new revision is clean" 0 "" --rev HEAD
push_accepted "the signed approval of the new revision is accepted" refs/heads/main origin main

# renamed as well: matched by id, as the server matches documents
reset_work
mv "$SP7" docs/procedures/SP-007-renamed.md
sed -i 's|^revision: A/1$|revision: A/2|; s|^change: .*|change: renamed|' docs/procedures/SP-007-renamed.md
echo "Renamed text." >>docs/procedures/SP-007-renamed.md
check_case "a renamed new revision keeping the previous approval fails (not staged)" 1 approval.stale
precommit_case "a renamed new revision keeping the previous approval is refused" 1 approval.stale
check_case "a renamed new revision keeping the previous approval fails (staged)" 1 approval.stale
commit_as ann "SP-007 A/2 renamed, approval copied over"
check_case "the committed renamed copied-over approval fails" 1 approval.stale --rev HEAD

# --- §4.7: withdrawing a procedure that a record cites ------------------------
reset_work
doc "$SP2" SP-002 A/0 obsolete gina "The first text." "obsoleted_by: quinn
obsoleted_on: 2026-05-01"
precommit_case "obsoleting SP-002, which approved record RC-0001 cites, is accepted" 0 ""
check_case "a record citing an obsolete procedure is clean" 0 ""
sign_as quinn quinn "Obsolete SP-002"
check_case "a record citing an obsolete procedure is clean" 0 "" --rev HEAD
push_accepted "the signed obsoletion of SP-002 is accepted" refs/heads/main origin main
reset_work
doc "$SP8" SP-008 A/1 draft "" "Now citing SP-002." "references: [SP-002]"
commit_as ann "SP-008 A/1 cites SP-002"
doc "$SP8" SP-008 A/1 approved quinn "Now citing SP-002." "references: [SP-002]"
GIT_AUTHOR_EMAIL=quinn@example.com GIT_COMMITTER_EMAIL=quinn@example.com \
	precommit_case "an approved procedure citing obsolete SP-002 is refused" 1 ref.obsolete
check_case "an approved procedure citing obsolete SP-002 fails" 1 ref.obsolete
sign_as quinn quinn "Approve SP-008 A/1"
push_refused "the server refuses an approved procedure citing obsolete SP-002" ref.obsolete \
	refs/heads/main origin main

# --- §4.1 superseded_by, §6.9: one verdict ------------------------------------
reset_work
doc "$SP4" SP-004 A/0 obsolete quinn "The first text." "obsoleted_by: gina
obsoleted_on: 2026-05-01
superseded_by: SP-005"
sign_as gina gina "Obsolete SP-004, superseded by SP-005"
push_accepted "SP-004 obsolete, superseded by approved SP-005, is accepted" refs/heads/main origin main
doc "$SP5" SP-005 A/1 draft "" "The second text."
precommit_case "starting revision A/1 of the successor SP-005 is accepted" 0 ""
check_case "the successor in a draft revision is clean" 0 ""
commit_as ann "SP-005 A/1 draft"
check_case "the successor in a draft revision is clean" 0 "" --rev HEAD
git checkout -q -b feature/sp5
push_accepted "the server accepts the draft revision on another branch" refs/heads/feature/sp5 origin feature/sp5
reset_work
doc "$SP9" SP-009 A/0 draft ""
doc "$SP6" SP-006 A/0 obsolete quinn "The first text." "obsoleted_by: gina
obsoleted_on: 2026-05-01
superseded_by: SP-009"
precommit_case "superseded by SP-009, never approved, is refused" 1 ref.not-approved
check_case "superseded by a never-approved draft fails" 1 ref.not-approved
commit_as ann "SP-006 superseded by draft SP-009"
check_case "superseded by a never-approved draft fails" 1 ref.not-approved --rev HEAD
git checkout -q -b feature/sp9
push_refused "the server refuses it on another branch too" ref.not-approved refs/heads/feature/sp9 origin feature/sp9

# withdrawing a document an approved one cites: refused by all four
reset_work
doc "$SP8" SP-008 A/0 obsolete quinn "The first text." "obsoleted_by: gina
obsoleted_on: 2026-05-01"
precommit_case "obsoleting SP-008, which approved SP-003 cites, is refused" 1 ref.obsolete
check_case "approved SP-003 citing obsolete SP-008 fails" 1 ref.obsolete
sign_as gina gina "Obsolete SP-008"
check_case "approved SP-003 citing obsolete SP-008 fails" 1 ref.obsolete --rev HEAD
push_refused "the server refuses obsoleting SP-008 while SP-003 cites it" ref.obsolete refs/heads/main origin main

# --- §6.4, §6.9: a branch that is not protected gets the verdict of check --rev
# (drafts allowed there; who approved is checked only on protected refs)
reset_work
git checkout -q -b feature/withdraw
doc "$SP8" SP-008 A/0 obsolete quinn "The first text." "obsoleted_by: gina
obsoleted_on: 2026-05-01"
commit_as ann "Withdraw SP-008, still cited by approved SP-003"
check_case "approved SP-003 citing obsolete SP-008 fails on a feature branch" 1 ref.obsolete --rev HEAD
push_refused "the server refuses withdrawing SP-008 while SP-003 cites it on a feature branch too" ref.obsolete \
	refs/heads/feature/withdraw origin feature/withdraw
expect_contains "the summary says what to do" "cite the document that replaces the withdrawn one"
doc "$SP8" SP-008 A/0 obsolete quinn "The first text." "obsoleted_by: gina
obsoleted_on: 2026-05-01
superseded_by: SP-006"
doc "$SP3" SP-003 A/1 draft "" "Follows SP-006." "references: [SP-006]"
commit_as ann "SP-008 superseded by SP-006; SP-003 A/1 cites SP-006"
check_case "SP-003 revised to cite the successor in the same push is clean" 0 "" --rev HEAD
push_accepted "the server accepts the withdrawal with SP-003 revised to cite the successor" \
	refs/heads/feature/withdraw origin feature/withdraw

reset_work
git checkout -q -b feature/copied
sed -i 's|^revision: A/1$|revision: A/2|; s|^change: .*|change: changed on a branch|' "$SP7"
echo "Changed on a branch." >>"$SP7"
commit_as ann "SP-007 A/2, approval copied over"
check_case "a copied-over approval fails on a feature branch" 1 approval.stale --rev HEAD
push_refused "the server refuses a copied-over approval on a feature branch" approval.stale \
	refs/heads/feature/copied origin feature/copied
expect_contains "the summary says what to do" "docctl revise SP-007"
doc "$SP7" SP-007 A/2 draft "" "Changed on a branch."
commit_as ann "SP-007 A/2 as a draft"
check_case "the new revision as a draft is clean" 0 "" --rev HEAD
push_accepted "the server accepts the draft revision on a feature branch" \
	refs/heads/feature/copied origin feature/copied
# two commits: the first approves A/3 anew, the second changes its text and
# keeps that approval; against OLD the approval changed, but check --rev
# compares with the first parent, and so does the server
doc "$SP7" SP-007 A/3 approved gina "Changed on a branch."
commit_as ann "SP-007 A/3 approved by gina"
doc "$SP7" SP-007 A/4 approved gina "Changed again on a branch."
commit_as ann "SP-007 A/4, gina's approval copied over"
check_case "a copy-over in the last commit of a push fails" 1 approval.stale --rev HEAD
push_refused "the server refuses a copy-over in the last commit of a push" approval.stale \
	refs/heads/feature/copied origin feature/copied

# a copy-over in the first commit of a push, then another commit: the
# server compares with what the push started from and finds no commit of
# the push that approved the new text
reset_work
git checkout -q -b feature/copied2
sed -i 's|^revision: A/1$|revision: A/2|; s|^change: .*|change: changed on a branch|' "$SP7"
echo "Changed on a branch." >>"$SP7"
commit_as ann "SP-007 A/2, approval copied over"
doc "$SP6" SP-006 A/1 draft "" "Six, revised."
commit_as ann "SP-006 A/1 draft"
push_refused "the server refuses a copy-over in an earlier commit of a push" approval.stale \
	refs/heads/feature/copied2 origin feature/copied2

echo "1..$TAP_N"
done_testing
