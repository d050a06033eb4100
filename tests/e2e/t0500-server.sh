#!/bin/bash
# t0500-server.sh - the server hooks (reference §6) on the documents: real bare
# repository with `docctl init --hooks`, real pushes over a local path, real
# SSH-signed commits. Each rule is refused with its name and leaves the
# server's ref as it was; its accepted counterpart goes through.
# More refs and repositories: t0510-server-more.sh.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 31
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
SERVER=$T/server.git
srv_bare "$SERVER"
git clone -q "$SERVER" "$T/work" 2>/dev/null
cd "$T/work" || exit 1

srv_policy docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
doc docs/procedures/SP-002-beta.md SP-002 A/0 approved gina
doc docs/procedures/SP-003-gamma.md SP-003 A/0 obsolete quinn "Old text." "obsoleted_by: quinn
obsoleted_on: 2026-02-01"
doc records/RC-0001-log.md RC-0001 A/0 approved quinn "Filed."
echo "not controlled" >README.md
commit_as ann "Initial controlled documents"
expect_exit 0 "the seed repository passes docctl check" "$DOCCTL" check

# --- trust on first use -----------------------------------------------------
push_accepted "first push to an empty repository is accepted" refs/heads/main origin main
expect_contains "it says it trusts the pushed policy" \
	"remote: docctl: refs/heads/main: trusting the pushed policy (first push to an empty repository)"
line=$(tail -n 1 "$SERVER/docctl-audit.log" 2>/dev/null)
case $line in
*'"ref": "refs/heads/main"'*'"old": "0000000000000000000000000000000000000000"'*"\"new\": \"$(git rev-parse HEAD)\""*'"approvals": []'*)
	pass "post-receive appends the first push to docctl-audit.log" ;;
*) fail "post-receive appends the first push to docctl-audit.log" "$line" ;;
esac

# --- approvals ----------------------------------------------------------------
reset_work
doc docs/procedures/SP-001-alpha.md SP-001 A/1 draft "" "The second text."
commit_as ann "Revise SP-001"
doc docs/procedures/SP-001-alpha.md SP-001 A/1 approved quinn "The second text."
sign_as quinn quinn "Approve SP-001 A/1"
approval=$(git rev-parse HEAD)
push_accepted "an approval signed by another person who holds the role is accepted" refs/heads/main origin main
line=$(tail -n 1 "$SERVER/docctl-audit.log")
case $line in
*'"time": "20'*'Z", "pusher": null, "ref": "refs/heads/main"'*'"approvals": [{"id": "SP-001", "revision": "A/1", "person": "quinn", "name": "Quinn QA", "meaning": "approved", "commit": "'"$approval"'", "method": "signature"}]}')
	pass "the audit trail records who approved SP-001 A/1, by which signed commit" ;;
*) fail "the audit trail records who approved SP-001 A/1, by which signed commit" "$line" ;;
esac
# post-receive appends what pre-receive decided (docctl-audit.pending.PID,
# PID the parent of both hooks; removed once used), else it judges the push
# again: the same record either way
if ! ls "$SERVER"/docctl-audit.pending.* >/dev/null 2>&1; then pass "post-receive leaves no pending audit record behind"
else fail "post-receive leaves no pending audit record behind" "$(ls "$SERVER")"; fi
old=$(sed -n 's/.*"old": "\([0-9a-f]*\)".*/\1/p' <<<"$line")
# a record kept for a push whose refs git could not update stays behind
# (no post-receive ran): the next pre-receive removes those older than a day
echo "tofu 0" >"$SERVER/docctl-audit.pending.999999"
touch -d '2 days ago' "$SERVER/docctl-audit.pending.999999"
echo "tofu 0" >"$SERVER/docctl-audit.pending.999998"
kept=$(cd "$SERVER" && echo "$old $approval refs/heads/main" | GIT_DIR=. "$DOCCTL" hook pre-receive 2>&1 &&
	ls docctl-audit.pending.$BASHPID && echo "$old $approval refs/heads/main" | GIT_DIR=. "$DOCCTL" hook post-receive &&
	ls docctl-audit.pending.$BASHPID 2>&1)
kept_line=$(tail -n 1 "$SERVER/docctl-audit.log")
if [ ! -e "$SERVER/docctl-audit.pending.999999" ] && [ -e "$SERVER/docctl-audit.pending.999998" ]; then
	pass "pre-receive removes a kept record older than a day, and only that"
else fail "pre-receive removes a kept record older than a day, and only that" "$(ls "$SERVER")"; fi
rm -f "$SERVER/docctl-audit.pending.999998"
(cd "$SERVER" && echo "$old $approval refs/heads/main" | GIT_DIR=. "$DOCCTL" hook post-receive)
again=$(tail -n 1 "$SERVER/docctl-audit.log")
if [[ $kept == *docctl-audit.pending.*"No such file"* ]] && [ "${line#*Z\", }" != "$line" ] &&
   [ "${kept_line#*Z\", }" = "${line#*Z\", }" ] && [ "${again#*Z\", }" = "${line#*Z\", }" ]; then
	pass "... the record pre-receive kept and the one judged again are the push's record"
else
	fail "... the record pre-receive kept and the one judged again are the push's record" "push:  $line
kept:  $kept_line ($kept)
again: $again"
fi

reset_work
doc docs/procedures/SP-002-beta.md SP-002 A/1 draft "" "Beta, second text."
commit_as ann "Revise SP-002"
doc docs/procedures/SP-002-beta.md SP-002 A/1 approved quinn "Beta, second text."
commit_as quinn "Approve SP-002 A/1 (unsigned)"
push_refused "an unsigned approval is refused" approval.unsigned refs/heads/main origin main
expect_contains "the finding names the ref, the file, the line and the rule" \
	"remote: refs/heads/main: docs/procedures/SP-002-beta.md:9:14: error: approved_by \"quinn\" is not authenticated"
expect_contains "the summary says how to fix it" \
	"remote: docctl: refs/heads/main refused: ask an approver of type procedure to approve SP-002 revision A/1 and sign the commit: docctl approve SP-002 --sign"

git reset -q --hard HEAD~1
doc docs/procedures/SP-002-beta.md SP-002 A/1 approved quinn "Beta, second text."
sign_as quinn gina "Approve SP-002 A/1 (gina's key)"
push_refused "an approval signed with another person's key is refused" approval.bad-signature refs/heads/main origin main
expect_contains "it says whose key signed" "signed with the key of gina@example.com, not of quinn"

git reset -q --hard HEAD~1
doc docs/procedures/SP-002-beta.md SP-002 A/1 approved quinn "Beta, second text."
sign_as quinn eve "Approve SP-002 A/1 (eve's key, not in the signers file)"
push_refused "an approval signed with a key the signers file does not list is refused" approval.unsigned \
	refs/heads/main origin main

git reset -q --hard HEAD~1
doc docs/procedures/SP-002-beta.md SP-002 A/1 approved ann "Beta, second text."
sign_as ann ann "Approve SP-002 A/1 as ann"
push_refused "an approval by someone without an approver role is refused" approval.unauthorized \
	refs/heads/main origin main

reset_work
doc docs/procedures/SP-002-beta.md SP-002 A/1 approved quinn "Beta, quinn's own text."
sign_as quinn quinn "Revise and approve SP-002 myself"
push_refused "approving one's own change is refused (four eyes)" approval.self refs/heads/main origin main

reset_work
doc docs/procedures/SP-001-alpha.md SP-001 A/1 draft "" "The second text, edited again."
commit_as ann "Edit SP-001 without a new revision"
doc docs/procedures/SP-001-alpha.md SP-001 A/1 approved quinn "The second text, edited again."
sign_as quinn quinn "Approve SP-001 A/1 again"
push_refused "a content change without a revision bump is refused" revision.not-bumped refs/heads/main origin main

reset_work
doc docs/procedures/SP-001-alpha.md SP-001 A/1 draft "" "The second text."
commit_as ann "SP-001 back to draft"
push_refused "a draft on a protected ref is refused" status.not-approved refs/heads/main origin main

# --- merges -------------------------------------------------------------------
reset_work
git checkout -q -b side
echo "side note" >notes.txt
commit_as ann "A side change"
git checkout -q main
echo "main note" >other.txt
commit_as ann "A main change"
git merge -q --no-commit side 2>/dev/null
doc docs/procedures/SP-001-alpha.md SP-001 A/2 approved quinn "Changed inside the merge."
git add -A
GIT_AUTHOR_NAME=quinn GIT_AUTHOR_EMAIL=quinn@example.com GIT_COMMITTER_NAME=quinn GIT_COMMITTER_EMAIL=quinn@example.com \
	git -c gpg.format=ssh -c user.signingkey="$SRV_KEYS/quinn" commit -q -S -m "Merge side (and an edit)"
push_refused "an evil merge that edits and approves is the merge author's own change" approval.self \
	refs/heads/main origin main

# a signature vouches only for what its own commit changes (§6.3 (b)):
# the approval is a commit of its own after the merge
reset_work
git checkout -q -b side
doc docs/procedures/SP-001-alpha.md SP-001 A/2 draft "" "Changed on the side."
commit_as ann "Revise SP-001 on a side branch"
git checkout -q main
echo "main note" >other.txt
commit_as ann "A main change"
GIT_AUTHOR_NAME=quinn GIT_AUTHOR_EMAIL=quinn@example.com GIT_COMMITTER_NAME=quinn GIT_COMMITTER_EMAIL=quinn@example.com \
	git -c gpg.format=ssh -c user.signingkey="$SRV_KEYS/quinn" merge -q -S --no-ff -m "Merge SP-001 A/2" side
doc docs/procedures/SP-001-alpha.md SP-001 A/2 approved quinn "Changed on the side."
sign_as quinn quinn "Approve SP-001 A/2"
push_accepted "a clean merge, then the approver's signed approval, is accepted" refs/heads/main origin main

# --- renames ------------------------------------------------------------------
reset_work
mkdir -p docs/procedures/core
git mv docs/procedures/SP-002-beta.md docs/procedures/core/SP-002-beta.md
commit_as ann "Move SP-002"
push_accepted "a pure rename needs no approval" refs/heads/main origin main

reset_work
git mv docs/procedures/core/SP-002-beta.md docs/procedures/SP-002-beta-renamed.md
sed -i 's/The first text\./The first text, edited./' docs/procedures/SP-002-beta-renamed.md
commit_as ann "Move and edit SP-002"
push_refused "a rename with an edit is a content change" revision.not-bumped refs/heads/main origin main

# --- records ------------------------------------------------------------------
reset_work
doc records/RC-0001-log.md RC-0001 A/0 approved quinn "Filed, then edited."
commit_as ann "Edit a record"
push_refused "an approved record never changes" record.immutable refs/heads/main origin main

reset_work
git rm -q records/RC-0001-log.md
commit_as quinn "Dispose of RC-0001"
DOCCTL_AS_OF=2028-12-31 push_refused "disposing of a record before its retention is refused" record.retention \
	refs/heads/main origin main
expect_contains "it says until when the record is kept" "kept until 2029-01-10"
DOCCTL_AS_OF=2029-01-10 push_accepted "disposing of a record once its retention passed is accepted" refs/heads/main origin main

# --- deletion and obsolete ----------------------------------------------------
reset_work
git rm -q docs/procedures/SP-001-alpha.md
commit_as ann "Delete SP-001"
push_refused "deleting a controlled document is refused" doc.deleted refs/heads/main origin main

reset_work
doc docs/procedures/SP-003-gamma.md SP-003 A/1 obsolete quinn "Old text, revived." "obsoleted_by: quinn
obsoleted_on: 2026-02-01"
commit_as ann "Edit obsolete SP-003"
push_refused "an obsolete document never changes" status.transition refs/heads/main origin main

reset_work
doc docs/procedures/SP-001-alpha.md SP-001 A/2 obsolete quinn "Changed on the side." "obsoleted_by: gina
obsoleted_on: 2026-05-01"
sign_as gina gina "Withdraw SP-001"
push_accepted "withdrawing a document, signed by an approver, is accepted" refs/heads/main origin main
line=$(tail -n 1 "$SERVER/docctl-audit.log")
case $line in
*'"person": "gina", "name": "Gina GM", "meaning": "obsoleted"'*'"method": "signature"'*) pass "the audit trail records the withdrawal" ;;
*) fail "the audit trail records the withdrawal" "$line" ;;
esac

done_testing
