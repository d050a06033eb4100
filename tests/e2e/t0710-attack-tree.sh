#!/bin/bash
# t0710-attack-tree.sh - the shape of a protected tree (reference §6.1 item
# 3b), attacked the way a pusher without an approver's key would: a gitlink
# in place of a document, a record or a folder, symbolic links under the
# roots, names that collide on Windows and macOS, and .gitattributes that
# make a checkout differ from the approved bytes. Each attack is pushed to a
# bare server for real and must be refused with its rule; pre-commit,
# `check --rev` and `check` of the working tree must report the same
# findings of these rules (reference §6.9). Next to each, the legitimate
# push of the same scenario must be accepted.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 81
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
SERVER=$T/server.git
srv_bare "$SERVER"
git init -q "$T/work" && cd "$T/work" || exit 1
git config user.name ann && git config user.email ann@example.com
srv_policy docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
doc docs/procedures/SP-002-beta.md SP-002 A/0 approved quinn
doc records/RC-0001-audit.md RC-0001 A/0 approved quinn "Audit of 2026-05-01." "retention: P3Y"
commit_as ann "Initial controlled documents"
git remote add origin "$SERVER"
push_accepted "the first push sets up main" refs/heads/main origin main

SHAPE='\[(file\.submodule|file\.symlink|path\.collision|attributes\.transform)\]'
# the findings of the shape rules in the last output, without the server's prefix
shape_lines() {
	printf '%s\n%s\n' "$OUT" "$ERR" | sed -e 's/^remote: refs\/heads\/[^:]*: //' -e 's/[[:space:]]*$//' |
		grep -E "$SHAPE" | sort -u
}

# attack DESC RULE [ALSO]: the staged change is judged by pre-commit, committed
# (without hooks; signed by $SIGNER when set), judged by check --rev HEAD and check, and pushed: every
# one must report RULE with the same shape findings, the push is refused
# (with ALSO too, when given), and the work repository goes back to main.
attack() {
	local desc=$1 rule=$2 also=${3:-} pc pcrc rev wt srv
	run "$DOCCTL" hook pre-commit
	pc=$(shape_lines) pcrc=$RC
	if [ -n "${SIGNER:-}" ]; then
		sign_as "$SIGNER" "$SIGNER" "$desc"
	else
		git commit -q --no-verify -m "$desc"
	fi
	run "$DOCCTL" check --rev HEAD
	rev=$(shape_lines)
	run "$DOCCTL" check
	wt=$(shape_lines)
	push_refused "$desc: refused by the server" "$rule" refs/heads/main origin main
	srv=$(shape_lines)
	LAST_SHAPE=$srv
	if [ -n "$also" ]; then
		expect_contains "$desc: also $also" "[$also]"
	fi
	if [ "$pcrc" = 1 ] && grep -qF "[$rule]" <<<"$pc" && [ "$pc" = "$rev" ] && [ "$pc" = "$wt" ] && [ "$pc" = "$srv" ]; then
		pass "$desc: pre-commit, check --rev, check and the server agree"
	else
		fail "$desc: pre-commit, check --rev, check and the server agree" "pre-commit (exit $pcrc):
$pc
check --rev:
$rev
check:
$wt
server:
$srv"
	fi
	back
}

# back to the server's main, whatever the attack left in the index
back() {
	git checkout -q -f -B main origin/main && git clean -qffdx && reset_work
}

# legit DESC: what is committed (HEAD) has no shape findings in check --rev
# and check, and its push is accepted
legit() {
	local desc=$1 rev wt
	run "$DOCCTL" check --rev HEAD
	rev=$(shape_lines)
	run "$DOCCTL" check
	wt=$(shape_lines)
	if [ -z "$rev$wt" ]; then pass "$desc: check finds nothing"; else fail "$desc: check finds nothing" "$rev
$wt"; fi
	push_accepted "$desc: accepted" refs/heads/main origin main
}

# no_shape_precommit DESC: pre-commit finds nothing of these rules in the staged state
no_shape_precommit() {
	run "$DOCCTL" hook pre-commit
	local pc
	pc=$(shape_lines)
	if [ -z "$pc" ]; then pass "$1: pre-commit finds nothing"; else fail "$1: pre-commit finds nothing" "$pc"; fi
}

# a new approved document: ann writes it, quinn approves it with a signature
new_document() {
	doc "$1" "$2" A/0 draft ""
	commit_as ann "Start $2"
	doc "$1" "$2" A/0 approved quinn
	sign_as quinn quinn "Approve $2 A/0"
}

# --- gitlinks ----------------------------------------------------------------
blob=$(git rev-parse HEAD:docs/procedures/SP-001-alpha.md)
git update-index --cacheinfo "160000,$blob,docs/procedures/SP-001-alpha.md"
attack "a gitlink naming SP-001's blob in its place" file.submodule doc.deleted

blob=$(git rev-parse HEAD:records/RC-0001-audit.md)
git update-index --cacheinfo "160000,$blob,records/RC-0001-audit.md"
attack "a gitlink naming RC-0001's blob in its place" file.submodule record.retention

tree=$(git rev-parse HEAD:docs/procedures)
git rm -r -q --cached docs/procedures
git update-index --add --cacheinfo "160000,$(git rev-parse HEAD),docs/procedures"
attack "a gitlink in place of the folder docs/procedures" file.submodule doc.deleted

git rm -r -q --cached records
git update-index --add --cacheinfo "160000,$(git rev-parse HEAD),records"
attack "a gitlink in place of the root records/ itself" file.submodule record.retention

git update-index --add --cacheinfo "160000,$(git rev-parse HEAD),docs/vendor"
attack "a new gitlink (submodule) under docs" file.submodule

git init -q docs/embedded && (cd docs/embedded && doc SP-008-inner.md SP-008 A/0 approved quinn &&
	git add -A && git -c user.name=eve -c user.email=eve@example.com commit -q -m inner)
run "$DOCCTL" check
expect_contains "check of the working tree takes a folder holding another repository for a gitlink" \
	"docs/embedded: error: docs/embedded is a submodule"
git add docs/embedded 2>/dev/null
attack "an embedded repository added under docs" file.submodule

git update-index --add --cacheinfo "160000,$(git rev-parse HEAD),vendor/lib"
no_shape_precommit "a submodule outside the roots"
git commit -q -m "A submodule outside the roots"
legit "a submodule outside the roots"

# --- symbolic links ------------------------------------------------------------
mkdir -p elsewhere && doc elsewhere/SP-009-shadow.md SP-009 A/0 approved quinn "Uncontrolled text."
ln -s ../elsewhere docs/shadow
git add -A
attack "a folder symlink docs/shadow -> ../elsewhere" file.symlink

ln -s /etc/passwd docs/procedures/form.pdf
git add -A
attack "a symlink docs/procedures/form.pdf (not a document)" file.symlink

ln -s SP-002-beta.md docs/procedures/SP-003-gamma.md
git add -A
attack "a symlink docs/procedures/SP-003-gamma.md" file.symlink

mv records kept-records && ln -s kept-records records
git add -A
attack "the root records/ as a symlink to a folder outside the roots" file.symlink

mkdir -p docs/work-instructions
new_document docs/work-instructions/SP-003-gamma.md SP-003
legit "an ordinary new folder with a new document"

# --- names that collide -------------------------------------------------------
mkdir -p Docs/procedures && doc Docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn "Another text."
git add -A
attack "a top-level Docs/ beside the root docs/" path.collision

doc docs/procedures/SP-001-alpha.MD SP-001 A/0 approved quinn "Another text."
git add -A
attack "SP-001-alpha.MD beside SP-001-alpha.md" path.collision

mkdir -p docs/Procedures && doc docs/Procedures/SP-004-delta.md SP-004 A/0 approved quinn
git add -A
attack "a folder docs/Procedures beside docs/procedures" path.collision

printf 'NFC\n' >"docs/procedures/caf$(printf '\303\251').txt"
git add -A && git commit -q -m "A file with an NFC name" && git push -q origin main
printf 'NFD\n' >"docs/procedures/cafe$(printf '\314\201').txt"
git add -A
attack "an NFD name beside the same NFC name" path.collision

git mv docs/procedures/SP-002-beta.md docs/procedures/SP-002-Beta.md
no_shape_precommit "a rename that changes only letter case"
commit_as ann "Rename SP-002 with a capital"
legit "a rename that changes only letter case"

git mv docs/work-instructions docs/Work-Instructions
no_shape_precommit "a rename of a folder that changes only letter case"
commit_as ann "Rename the folder of work instructions"
legit "a rename of a folder that changes only letter case"

# --- .gitattributes ------------------------------------------------------------
printf '*.md working-tree-encoding=UTF-16LE\n' >.gitattributes
git add -A
attack "*.md working-tree-encoding=UTF-16LE" attributes.transform

mkdir -p docs/procedures && printf '* filter=evil\n' >docs/procedures/.gitattributes
git add -A
attack "a filter in docs/procedures/.gitattributes" attributes.transform

printf '*.md eol=crlf\n' >.gitattributes
git add -A
attack "*.md eol=crlf" attributes.transform

printf '*.md eol=crlf\n' >.GitAttributes
git add -A
attack "a top-level .GitAttributes (one with .gitattributes on Windows and macOS)" attributes.transform

printf '* ident\n' >docs/procedures/.GITATTRIBUTES
git add -A
attack "docs/procedures/.GITATTRIBUTES" attributes.transform

printf '[attr]plain text\n*.md plain\n' >.gitattributes
git add -A
attack "a macro that sets text" attributes.transform

printf '*.png -diff\n*.sh eol=lf\n*.log eol=crlf\n*.md -text\ndocs/** binary\n' >.gitattributes
git add -A
no_shape_precommit "a harmless .gitattributes"
sign_as gina gina "Attributes for images and scripts outside the roots"
legit "a harmless .gitattributes (signed by the policy admin)"

printf 'notes\n' >docs/procedures/notes.log
git add -A
attack "a new file under the roots that an existing .gitattributes transforms" attributes.transform

git checkout -q -b feature
mkdir -p docs/misc && printf 'x\n' >docs/misc/readme.log
git add -A && git commit -q --no-verify -m "A file an attribute transforms, on a feature branch"
run git push origin feature
if [ "$RC" != 0 ] && grep -qF "[attributes.transform]" <<<"$ERR"; then
	pass "an unprotected branch is checked for the same structure"
else
	fail "an unprotected branch is checked for the same structure" "$ERR"
fi
back

# the server's verdict holds against the client's index: check --rev reads the commit only
printf '*.md text\n' >.gitattributes
git add .gitattributes
run "$DOCCTL" check --rev HEAD
expect_not_contains "check --rev HEAD ignores a .gitattributes that is only in the index" "[attributes.transform]"
run "$DOCCTL" check
expect_contains "check of the working tree sees it" "[attributes.transform]"
back

# --- a .gitattributes in a root that holds no file yet ---------------------------
# (reference §5: one that sets the attributes for paths under the roots is
# refused whether or not such a path exists; it would refuse the next record)
cd "$T" || exit 1
SERVER=$T/server2.git
srv_bare "$SERVER"
git init -q "$T/work2" && cd "$T/work2" || exit 1
git config user.name ann && git config user.email ann@example.com
srv_policy docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
commit_as ann "Initial controlled documents, no record yet"
git remote add origin "$SERVER"
push_accepted "a repository whose root records holds no file" refs/heads/main origin main
SIGNER=gina

mkdir -p records && printf '# large files\n*.md filter=lfs diff=lfs merge=lfs\n' >records/.gitattributes
git add -A
attack "records/.gitattributes with *.md filter=lfs in an empty root (signed by the policy admin)" attributes.transform
grep -q '^records/\.gitattributes:2:6: .*filter=lfs.*\[attributes\.transform\]$' <<<"$LAST_SHAPE" &&
	pass "the finding points at the line and column of filter=lfs" ||
	fail "the finding points at the line and column of filter=lfs" "$LAST_SHAPE"

mkdir -p records && printf '*.md working-tree-encoding=UTF-16LE\n' >records/.gitattributes
git add -A
attack "records/.gitattributes with *.md working-tree-encoding=UTF-16LE in an empty root" attributes.transform

printf '[attr]big filter=lfs -text\n' >.gitattributes
mkdir -p records/audits && printf '*.pdf -diff\n*.md big\n' >records/audits/.gitattributes
git add -A
attack "a macro of the top .gitattributes that sets filter, used in records/audits/.gitattributes" attributes.transform
grep -q '^records/audits/\.gitattributes:2:6: ' <<<"$LAST_SHAPE" &&
	pass "the macro's use is the finding, at its line and column" ||
	fail "the macro's use is the finding, at its line and column" "$LAST_SHAPE"

printf 'records/** eol=crlf\n' >.gitattributes
git add -A
attack "a top-level .gitattributes that transforms files of the empty root records" attributes.transform
grep -q '^records: .*records/x\.md.*eol=crlf.*\[attributes\.transform\]$' <<<"$LAST_SHAPE" &&
	pass "the finding is at the empty root, for the files that may be added there" ||
	fail "the finding is at the empty root, for the files that may be added there" "$LAST_SHAPE"

mkdir -p records && printf '*.pdf -diff\n*.md -text\n*.md !eol binary\n' >records/.gitattributes
git add -A
no_shape_precommit "a harmless records/.gitattributes"
sign_as gina gina "Records: no diff of PDF files, no line-ending conversion"
legit "a harmless records/.gitattributes (signed by the policy admin)"

unset SIGNER
new_document records/RC-0001-audit.md RC-0001
push_accepted "the next record is accepted under it" refs/heads/main origin main
