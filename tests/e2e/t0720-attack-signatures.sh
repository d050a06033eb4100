#!/bin/bash
# t0720-attack-signatures.sh - a pusher without an approver's key tries to
# get unapproved bytes past the server hook with signatures that are not
# theirs to use (reference §6.2 item 5, §6.3, §6.5, §6.8), each attack next to
# the legitimate push of the same scenario, which must be accepted:
#   - a signed approval of one document "vouching" for another one's
#     approval typed into an earlier unsigned commit;
#   - an unsigned commit moving approved_on after the signed approval;
#   - an approver changing the content in a commit she signs, with the
#     author (and the committer) naming someone else;
#   - a new revision that carries the previous revision's approval;
#   - a key slipped into the signers file, or a .gitattributes, by an
#     unsigned commit before a policy approver's signed policy change;
#   - a thousand junk-signed commits: those that vouch for nothing cost
#     nothing, and a push that needs longer than DOCCTL_HOOK_DEADLINE is
#     refused with the reason.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 31
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"

SP1=docs/procedures/SP-001-alpha.md
SP2=docs/procedures/SP-002-beta.md
SP3=docs/procedures/SP-003-gamma.md

# on FILE DATE: sets approved_on
on() { sed -i "s/^approved_on: .*/approved_on: $2/" "$1"; }

# commit_by AUTHOR COMMITTER KEY MSG: commits everything with those
# identities, signed with KEY's key
commit_by() {
	git add -A &&
		GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$1@example.com GIT_COMMITTER_NAME=$2 \
			GIT_COMMITTER_EMAIL=$2@example.com \
			git -c gpg.format=ssh -c user.signingkey="$SRV_KEYS/$3" commit -q -S -m "$4"
}

# junk_commits N TREE_A TREE_B: N commits on HEAD, their trees taking
# turns (the last one TREE_A when N is odd), each with a signature header
# that is no signature; HEAD moves to the last.
junk_commits() {
	local tip
	tip=$(python3 - "$(git rev-parse --git-dir)" "$(git rev-parse HEAD)" "$@" <<'EOF'
import hashlib, os, sys, zlib
gitdir, parent, n, ta, tb = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
sig = "-----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgAAAA\n -----END SSH SIGNATURE-----"
for i in range(n):
    tree = ta if i % 2 == 0 else tb
    who = f"Ann <ann@example.com> {1780000000 + i} +0000"
    body = (f"tree {tree}\nparent {parent}\nauthor {who}\ncommitter {who}\n"
            f"gpgsig {sig}\n\nJunk {i}\n").encode()
    data = b"commit %d\0" % len(body) + body
    oid = hashlib.sha1(data).hexdigest()
    d = os.path.join(gitdir, "objects", oid[:2])
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, oid[2:])
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(zlib.compress(data))
    parent = oid
print(parent)
EOF
	) && git reset -q --hard "$tip"
}

# tree_with FILE: the tree of the index with FILE as it is now
tree_with() { git add -- "$1" && git write-tree; }

SERVER=$T/server.git
srv_bare "$SERVER"
git init -q "$T/work" && cd "$T/work" || exit 1
srv_policy docctl.yaml
srv_signers .docctl/allowed_signers
doc $SP1 SP-001 A/0 approved quinn "Text one."
doc $SP2 SP-002 A/0 approved gina "Text two."
doc $SP3 SP-003 A/0 approved quinn "Text three."
commit_as ann "Initial controlled documents"
git remote add origin "$SERVER"
push_accepted "the first push sets up main" refs/heads/main origin main

# --- a signature vouches only for what its own commit changes (§6.3 (b)) ------
reset_work
doc $SP1 SP-001 A/1 draft "" "Text one, revised."
commit_as ann "Revise SP-001"
doc $SP2 SP-002 A/1 approved quinn "Text two, revised by ann."
on $SP2 2026-05-20
commit_as ann "Revise SP-002 and type quinn's approval into it"
doc $SP1 SP-001 A/1 approved quinn "Text one, revised."
sign_as quinn quinn "Approve SP-001 A/1"
push_refused "a signed approval of SP-001 does not vouch for SP-002's typed into an earlier commit" \
	approval.unsigned refs/heads/main origin main
expect_contains "the refusal names SP-002 and the fix" "docctl approve SP-002 --sign"
expect_not_contains "SP-001's own signed approval is not refused" "SP-001-alpha.md:9:14: error: approved_by"

reset_work
doc $SP1 SP-001 A/1 draft "" "Text one, revised."
doc $SP2 SP-002 A/1 draft "" "Text two, revised by ann."
commit_as ann "Revise SP-001 and SP-002"
doc $SP1 SP-001 A/1 approved quinn "Text one, revised."
sign_as quinn quinn "Approve SP-001 A/1"
doc $SP2 SP-002 A/1 approved quinn "Text two, revised by ann."
on $SP2 2026-05-20
sign_as quinn quinn "Approve SP-002 A/1"
push_accepted "each approval signed in a commit of its own is accepted" refs/heads/main origin main

# --- the signed version is NEW's, byte for byte (§6.3 (a)) ----------------------
reset_work
doc $SP3 SP-003 A/1 draft "" "Text three, revised."
commit_as ann "Revise SP-003"
doc $SP3 SP-003 A/1 approved quinn "Text three, revised."
on $SP3 2026-05-20
sign_as quinn quinn "Approve SP-003 A/1"
good=$(git rev-parse HEAD)
on $SP3 2026-05-28
sed -i 's/^approved_on: 2026-05-28$/approved_on: 2026-05-28\neffective: 2026-06-01/' $SP3
commit_as ann "Move the approval date and the effective date"
push_refused "an unsigned commit that moves approved_on and effective after the signature is refused" \
	approval.unsigned refs/heads/main origin main
expect_contains "it says what to do" "docctl approve SP-003 --sign"
git reset -q --hard "$good"
push_accepted "the signed approval itself is accepted" refs/heads/main origin main

# --- four eyes counts the signer (§6.2 item 5) -----------------------------------
reset_work
doc $SP1 SP-001 A/2 approved quinn "Text one, quinn's own words."
on $SP1 2026-05-21
commit_by ann quinn quinn "Revise and approve SP-001 (author: ann)"
push_refused "a content change signed by the approver, the author naming ann, is a self-approval" \
	approval.self refs/heads/main origin main
git reset -q --hard HEAD~1
doc $SP1 SP-001 A/2 approved quinn "Text one, quinn's own words."
on $SP1 2026-05-21
commit_by ann ann quinn "Revise and approve SP-001 (author and committer: ann)"
push_refused "the same with author and committer both naming ann is a self-approval too" \
	approval.self refs/heads/main origin main

reset_work
doc $SP1 SP-001 A/2 draft "" "Text one, quinn's own words."
commit_by ann ann ann "Revise SP-001 (signed by ann)"
doc $SP1 SP-001 A/2 approved quinn "Text one, quinn's own words."
on $SP1 2026-05-21
sign_as quinn quinn "Approve SP-001 A/2"
push_accepted "ann's signed revision approved by quinn in a commit of his own is accepted" refs/heads/main origin main

# --- a copied-over approval (§6.2 item 5: approval.stale) -------------------------
reset_work
doc $SP2 SP-002 A/2 approved quinn "Text two, third words."
on $SP2 2026-05-20
commit_as ann "Revise SP-002, keeping the approval"
push_refused "a new revision that keeps the previous approval is refused" approval.stale refs/heads/main origin main
expect_contains "it says to start the revision properly" "docctl revise SP-002"

reset_work
doc $SP2 SP-002 A/2 draft "" "Text two, third words."
commit_as ann "Revise SP-002"
doc $SP2 SP-002 A/2 approved quinn "Text two, third words."
on $SP2 2026-05-20
sign_as quinn quinn "Approve SP-002 A/2 on the same day as A/1"
check "the re-approval leaves the approval fields as they were" \
	test "$(git show origin/main:$SP2 | grep -E '^approved_(by|on):')" = "$(grep -E '^approved_(by|on):' $SP2)"
push_accepted "a revision re-approved the same day by the same approver is accepted" refs/heads/main origin main

# --- a merge signed by the approver vouches for nothing it brings in (§6.3 (b)) -----
reset_work
git checkout -q -b side
doc $SP2 SP-002 A/3 approved quinn "Text two, on the side."
on $SP2 2026-05-26
commit_as ann "Revise SP-002 with quinn's approval typed in"
git checkout -q main
echo "main note" >other.txt
commit_as ann "A main change"
GIT_AUTHOR_NAME=quinn GIT_AUTHOR_EMAIL=quinn@example.com GIT_COMMITTER_NAME=quinn GIT_COMMITTER_EMAIL=quinn@example.com \
	git -c gpg.format=ssh -c user.signingkey="$SRV_KEYS/quinn" merge -q -S --no-ff -m "Merge side" side
push_refused "the approver's signed merge does not approve the typed approval it merges" \
	approval.unsigned refs/heads/main origin main
on $SP2 2026-05-27
sign_as quinn quinn "Approve SP-002 A/3"
push_accepted "his own signed approval after the merge is accepted" refs/heads/main origin main

# --- every policy commit is signed (§6.5) ----------------------------------------
reset_work
echo "eve@example.com namespaces=\"git\" $(cat "$SRV_KEYS/eve.pub")" >>.docctl/allowed_signers
commit_as ann "Add a key"
echo "# reviewed by the general manager" >>docctl.yaml
sign_as gina gina "Policy: a comment"
push_refused "a key slipped into the signers file before a signed policy edit is refused" \
	policy.unapproved-change refs/heads/main origin main
expect_contains "it names the unsigned commit's change" ".docctl/allowed_signers"

reset_work
mkdir -p docs && printf '*.md text\n' >docs/.gitattributes
commit_as ann "Add attributes"
echo "# reviewed by the general manager" >>docctl.yaml
sign_as gina gina "Policy: a comment"
push_refused "an unsigned .gitattributes before a signed policy edit is refused" \
	policy.unapproved-change refs/heads/main origin main

reset_work
echo "# reviewed by the general manager" >>docctl.yaml
sign_as gina gina "Policy: a comment"
echo "eve@example.com namespaces=\"git\" $(cat "$SRV_KEYS/eve.pub")" >>.docctl/allowed_signers
sign_as gina gina "Add eve's key"
push_accepted "policy edits each signed by the policy approver are accepted" refs/heads/main origin main

# --- junk signatures (§6.8) ----------------------------------------------------------
reset_work
doc $SP3 SP-003 A/2 draft "" "Text three, once more."
commit_as ann "Revise SP-003"
doc $SP3 SP-003 A/2 approved quinn "Text three, once more."
on $SP3 2026-05-22
sign_as quinn quinn "Approve SP-003 A/2"
echo "first" >notes.txt
ta=$(tree_with notes.txt)
echo "second" >notes.txt
tb=$(tree_with notes.txt)
junk_commits 1001 "$ta" "$tb"
start=$(date +%s%N)
EXPECT=$(git rev-parse HEAD) push_accepted "1,001 junk-signed commits that vouch for nothing are accepted" \
	refs/heads/main origin main
ms=$((($(date +%s%N) - start) / 1000000))
echo "# the push of 1,001 junk-signed commits took $ms ms"
check "and decided quickly (${ms} ms, under 20 s on a shared machine)" test "$ms" -lt 20000

reset_work
doc $SP1 SP-001 A/3 draft "" "Text one, fourth words."
commit_as ann "Revise SP-001"
doc $SP1 SP-001 A/3 approved quinn "Text one, fourth words."
on $SP1 2026-05-23
ta=$(tree_with $SP1)
on $SP1 2026-05-24
tb=$(tree_with $SP1)
junk_commits 801 "$ta" "$tb"
start=$(date +%s%N)
DOCCTL_HOOK_DEADLINE=1 push_refused "about 400 junk-signed approvals to verify with DOCCTL_HOOK_DEADLINE=1 are refused" \
	internal.error refs/heads/main origin main
ms=$((($(date +%s%N) - start) / 1000000))
echo "# the refused push took $ms ms"
expect_contains "it says why" "time limit of 1 s (DOCCTL_HOOK_DEADLINE)"
expect_contains "and what to do" "split the push into smaller ones"
check "the hook gave up near its deadline (${ms} ms)" test "$ms" -lt 10000

reset_work
doc $SP1 SP-001 A/3 draft "" "Text one, fourth words."
commit_as ann "Revise SP-001"
doc $SP1 SP-001 A/3 approved quinn "Text one, fourth words."
on $SP1 2026-05-23
sign_as quinn quinn "Approve SP-001 A/3"
DOCCTL_HOOK_DEADLINE=1 push_accepted "a signed approval pushed with DOCCTL_HOOK_DEADLINE=1 is accepted" \
	refs/heads/main origin main

SP4=docs/procedures/SP-004-delta.md
SP5=docs/procedures/SP-005-epsilon.md
# --- a later step does not undo an earlier one's signature (§6.3 (a), as §9.1
# reads it): an approval, then a periodic review, in one push -----------------
reset_work
doc $SP4 SP-004 A/0 draft "" "Text four."
commit_as ann "Draft SP-004"
doc $SP4 SP-004 A/0 approved quinn "Text four."
on $SP4 2026-05-22
sign_as quinn quinn "Approve SP-004 A/0"
doc $SP4 SP-004 A/0 approved quinn "Text four." "reviewed_by: gina
reviewed_on: 2026-05-30"
on $SP4 2026-05-22
sign_as gina gina "Review SP-004"
push_accepted "a signed approval followed by another approver's signed review is accepted" refs/heads/main origin main
reset_work
doc $SP5 SP-005 A/0 draft "" "Text five."
commit_as ann "Draft SP-005"
doc $SP5 SP-005 A/0 approved quinn "Text five."
on $SP5 2026-05-23
sign_as quinn quinn "Approve SP-005 A/0"
doc $SP5 SP-005 A/0 approved quinn "Text five." "reviewed_by: gina
reviewed_on: 2026-05-30"
on $SP5 2026-05-23
commit_as ann "Type gina's review into SP-005"
push_refused "but a review typed in after the signed approval is refused" approval.unsigned refs/heads/main origin main
expect_contains "... naming the reviewer" 'reviewed_by "gina" is not authenticated'

done_testing
