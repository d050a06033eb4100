#!/bin/bash
# t0630-partial.sh - the hooks check only what changed, with a snapshot of
# the rest of the tree (src/lib/snapshot.c, partial.c), and must decide
# exactly as a check of the whole tree does. Each case runs the real hook
# three times: with the cache turned off (DOCCTL_CACHE=0: the whole tree),
# then twice with it (the first run builds the snapshot, the second uses
# it); the three outputs and exit codes must be identical, and the rule the
# case is about must be there. Covered: ids and references that involve
# unchanged documents (found through the snapshot), documents related to a
# changed one on a protected ref, a corrupt snapshot, a snapshot that lags
# behind the base by more than it may (rewritten), and pre-commit.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 35
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
S=$T/server.git
git init -q --bare "$S"
git init -q -b main "$T/work"
cd "$T/work" || exit 1

srv_policy docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn "See [beta](SP-002-beta.md)." "references: [SP-002]"
doc docs/procedures/SP-002-beta.md SP-002 A/0 approved quinn
doc docs/procedures/SP-003-gamma.md SP-003 A/0 approved gina
for i in $(seq 10 59); do doc "records/RC-00$i-log.md" "RC-00$i" A/0 approved quinn "Filed."; done
commit_as ann "Initial controlled documents"
BASE=$(git rev-parse HEAD)
git push -q "$S" HEAD:refs/heads/main
# main was pushed without hooks: say where trust lives, as an administrator
# does on a server that predates docctl.trustedRef (reference §6.1 item 2)
git -C "$S" config docctl.trustedRef refs/heads/main

# three_ways DESC RULE|- SNAPSHOT CMD...: runs CMD with the cache off, then
# twice with it; the outputs and exit codes must be the same, SNAPSHOT must
# then exist (must not, in the cold run: DOCCTL_CACHE=0 throughout), and
# CMD must refuse with [RULE] (or accept, for -)
three_ways() {
	local desc=$1 rule=$2 snapshot=$3 full rc_full one rc_one two rc_two problems=
	shift 3
	full=$(DOCCTL_CACHE=0 "$@" 2>&1)
	rc_full=$?
	one=$("$@" 2>&1)
	rc_one=$?
	two=$("$@" 2>&1)
	rc_two=$?
	[ "$rc_one:$one" = "$rc_full:$full" ] || problems+="first run with the cache differs; "
	[ "$rc_two:$two" = "$rc_full:$full" ] || problems+="run with the snapshot differs; "
	if cache_on; then
		[ -s "$snapshot" ] || problems+="no snapshot was written; "
	else
		[ ! -e "$snapshot" ] || problems+="a snapshot was written with DOCCTL_CACHE=0; "
	fi
	case "$rule" in
	-) [ "$rc_full" = 0 ] || problems+="refused (exit $rc_full); " ;;
	*) [ "$rc_full" = 1 ] && grep -qF -- "[$rule]" <<<"$full" || problems+="not refused with [$rule]; " ;;
	esac
	if [ -z "$problems" ]; then pass "$desc"; else fail "$desc" "$problems
whole tree:
$full
first run with the cache:
$one
with the snapshot:
$two"; fi
	OUT=$two ERR= RC=$rc_two
}

# pre_receive LINE: the server's hook on one ref update
pre_receive() {
	(cd "$S" && printf '%s\n' "$1" | GIT_DIR=. "$DOCCTL" hook pre-receive)
}

# A PATH with ssh-keygen but no git: the hook then learns what each new
# commit changed through libgit2 (treediff.c) instead of git diff-tree
NOGIT=$T/nogit-bin
mkdir -p "$NOGIT" && ln -s "$(command -v ssh-keygen)" "$NOGIT/ssh-keygen"

# judge DESC RULE|- NEW [BASE]: pre-receive of main BASE..NEW, three ways,
# and a fourth without git on PATH
judge() {
	local line="${4:-$BASE} $3 refs/heads/main" want nogit
	git push -q -f "$S" "$3:refs/docctl-test/cand"
	three_ways "$1" "$2" "$S/docctl-cache/snapshot" pre_receive "$line"
	want="$RC:$OUT"
	nogit=$(PATH=$NOGIT pre_receive "$line" 2>&1)
	nogit="$?:$nogit"
	if [ "$nogit" = "$want" ]; then pass "$1 (the same without git)"; else fail "$1 (the same without git)" "with git:
$want
without:
$nogit"; fi
	OUT=${want#*:} ERR=
}

# --- references and ids that involve unchanged documents ---------------------
git checkout -q -B t1 "$BASE"
doc docs/procedures/SP-002-beta.md SP-002 A/0 obsolete quinn "The first text." "obsoleted_by: quinn
obsoleted_on: 2026-05-01
superseded_by: SP-003"
sign_as quinn quinn "Withdraw SP-002"
judge "obsoleting a document an unchanged approved one refers to is refused" ref.obsolete "$(git rev-parse HEAD)"
expect_contains "the finding is on the unchanged document that refers to it" \
	"docs/procedures/SP-001-alpha.md:10:14: error: reference \"SP-002\" names an obsolete document"

git checkout -q -B t2 "$BASE"
git rm -q docs/procedures/SP-002-beta.md
commit_as ann "Delete SP-002"
judge "deleting a document leaves the reference to it unresolved" ref.unresolved "$(git rev-parse HEAD)"
expect_contains "and is refused as a deletion too" "[doc.deleted]"

git checkout -q -B t3 "$BASE"
doc docs/procedures/SP-004-delta.md SP-001 A/0 draft ""
commit_as ann "A new document that takes SP-001"
judge "a new file with the id of an unchanged document is a duplicate" id.duplicate "$(git rev-parse HEAD)"
expect_contains "it names the other file, found in the snapshot" "is also used by docs/procedures/SP-001-alpha.md"

git checkout -q -B t4 "$BASE"
doc docs/procedures/SP-003-gamma.md SP-003 A/1 draft "" "See [beta](SP-002-beta.md) and [gone](SP-009-gone.md)." "references: [SP-002, SP-009]"
commit_as ann "Revise SP-003 with links"
judge "a changed document's links and references resolve against the unchanged ones" link.broken "$(git rev-parse HEAD)"
expect_contains "the missing link is reported" "points at \"docs/procedures/SP-009-gone.md\", which does not exist"
expect_contains "the missing reference is reported" "reference \"SP-009\" names no document"
expect_not_contains "the link to an unchanged document is not" "SP-002-beta.md\", which does not exist"

git checkout -q -B t5 "$BASE"
doc docs/procedures/SP-003-gamma.md SP-003 A/1 draft "" "Second text."
commit_as ann "Revise SP-003"
judge "a draft on a protected ref is refused the same way" status.not-approved "$(git rev-parse HEAD)"

# --- a push of many commits: git diff-tree says what each one changed --------
# (a push of a few commits is diffed by libgit2: starting git costs more)
git checkout -q -B many "$BASE"
for i in $(seq 10 29); do
	doc "records/RC-00$i-log.md" "RC-00$i" A/1 approved quinn "Filed, then revised."
	sign_as quinn quinn "Revise RC-00$i"
done
doc docs/procedures/SP-003-gamma.md SP-003 A/1 draft "" "Second text."
commit_as ann "Revise SP-003"
judge "a push of 21 commits is judged the same, with and without git" status.not-approved "$(git rev-parse HEAD)"
git checkout -q t5

# --- a corrupt snapshot is ignored -------------------------------------------
# (in the cold run there is no snapshot to damage: DOCCTL_CACHE=0 throughout)
cache_on && printf 'garbage' | dd of="$S/docctl-cache/snapshot" bs=1 seek=200 conv=notrunc 2>/dev/null
judge "a corrupt snapshot is ignored: the same findings" status.not-approved "$(git rev-parse HEAD)"
cache_on && printf 'DOCCTLS' >"$S/docctl-cache/snapshot"
judge "a truncated snapshot is ignored: the same findings" status.not-approved "$(git rev-parse HEAD)"

# --- a snapshot behind its base ----------------------------------------------
# The snapshot is of BASE; a base 40 documents later is more than the drift
# allowed (32): the snapshot is rewritten for it. One 5 documents later is
# within it: the difference is checked on top of the snapshot.
git checkout -q -B far "$BASE"
for i in $(seq 10 49); do doc "records/RC-00$i-log.md" "RC-00$i" A/0 approved quinn "Filed again."; done
commit_as ann "Forty records"
FAR=$(git rev-parse HEAD)
git push -q -f "$S" "$FAR:refs/docctl-test/far"
git checkout -q -B near "$BASE"
for i in $(seq 50 54); do doc "records/RC-00$i-log.md" "RC-00$i" A/0 approved quinn "Filed again."; done
commit_as ann "Five records"
NEAR=$(git rev-parse HEAD)
git push -q -f "$S" "$NEAR:refs/docctl-test/near"

git checkout -q -B t6 "$NEAR"
doc docs/procedures/SP-004-delta.md SP-001 A/0 approved quinn
sign_as quinn quinn "SP-004 with a taken id"
judge "5 documents behind: the difference is checked with the snapshot" id.duplicate "$(git rev-parse HEAD)" "$NEAR"
git checkout -q -B t7 "$FAR"
doc docs/procedures/SP-004-delta.md SP-001 A/0 approved quinn
sign_as quinn quinn "SP-004 with a taken id"
snaptree() { od -An -tx1 -j24 -N20 "$S/docctl-cache/snapshot" 2>/dev/null | tr -d ' \n'; }
before=$(snaptree)
judge "40 documents behind: the snapshot is rewritten, the same findings" id.duplicate "$(git rev-parse HEAD)" "$FAR"
after=$(snaptree)
if cache_on; then
	check "the rewritten snapshot is of the new base's tree" \
		test "$after" = "$(git rev-parse "$FAR^{tree}")" -a "$before" != "$after"
else
	check "no snapshot with DOCCTL_CACHE=0" test ! -e "$S/docctl-cache/snapshot"
fi

git checkout -q -B t8 "$FAR"
doc docs/procedures/SP-002-beta.md SP-002 A/1 draft "" "Beta, second text."
commit_as ann "Revise SP-002"
doc docs/procedures/SP-002-beta.md SP-002 A/1 approved quinn "Beta, second text."
sign_as quinn quinn "Approve SP-002 A/1"
judge "an accepted change is accepted the same way" - "$(git rev-parse HEAD)" "$FAR"

# --- pre-commit ---------------------------------------------------------------
# precommit DESC RULE|-: `docctl hook pre-commit` on what is staged, three ways
precommit() {
	three_ways "$1" "$2" .git/docctl-cache/snapshot "$DOCCTL" hook pre-commit
}

git checkout -q -B pc "$BASE"
doc docs/procedures/SP-004-delta.md SP-002 A/0 draft ""
git add -A
precommit "pre-commit: a staged file with an unchanged document's id is a duplicate" id.duplicate
expect_contains "pre-commit names the other file" "is also used by docs/procedures/SP-002-beta.md"
git reset -q --hard "$BASE"
git checkout -q -B pc2 t1
doc docs/procedures/SP-003-gamma.md SP-003 A/1 approved gina "See [beta](SP-002-beta.md)." "references: [SP-002]"
git add -A
precommit "pre-commit: a reference to an obsolete unchanged document is found" ref.obsolete
expect_contains "for the link too" "link to SP-002, superseded by SP-003 points at an obsolete document"
git reset -q --hard
doc docs/procedures/SP-003-gamma.md SP-003 A/1 draft "" "Third text, see [alpha](SP-001-alpha.md)."
git add -A
precommit "pre-commit: a clean revision passes the same way" -
rm -f .git/docctl-cache/snapshot
git rm -q docs/procedures/SP-001-alpha.md
precommit "pre-commit: a deletion is judged the same way" doc.deleted

done_testing
