#!/bin/bash
# t0700-attack-refs.sh - attacks on where trust lives and on what a ref
# names (reference §6.1 items 2 and 3a), each next to the legitimate push of
# the same scenario, which must be accepted:
#   1. the default-branch hijack: HEAD on master, the team pushes main, an
#      attacker pushes an orphan master without a policy, then a new
#      protected release/9 with a forged approval;
#   2. trust on first use refused once refs exist and no docctl.trustedRef
#      is set, and a refused (or --atomic) first push leaves no trust behind;
#   3. docctl.trustedRef set by `docctl init --hooks --trusted-ref`;
#   4. replace refs: pushed (refused), and planted on the server as if an
#      old version had accepted one, under a push of more than 16 commits
#      (git diff-tree --stdin) and of a few (libgit2);
#   5. a symbolic ref on the server (master -> main) used as an alias.
# Real bare repositories with docctl's hooks, real pushes, real ssh
# signatures.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 52
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"

# seed DIR: a working repository on main with the policy and SP-001, SP-002
seed() {
	git init -q -b main "$1" && cd "$1" || return 1
	srv_policy docctl.yaml
	srv_signers .docctl/allowed_signers
	doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
	doc docs/procedures/SP-002-beta.md SP-002 A/0 approved gina
	commit_as ann "Initial controlled documents"
}

# bare_master DIR: a bare repository whose HEAD names master (git's own
# default), with docctl's server hooks
bare_master() {
	git init -q --bare -b master "$1" && (cd "$1" && "$DOCCTL" init --hooks >/dev/null 2>&1)
}

# approve_edit ID FILE REV BODY KEY: ann revises, quinn approves (signed with KEY; "" unsigned)
approve_edit() {
	doc "$2" "$1" "$3" draft "" "$4"
	commit_as ann "Revise $1"
	doc "$2" "$1" "$3" approved quinn "$4"
	if [ -n "$5" ]; then sign_as quinn "$5" "Approve $1 $3"; else commit_as quinn "Approve $1 $3"; fi
}

trusted_ref() { git -C "$SERVER" config docctl.trustedRef || echo unset; }

# --- 1. the default-branch hijack --------------------------------------------------
SERVER=$T/hijack.git
bare_master "$SERVER"
seed "$T/work"
git remote add origin "$SERVER"
push_accepted "the team's first push of main is trusted on first use" refs/heads/main origin main
check "post-receive records main as docctl.trustedRef" test "$(trusted_ref)" = refs/heads/main
check "and points HEAD, which named the missing master, at main" \
	test "$(git -C "$SERVER" symbolic-ref HEAD)" = refs/heads/main
# the attacker: an orphan master without a policy (nothing is controlled
# there, so it is accepted), then a new protected release/9 whose approval
# of SP-001 A/1 is typed by hand
git checkout -q --orphan attacker-master
git rm -q -r --cached . && rm -rf docs records schema docctl.yaml .docctl
echo "nothing here" >README.md
commit_as eve "An orphan master"
push_accepted "an orphan master without docctl.yaml is only an unprotected branch" refs/heads/master \
	origin attacker-master:refs/heads/master
git -C "$SERVER" symbolic-ref HEAD refs/heads/master # as an administrator might, too
git checkout -q -B forged origin/main
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/1 "Forged text." ""
push_refused "then a new protected release/9 with a forged approval is refused" approval.unsigned \
	refs/heads/release/9 origin forged:refs/heads/release/9
expect_not_contains "it is not trusted on first use" "trusting the pushed policy"
git checkout -q -B legit origin/main
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/1 "Approved text." quinn
push_accepted "the same release/9 approved with quinn's signature is accepted" refs/heads/release/9 \
	origin legit:refs/heads/release/9
# an administrator who names the orphan master as the trusted ref by mistake:
# init warns, and the hook refuses everything rather than trust it
run sh -c "cd '$SERVER' && '$DOCCTL' init --hooks --trusted-ref refs/heads/master"
expect_contains "init warns when the trusted ref has no policy" "refs/heads/master has no docctl.yaml that loads"
approve_edit SP-002 docs/procedures/SP-002-beta.md A/1 "Approved beta." quinn
push_refused "and a push, even an approved one, is refused until it is fixed" internal.error refs/heads/release/9 \
	origin legit:refs/heads/release/9
git -C "$SERVER" config docctl.trustedRef refs/heads/main
# a ref that became protected after it was pushed carries its pusher's
# policy: init --hooks names it
git -C "$SERVER" update-ref refs/heads/release/8 refs/heads/master
run sh -c "cd '$SERVER' && '$DOCCTL' init --hooks"
expect_contains "init --hooks names a protected ref whose policy differs from the trusted one" \
	"refs/heads/release/8 is protected, but its docctl.yaml, signers file or schema/ differ from refs/heads/main's"
expect_not_contains "and not the approved release/9" "refs/heads/release/9 is protected"

# --- 2. no trust on first use once the repository holds refs ------------------------
SERVER=$T/old.git
git init -q --bare -b master "$SERVER"
cd "$T/work" && git checkout -q main || exit 1
git push -q "$SERVER" main 2>/dev/null # a server from before docctl's hooks
run sh -c "cd '$SERVER' && '$DOCCTL' init --hooks"
expect_contains "init --hooks on a server with refs and no trusted ref warns" \
	"docctl.trustedRef is not set, so the hooks refuse every push until it is"
git remote add old "$SERVER"
git fetch -q old && git checkout -q -B forged old/main
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/1 "Forged text." ""
push_refused "a new protected ref with no docctl.trustedRef set is refused" internal.error \
	refs/heads/release/9 old forged:refs/heads/release/9
expect_contains "it gives the command that sets it" "docctl init --hooks --trusted-ref refs/heads/main"
git checkout -q -B orphan-x attacker-master
push_refused "so is an unprotected branch (nothing can be judged without the trusted policy)" internal.error \
	refs/heads/x old orphan-x:refs/heads/x
check "nothing recorded docctl.trustedRef" test "$(trusted_ref)" = unset

SERVER=$T/first.git
srv_bare "$SERVER"
git checkout -q -B draft main
doc docs/procedures/SP-003-gamma.md SP-003 A/0 draft ""
commit_as ann "A draft on main"
push_refused "a refused first push (a draft on main) is not trusted" status.not-approved refs/heads/main \
	"$SERVER" draft:refs/heads/main
check "and leaves no docctl.trustedRef behind" test "$(trusted_ref)" = unset
git checkout -q main
push_refused "an --atomic first push with a refused ref" ref.replace refs/heads/main \
	--atomic "$SERVER" main "main:refs/replace/$(git rev-parse HEAD~0)"
check "leaves no docctl.trustedRef behind either" test "$(trusted_ref)" = unset
push_accepted "the legitimate first push is trusted" refs/heads/main "$SERVER" main
check "and recorded" test "$(trusted_ref)" = refs/heads/main

# --- 3. docctl.trustedRef set by init ------------------------------------------------
SERVER=$T/old.git
run sh -c "cd '$SERVER' && '$DOCCTL' init --hooks --trusted-ref refs/heads/main"
expect_contains "init --hooks --trusted-ref sets it" "set docctl.trustedRef=refs/heads/main"
check "HEAD, which named the missing master, now names main" \
	test "$(git -C "$SERVER" symbolic-ref HEAD)" = refs/heads/main
git checkout -q forged
push_refused "the forged release/9 is then judged by main's policy and refused" approval.unsigned \
	refs/heads/release/9 old forged:refs/heads/release/9
git checkout -q -B legit old/main
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/1 "Approved text." quinn
push_accepted "the approved release/9 is accepted" refs/heads/release/9 old legit:refs/heads/release/9
run sh -c "cd '$SERVER' && '$DOCCTL' init --hooks --trusted-ref refs/heads/nowhere"
check "init refuses a trusted ref that does not exist in a repository with refs" test "$RC" = 2
check "and keeps the one that was set" test "$(trusted_ref)" = refs/heads/main
git -C "$SERVER" update-ref refs/heads/master "$(git -C "$SERVER" rev-parse refs/heads/main)"
git -C "$SERVER" symbolic-ref HEAD refs/heads/master
run sh -c "cd '$SERVER' && '$DOCCTL' init --hooks"
expect_contains "init --hooks says when the default branch is not protected" \
	"the default branch (HEAD -> refs/heads/master) is not protected by the policy at refs/heads/main"
git -C "$SERVER" symbolic-ref HEAD refs/heads/gone
run sh -c "cd '$SERVER' && '$DOCCTL' register"
expect_contains "with HEAD on a missing branch, register on the server reads the trusted ref" "SP-001"
run sh -c "cd '$SERVER' && '$DOCCTL' history SP-001"
expect_contains "... so does history" "revision A/0 approved"
run sh -c "cd '$SERVER' && '$DOCCTL' review-due --as-of 2030-01-01"
check "... and review-due" test "$RC" = 0
run sh -c "cd '$SERVER' && '$DOCCTL' publish --out '$T/nightly'"
check "... and the nightly publish job" test "$RC" = 0 -a -f "$T/nightly/SP-001.html"

# --- 4. replace refs ----------------------------------------------------------------
SERVER=$T/replace.git
srv_bare "$SERVER"
seed "$T/work4"
doc docs/procedures/SP-005-x.md SP-005 A/0 approved quinn
echo readme >README.md
commit_as ann "SP-005"
git remote add origin "$SERVER"
push_accepted "the first push sets up main" refs/heads/main origin main
BASE=$(git rev-parse HEAD)
# ann writes a harmless draft; quinn, an approver, rewrites it and then
# approves her own text: four eyes must refuse (approval.self)
doc docs/procedures/SP-005-x.md SP-005 A/1 draft "" "Harmless text."
commit_as ann "Revise SP-005"
TH=$(git rev-parse 'HEAD^{tree}')
git push -q origin HEAD:refs/heads/wip 2>/dev/null # puts the harmless tree on the server
doc docs/procedures/SP-005-x.md SP-005 A/1 draft "" "Malicious text."
commit_as quinn "Quinn rewrites SP-005"
TQ=$(git rev-parse 'HEAD^{tree}')
echo other >OTHER.md
commit_as ann "Ann touches something else"
doc docs/procedures/SP-005-x.md SP-005 A/1 approved quinn "Malicious text."
sign_as quinn quinn "Approve SP-005 A/1"
FEW=$(git rev-parse HEAD)
for i in $(seq 1 17); do echo "pad $i" >>README.md && commit_as ann "Pad $i"; done
MANY=$(git rev-parse HEAD)
# the replacement: quinn's tree shown as the harmless one
git update-ref "refs/replace/$TQ" "$TH"
run git diff-tree -r --name-only "$TH" "$TQ"
if [ -z "$OUT" ] && [ -n "$(GIT_NO_REPLACE_OBJECTS=1 git diff-tree -r --name-only "$TH" "$TQ")" ]; then
	pass "the replacement hides quinn's rewrite from plain git"
else
	fail "the replacement hides quinn's rewrite from plain git" "$OUT"
fi
push_refused "pushing a replace ref is refused" ref.replace "refs/replace/$TQ" origin "refs/replace/$TQ"
check "and the server holds no replace ref" test -z "$(git -C "$SERVER" for-each-ref refs/replace/)"
git update-ref -d "refs/replace/$TQ"
# as if an old version of docctl had accepted it
git -C "$SERVER" update-ref "refs/replace/$TQ" "$TH"
push_refused "with a replace ref on the server, quinn's self-approval in 21 commits (git diff-tree) is refused" \
	approval.self refs/heads/main origin "$MANY:refs/heads/main"
push_refused "and in 4 commits (libgit2) too" approval.self refs/heads/main origin "$FEW:refs/heads/main"
EXPECT=none push_accepted "a replace ref can be deleted by a push (that only restores the objects as pushed)" \
	"refs/replace/$TQ" origin ":refs/replace/$TQ"
git -C "$SERVER" update-ref "refs/replace/$TQ" "$TH"
# the legitimate push: ann writes the text, quinn only approves, 21 commits
git checkout -q -B legit "$BASE"
doc docs/procedures/SP-005-x.md SP-005 A/1 draft "" "Harmless text."
commit_as ann "Revise SP-005"
echo other >OTHER.md
commit_as ann "Ann touches something else"
doc docs/procedures/SP-005-x.md SP-005 A/1 approved quinn "Harmless text."
sign_as quinn quinn "Approve SP-005 A/1"
for i in $(seq 1 18); do echo "pad $i" >>README.md && commit_as ann "Pad $i"; done
push_accepted "the legitimate push of 21 commits is accepted (replace ref still on the server)" refs/heads/main \
	origin legit:refs/heads/main

# --- 5. a symbolic ref on the server ------------------------------------------------
SERVER=$T/alias.git
srv_bare "$SERVER"
seed "$T/work5"
git remote add origin "$SERVER"
push_accepted "the first push sets up main" refs/heads/main origin main
git -C "$SERVER" symbolic-ref refs/heads/master refs/heads/main
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn "Changed without approval."
commit_as eve "Change SP-001 quietly"
push_refused "an unapproved change pushed to the alias master is refused" revision.not-bumped refs/heads/main \
	origin main:refs/heads/master
expect_contains "it says master is judged as main" \
	"refs/heads/master is a symbolic ref on the server for refs/heads/main; it is judged as refs/heads/main"
push_refused "deleting main through the alias is refused" ref.delete refs/heads/main origin :refs/heads/master
git reset -q --hard origin/main
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/1 "Approved text." quinn
push_accepted "an approved change through the alias is accepted and moves main" refs/heads/main \
	origin main:refs/heads/master
check "master is still an alias of main" test "$(git -C "$SERVER" symbolic-ref refs/heads/master)" = refs/heads/main
# the other way round: a protected name (release/7) that is an alias of an
# unprotected branch makes that branch protected, or a push to it would
# change what release/7 shows
ALIAS_BASE=$(git rev-parse HEAD)
git -C "$SERVER" update-ref refs/heads/wip "$ALIAS_BASE"
git -C "$SERVER" symbolic-ref refs/heads/release/7 refs/heads/wip
doc docs/procedures/SP-001-alpha.md SP-001 A/1 approved quinn "Changed without approval."
commit_as eve "Change SP-001 quietly"
push_refused "an unapproved change to wip, which the protected release/7 names, is refused" revision.not-bumped \
	refs/heads/wip origin main:refs/heads/wip
git reset -q --hard "$ALIAS_BASE"
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/2 "Approved for release/7." quinn
push_accepted "an approved change to wip is accepted" refs/heads/wip origin main:refs/heads/wip

# the same through the update hook alone
git reset -q --hard "$ALIAS_BASE"
UPD=$T/alias-update.git
git init -q --bare "$UPD"
printf '#!/bin/sh\nexec "%s" hook update "$@"\n' "$DOCCTL" >"$UPD/hooks/update"
chmod +x "$UPD/hooks/update"
git -C "$UPD" config docctl.trustedRef refs/heads/main
EXPECT=$(git rev-parse HEAD) SERVER=$UPD push_accepted "update hook: the first push sets up main" refs/heads/main "$UPD" main
git -C "$UPD" symbolic-ref refs/heads/master refs/heads/main
doc docs/procedures/SP-001-alpha.md SP-001 A/1 approved quinn "Changed again without approval."
commit_as eve "Change SP-001 quietly"
SERVER=$UPD push_refused "update hook: an unapproved change pushed to the alias is refused" revision.not-bumped \
	refs/heads/main "$UPD" main:refs/heads/master
git reset -q --hard HEAD~1
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/2 "Approved again." quinn
EXPECT=$(git rev-parse HEAD) SERVER=$UPD push_accepted "update hook: an approved change through the alias is accepted" \
	refs/heads/main "$UPD" main:refs/heads/master
