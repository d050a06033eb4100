#!/bin/bash
# t0510-server-more.sh - the server hooks (reference §6) on refs and
# repositories: force pushes, deletions, new protected branches, the policy
# controlling itself, the scratch-ref bypass, annotated tags, non-commits,
# --atomic, one id per document across branches, the update hook, odd
# repository paths, SHA-256 repositories and failing closed.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 59
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"

# seed WORKDIR: a working repository with the policy and three documents
seed() {
	git init -q "$1" && cd "$1" || return 1
	srv_policy docctl.yaml
	srv_signers .docctl/allowed_signers
	doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
	doc docs/procedures/SP-002-beta.md SP-002 A/0 approved gina
	commit_as ann "Initial controlled documents"
}

# approve_edit ID FILE REV BODY KEY: ann revises, quinn approves (signed with KEY; "" unsigned)
approve_edit() {
	doc "$2" "$1" "$3" draft "" "$4"
	commit_as ann "Revise $1"
	doc "$2" "$1" "$3" approved quinn "$4"
	if [ -n "$5" ]; then sign_as quinn "$5" "Approve $1 $3"; else commit_as quinn "Approve $1 $3"; fi
}

SERVER=$T/server.git
srv_bare "$SERVER"
seed "$T/work"
git remote add origin "$SERVER"
push_accepted "the first push sets up main" refs/heads/main origin main

# --- the ref itself -------------------------------------------------------------
git commit -q --amend -m "Rewritten history"
push_refused "a force push that rewrites main is refused" ref.non-fast-forward refs/heads/main --force origin main
reset_work

push_accepted "a new protected branch at main's commit is accepted" refs/heads/release/1 origin main:refs/heads/release/1
push_refused "deleting a protected branch is refused" ref.delete refs/heads/release/1 origin :refs/heads/release/1

approve_edit SP-001 docs/procedures/SP-001-alpha.md A/1 "Release text." ""
push_refused "a new protected branch with an unsigned approval is refused" approval.unsigned refs/heads/release/2 \
	origin HEAD:refs/heads/release/2
reset_work
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/1 "Release text." quinn
push_accepted "a new protected branch with a signed approval is accepted" refs/heads/release/2 \
	origin HEAD:refs/heads/release/2
reset_work

git checkout -q -b feature
doc docs/procedures/SP-009-draft.md SP-009 A/0 draft ""
commit_as ann "Start SP-009"
push_accepted "a draft on a feature branch is accepted" refs/heads/feature origin feature
doc docs/procedures/SP-009-draft.md SP-009 A/0 aproved ""
commit_as ann "Typo in a status"
push_refused "a feature branch is still checked for structure" schema.enum refs/heads/feature origin feature
reset_work

# --- the policy controls itself (§6.5) -----------------------------------------
sed -i 's/ann:   {name: Ann Author, email: ann@example.com, roles: \[author\]}/ann:   {name: Ann Author, email: ann@example.com, roles: [author, qa-manager]}/' docctl.yaml
grep -q 'roles: \[author, qa-manager\]' docctl.yaml || echo "# sed did not change docctl.yaml" >&2
sign_as ann ann "Make ann a QA manager"
doc docs/procedures/SP-002-beta.md SP-002 A/1 draft "" "Beta, eve's text."
commit_as eve "Revise SP-002"
doc docs/procedures/SP-002-beta.md SP-002 A/1 approved ann "Beta, eve's text."
sign_as ann ann "Approve SP-002 A/1"
push_refused "a self-granted role and its use in one push are refused" policy.unapproved-change refs/heads/main origin main
expect_contains "the approval under the self-granted role is refused too" "[approval.unauthorized]"
git reset -q --hard HEAD~3
sed -i 's/ann:   {name: Ann Author, email: ann@example.com, roles: \[author\]}/ann:   {name: Ann Author, email: ann@example.com, roles: [author, qa-manager]}/' docctl.yaml
sign_as gina gina "Make ann a QA manager"
push_accepted "a policy change signed by a policy approver is accepted" refs/heads/main origin main
doc docs/procedures/SP-002-beta.md SP-002 A/1 draft "" "Beta, eve's text."
commit_as eve "Revise SP-002"
doc docs/procedures/SP-002-beta.md SP-002 A/1 approved ann "Beta, eve's text."
sign_as ann ann "Approve SP-002 A/1"
push_accepted "once the policy is in force, the new approver's signed approval is accepted" refs/heads/main origin main
push_refused "release/1 cannot take main's policy change and its use in one step either" approval.unauthorized \
	refs/heads/release/1 origin main:refs/heads/release/1
EXPECT=$(git rev-parse main~2) push_accepted \
	"fast-forwarding release/1 to main's signed policy change (checked on main first) is accepted" \
	refs/heads/release/1 origin main~2:refs/heads/release/1
push_accepted "then to main's signed approval under it, accepted too" refs/heads/release/1 \
	origin main:refs/heads/release/1

# --- commits first pushed elsewhere ---------------------------------------------
reset_work
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/1 "Scratch text." ""
push_accepted "an unsigned approval on a scratch ref is accepted (not protected)" refs/scratch/x \
	origin HEAD:refs/scratch/x
push_refused "the same commits pushed to main afterwards are still checked" approval.unsigned refs/heads/main origin main

# --- tags and non-commits ---------------------------------------------------------
reset_work
git tag -a -m "Release 0" release-0
EXPECT=$(git rev-parse release-0) push_accepted \
	"an annotated tag of an approved commit, on a protected tag ref, is accepted" refs/tags/release-0 \
	origin refs/tags/release-0
check "the server holds the tag object itself" test "$(git -C "$SERVER" cat-file -t refs/tags/release-0)" = tag
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/1 "Tagged text." ""
git tag -a -m "Release 1" release-1
push_refused "an annotated tag of an unapproved commit, on a protected tag ref, is refused" approval.unsigned \
	refs/tags/release-1 origin refs/tags/release-1
git tag -a -m "Just a note" note-1
EXPECT=$(git rev-parse note-1) push_accepted "the same commit under a tag that is not protected is accepted" \
	refs/tags/note-1 origin refs/tags/note-1
blob=$(echo "not a commit" | git hash-object -w --stdin)
push_refused "a blob pushed to a ref is refused" internal.error refs/tags/blob origin "$blob:refs/tags/blob"
expect_contains "it says what was pushed" "refs/tags/blob points at a blob, not a commit"

# --- several refs in one push -----------------------------------------------------
reset_work
git checkout -q -b good
approve_edit SP-001 docs/procedures/SP-001-alpha.md A/1 "Atomic text." quinn
git checkout -q -b bad main
approve_edit SP-002 docs/procedures/SP-002-beta.md A/2 "Atomic beta." ""
before_main=$(srv_rev refs/heads/main)
push_refused "--atomic with one bad ref is refused" approval.unsigned refs/heads/release/3 \
	--atomic origin good:refs/heads/main bad:refs/heads/release/3
check "--atomic leaves the good ref unchanged too" test "$(srv_rev refs/heads/main)" = "$before_main"
push_refused "without --atomic, pre-receive still refuses the whole push" approval.unsigned refs/heads/release/3 \
	origin good:refs/heads/main bad:refs/heads/release/3
check "the good ref is unchanged without --atomic too" test "$(srv_rev refs/heads/main)" = "$before_main"

# --- one id, one document (§6.6) --------------------------------------------------
reset_work
git checkout -q -b topic-a
doc docs/procedures/SP-010-from-a.md SP-010 A/0 draft ""
commit_as ann "Take SP-010 on topic-a"
push_accepted "a new id on one branch is accepted" refs/heads/topic-a origin topic-a
git checkout -q -b topic-b main
doc docs/procedures/SP-010-from-b.md SP-010 A/0 draft ""
commit_as eve "Take SP-010 on topic-b"
push_refused "the same id taken on another branch is refused" id.duplicate refs/heads/topic-b origin topic-b
expect_contains "it names the other branch and file" "already taken on refs/heads/topic-a by docs/procedures/SP-010-from-a.md"
git checkout -q -b topic-c main
doc docs/procedures/SP-011-from-c.md SP-011 A/0 draft ""
commit_as ann "Take SP-011 on topic-c"
git checkout -q -b topic-d main
doc docs/procedures/SP-011-from-d.md SP-011 A/0 draft ""
commit_as eve "Take SP-011 on topic-d"
push_refused "two branches taking the same id in one push are refused" id.duplicate refs/heads/topic-d \
	origin topic-c topic-d
# a document that reaches a release from main was introduced on main: a
# fast-forward after it was renamed there is not a new claim on its id, even
# while a feature branch still holds its draft revision at the old path
reset_work
push_accepted "release/7 starts at main" refs/heads/release/7 origin main:refs/heads/release/7
doc docs/procedures/SP-020-moving.md SP-020 A/0 draft "" "Moving text."
commit_as ann "Draft SP-020"
doc docs/procedures/SP-020-moving.md SP-020 A/0 approved quinn "Moving text."
sign_as quinn quinn "Approve SP-020"
push_accepted "SP-020 approved on main" refs/heads/main origin main
git checkout -q -b sp-020-a1
doc docs/procedures/SP-020-moving.md SP-020 A/1 draft "" "Moving text, revised."
commit_as ann "SP-020 A/1 draft"
push_accepted "its next revision drafted on a feature branch" refs/heads/sp-020-a1 origin sp-020-a1
git checkout -q main
git mv docs/procedures/SP-020-moving.md docs/procedures/SP-020-moved.md
commit_as ann "Rename SP-020"
push_accepted "renamed on main" refs/heads/main origin main
push_accepted "release/7 fast-forwarded to main is not a second claim on SP-020" refs/heads/release/7 \
	origin main:refs/heads/release/7
# a release created at an earlier commit of main, from before a signed policy
# edit: no commit is new to it, so none changes its policy (§6.5)
reset_work
sed -i 's/^people:$/people:\n  pat: {name: Pat New, email: pat@example.com, roles: [author]}/' docctl.yaml
sign_as gina gina "Add pat"
push_accepted "a policy edit signed by the policy approver" refs/heads/main origin main
git branch -q rel8 HEAD~1
EXPECT=$(git rev-parse rel8) push_accepted "a release created at main's commit before it is accepted" refs/heads/release/8 \
	origin rel8:refs/heads/release/8

# --- the update hook --------------------------------------------------------------
# With only an update hook there is no post-receive to record trust on first
# use, so the administrator says where trust lives before the first push;
# the first push of that ref is then trusted on first use.
UPD=$T/update.git
git init -q --bare "$UPD"
printf '#!/bin/sh\nexec "%s" hook update "$@"\n' "$DOCCTL" >"$UPD/hooks/update"
chmod +x "$UPD/hooks/update"
git -C "$UPD" config docctl.trustedRef refs/heads/main
reset_work
EXPECT=$(git rev-parse HEAD) SERVER=$UPD push_accepted "the update hook accepts the first push" refs/heads/main "$UPD" main
approve_edit SP-002 docs/procedures/SP-002-beta.md A/2 "Update beta." ""
SERVER=$UPD push_refused "the update hook refuses an unsigned approval" approval.unsigned refs/heads/main "$UPD" main
UPD2=$T/update2.git
git init -q --bare "$UPD2"
cp "$UPD/hooks/update" "$UPD2/hooks/update"
reset_work
EXPECT=$(git rev-parse HEAD) SERVER=$UPD2 push_accepted "without docctl.trustedRef the update hook trusts the first push" \
	refs/heads/main "$UPD2" main
approve_edit SP-002 docs/procedures/SP-002-beta.md A/2 "Update beta." quinn
SERVER=$UPD2 push_refused "and, with no post-receive to record it, refuses the next one (fail closed)" \
	internal.error refs/heads/main "$UPD2" main
expect_contains "it gives the command that says where trust lives" "docctl init --hooks --trusted-ref refs/heads/main"

# --- where trust lives ---------------------------------------------------------------
FRESH=$T/fresh.git
srv_bare "$FRESH"
reset_work
git checkout -q -b early
SERVER=$FRESH push_refused "a feature branch alone cannot be the first push (its policy would be trusted for nothing)" \
	internal.error refs/heads/early "$FRESH" early
expect_contains "it says to push the protected branch first" "must create its protected branch"
SERVER=$FRESH push_accepted "the first push of main is trusted on first use" refs/heads/main \
	"$FRESH" early:refs/heads/main
expect_contains "and says so" "trusting the pushed policy (first push to an empty repository)"
check "post-receive records refs/heads/main as docctl.trustedRef" \
	test "$(git -C "$FRESH" config docctl.trustedRef)" = refs/heads/main
SERVER=$FRESH push_accepted "a feature branch is accepted afterwards" refs/heads/early "$FRESH" early

# --- odd paths, SHA-256, failing closed ------------------------------------------
ODD="$T/odd: dir/serv er.git"
mkdir -p "$T/odd: dir"
srv_bare "$ODD"
reset_work
EXPECT=$(git rev-parse HEAD) SERVER=$ODD push_accepted "a repository path with ':' and spaces works (first push)" \
	refs/heads/main "$ODD" main
approve_edit SP-002 docs/procedures/SP-002-beta.md A/2 "Odd beta." quinn
SERVER=$ODD push_accepted "a signed approval is read from the quarantine under that path" refs/heads/main "$ODD" main
approve_edit SP-002 docs/procedures/SP-002-beta.md A/3 "Odd beta 3." ""
SERVER=$ODD push_refused "an unsigned approval is refused under that path" approval.unsigned refs/heads/main "$ODD" main

SHA=$T/sha256.git
git init -q --bare --object-format=sha256 "$SHA"
# libgit2 cannot open it, so `docctl init --hooks` cannot either: install the shim by hand
cp "$SERVER/hooks/pre-receive" "$SHA/hooks/pre-receive"
git init -q --object-format=sha256 "$T/work256"
cd "$T/work256" || exit 1
srv_policy docctl.yaml
commit_as ann "A SHA-256 history"
SERVER=$SHA push_refused "a SHA-256 repository is refused (fail closed)" internal.error refs/heads/main "$SHA" main
expect_contains "it says why" "SHA-256"
cd "$T/work" || exit 1

reset_work
mkdir -p "$T/bin"
for tool in sh git grep sed basename dirname cat mktemp rm; do ln -sf "$(command -v "$tool")" "$T/bin/$tool"; done
# a good ed25519 signature by a listed key is decided in-process (reference §6.8)
approve_edit SP-002 docs/procedures/SP-002-beta.md A/3 "Verified in-process." quinn
PATH=$T/bin push_accepted "a good ed25519 signature by a listed key is verified without ssh-keygen" \
	refs/heads/main origin main
# anything else is ssh-keygen's to judge: here a key the signers file does not list
reset_work
approve_edit SP-002 docs/procedures/SP-002-beta.md A/4 "Needs ssh-keygen." eve
PATH=$T/bin push_refused "a signature that cannot be verified (no ssh-keygen) refuses the push (fail closed)" \
	internal.error refs/heads/main origin main
expect_contains "it names the missing tool" "ssh-keygen"

reset_work
broken=$(printf 'docctl: 2\n' | git -C "$SERVER" hash-object -w --stdin)
tree=$(git -C "$SERVER" ls-tree refs/heads/main | sed "s/[0-9a-f]\{40\}\tdocctl.yaml$/$broken\tdocctl.yaml/" |
	git -C "$SERVER" mktree)
c=$(git -C "$SERVER" commit-tree -p refs/heads/main -m "broken behind docctl's back" "$tree")
git -C "$SERVER" update-ref refs/heads/main "$c"
reset_work
echo more >>README.md
commit_as ann "An unrelated change"
push_refused "a policy in force that does not load refuses the push (fail closed)" internal.error refs/heads/main origin main
expect_contains "it says the policy in force does not load" "the policy in force (docctl.yaml of refs/heads/main"

done_testing
