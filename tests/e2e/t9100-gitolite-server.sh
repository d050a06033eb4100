#!/bin/bash
# t9100-gitolite-server.sh - docctl as a real gitolite server's pre-receive
# and post-receive hooks, installed the way an administrator would: the
# docctl-hook shim pointing at the docctl binary under test. The policy
# authenticates approvals by signature or by the pusher (GL_USER, reference §6.3):
# an approval pushed by its approver is accepted, the same push by someone
# else is refused, and the audit trail records who pushed and who approved.
# TAP output; skipped unless run as root. Stops its sshd.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"
. "$HERE/lib/gitolite.sh"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (creates user gl and runs sshd)"
	exit 0
fi

plan 30
T=$(scratch)
trap 'gl_teardown; tap_cleanup' EXIT
trap 'exit 1' HUP INT PIPE TERM
srv_init "$T"
SRV_IDENTITY="signature, pusher"

gl_setup "$T/gl"
if [ -z "${GL_PORT:-}" ]; then
	echo "Bail out! gl_setup failed"
	exit 1
fi
for who in ann quinn eve; do
	gl_keygen "login-$who" >/dev/null && gl_add_user "$who" "$GL_WORK/keys/login-$who.pub"
done
gl_add_repo docs "RW+ = ann quinn eve"
check "gitolite serves repository docs to ann, quinn and eve" test -d "$GL_HOME/repositories/docs.git"

# install docctl as an administrator would: the binary, and the shim as
# pre-receive (gitolite keeps its own update hook) and post-receive
# (with the cache damaged before each run, the stand-in, with the real one
# beside it: DOCCTL_TEST_CACHE=corrupt in lib/tap.sh)
if [ -n "${DOCCTL_REAL:-}" ]; then
	install -o gl -m 0755 "$DOCCTL_REAL" "$GL_HOME/docctl.real"
fi
install -o gl -m 0755 "$DOCCTL" "$GL_HOME/docctl"
sed "s|@DOCCTL@|$GL_HOME/docctl|" "$HERE/../../hooks/docctl-hook" >"$T/docctl-hook"
gl_install_pre_receive docs "$T/docctl-hook"
install -o gl -g "$(id -gn gl)" -m 0755 "$T/docctl-hook" "$GL_HOME/repositories/docs.git/hooks/post-receive"
SERVER=$GL_HOME/repositories/docs.git
git config --global --add safe.directory "$SERVER"
check "docctl is the pre-receive and post-receive hook; gitolite's update hook stays" \
	test -x "$SERVER/hooks/pre-receive" -a -x "$SERVER/hooks/post-receive" -a -L "$SERVER/hooks/update"

as() { # WHO GIT-ARGS...: git over ssh as gitolite user WHO
	local who=$1
	shift
	GIT_SSH_COMMAND=$(gl_ssh "login-$who") git "$@"
}

git init -q "$T/work" && cd "$T/work" || exit 1
srv_policy docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
commit_as ann "Initial controlled documents"
git remote add origin "$(gl_url docs)"
run as quinn push origin main
if [ "$RC" = 0 ] && grep -q "trusting the pushed policy (first push to an empty repository)" <<<"$ERR"; then
	pass "the first push through gitolite is trusted on first use"
else
	fail "the first push through gitolite is trusted on first use" "$ERR"
fi
check "post-receive, running as gl, records main as docctl.trustedRef" \
	test "$(git -C "$SERVER" config docctl.trustedRef)" = refs/heads/main

# ann revises, quinn approves without a signature and pushes it himself
doc docs/procedures/SP-001-alpha.md SP-001 A/1 draft "" "The second text."
commit_as ann "Revise SP-001"
doc docs/procedures/SP-001-alpha.md SP-001 A/1 approved quinn "The second text."
commit_as quinn "Approve SP-001 A/1"
approved=$(git rev-parse HEAD)

# the same push by ann: GL_USER=ann is not the approver
GIT_SSH_COMMAND=$(gl_ssh login-ann) push_refused "an unsigned approval of quinn's pushed by ann is refused" \
	approval.unsigned refs/heads/main origin main
expect_contains "it says who pushed" "and the pusher is ann"
GIT_SSH_COMMAND=$(gl_ssh login-eve) push_refused "pushed by eve, who approves nothing, it is refused too" \
	approval.unsigned refs/heads/main origin main

GIT_SSH_COMMAND=$(gl_ssh login-quinn) push_accepted "pushed by quinn himself (GL_USER=quinn) it is accepted" \
	refs/heads/main origin main
check "the server holds quinn's approval" test "$(srv_rev refs/heads/main)" = "$approved"

line=$(tail -n 1 "$SERVER/docctl-audit.log" 2>/dev/null)
printf '# %s\n' "$line"
case $line in
'{"time": "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'", "pusher": "quinn", "ref": "refs/heads/main"'*)
	pass "the audit trail has the server's UTC time, the pusher and the ref" ;;
*) fail "the audit trail has the server's UTC time, the pusher and the ref" "$line" ;;
esac
case $line in
*"\"new\": \"$approved\""*'"approvals": [{"id": "SP-001", "revision": "A/1", "person": "quinn", "name": "Quinn QA", "meaning": "approved", "commit": null, "method": "pusher"}]}')
	pass "the audit trail records SP-001 A/1 approved by quinn, authenticated as the pusher" ;;
*) fail "the audit trail records SP-001 A/1 approved by quinn, authenticated as the pusher" "$line" ;;
esac

# a signed approval needs no particular pusher
doc docs/procedures/SP-001-alpha.md SP-001 A/2 draft "" "The third text."
commit_as ann "Revise SP-001 again"
doc docs/procedures/SP-001-alpha.md SP-001 A/2 approved quinn "The third text."
sign_as quinn quinn "Approve SP-001 A/2"
GIT_SSH_COMMAND=$(gl_ssh login-ann) push_accepted "a signed approval pushed by ann is accepted" refs/heads/main origin main
line=$(tail -n 1 "$SERVER/docctl-audit.log" 2>/dev/null)
case $line in
*'"pusher": "ann"'*'"person": "quinn"'*"\"commit\": \"$(git rev-parse HEAD)\", \"method\": \"signature\""*)
	pass "the audit trail records the signed commit" ;;
*) fail "the audit trail records the signed commit" "$line" ;;
esac

# --- the check step 审核 through gitolite (reference §9.1): the checker is
# authenticated like the approver, here as the pusher (GL_USER) ---
sed -i 's/^  record: .*/&\n  quality:   {id: "QP-[0-9]{3}", approvers: [general-manager], checkers: [qa-manager]}/' docctl.yaml
sign_as gina gina "Policy: quality procedures are checked by a qa-manager"
GIT_SSH_COMMAND=$(gl_ssh login-ann) push_accepted "a signed policy change adds a type with checkers" refs/heads/main origin main
mkdir -p docs/quality
printf -- '---\nid: QP-001\ntitle: Q\ntype: quality\nrevision: A/0\nstatus: draft\nowner: ann\n---\n# Q\n\nText.\n' >docs/quality/QP-001.md
commit_as ann "QP-001 draft"
sed -i 's/^status: draft$/status: in-review\nchecked_by: quinn\nchecked_on: 2026-01-09/' docs/quality/QP-001.md
commit_as quinn "Check QP-001 (unsigned)"
sed -i 's/^status: in-review$/status: approved/; s/^checked_on: 2026-01-09$/&\napproved_by: gina\napproved_on: 2026-01-10/' docs/quality/QP-001.md
sign_as gina gina "Approve QP-001"
GIT_SSH_COMMAND=$(gl_ssh login-ann) push_refused "an unsigned check of quinn's pushed by ann is refused" \
	approval.unsigned refs/heads/main origin main
GIT_SSH_COMMAND=$(gl_ssh login-quinn) push_accepted "pushed by quinn himself, with gina's signed approval, it is accepted" \
	refs/heads/main origin main

# --- attachments through gitolite (reference §9.3): a listed file is part of
# the approved content; a file no document lists is refused on main ---
git checkout -q main
git branch -q before-attach main
printf 'PDF chart, first edition\n' >docs/procedures/SP-001-chart.pdf
doc docs/procedures/SP-001-alpha.md SP-001 A/3 draft "" "The text with a chart." "files: [SP-001-chart.pdf]"
commit_as ann "Revise SP-001 with a chart"
doc docs/procedures/SP-001-alpha.md SP-001 A/3 approved quinn "The text with a chart." "files: [SP-001-chart.pdf]"
sign_as quinn quinn "Approve SP-001 A/3 with its chart"
GIT_SSH_COMMAND=$(gl_ssh login-ann) push_accepted "a signed approval of SP-001 and its attachment is accepted" \
	refs/heads/main origin main
git branch -q attached main
printf 'PDF chart, edited without a revision\n' >docs/procedures/SP-001-chart.pdf
commit_as eve "Edit SP-001's chart only"
GIT_SSH_COMMAND=$(gl_ssh login-eve) push_refused "the chart changed without a new approved revision is refused" \
	file.changed refs/heads/main origin main
git reset -q --hard attached
printf 'smuggled\n' >docs/procedures/notes.pdf
commit_as eve "A file no document lists"
GIT_SSH_COMMAND=$(gl_ssh login-eve) push_refused "a file under the roots that no document lists is refused on main" \
	file.unclaimed refs/heads/main origin main
# what follows starts again from main before the attachment
git reset -q --hard before-attach

# --- attacks on where trust lives, through gitolite (reference §6.1) ---
# gitolite creates the repository with HEAD on master; eve pushes an
# orphan master without a policy, then a new protected release/9 carrying a
# hand-typed approval: main's policy (docctl.trustedRef) governs it
git -C "$SERVER" symbolic-ref HEAD refs/heads/master
git checkout -q --orphan orphan
git rm -q -r --cached . && rm -rf docs schema docctl.yaml .docctl
echo "nothing here" >README.md
commit_as eve "An orphan master"
GIT_SSH_COMMAND=$(gl_ssh login-eve) push_accepted "eve's orphan master without a policy is only an unprotected branch" \
	refs/heads/master origin orphan:refs/heads/master
git checkout -q -B forged main
doc docs/procedures/SP-001-alpha.md SP-001 A/3 draft "" "Forged text."
commit_as eve "Revise SP-001"
doc docs/procedures/SP-001-alpha.md SP-001 A/3 approved quinn "Forged text."
commit_as eve "Approve SP-001 A/3"
GIT_SSH_COMMAND=$(gl_ssh login-eve) push_refused "then eve's new release/9 with a forged approval is refused" \
	approval.unsigned refs/heads/release/9 origin forged:refs/heads/release/9
git checkout -q -B legit main
doc docs/procedures/SP-001-alpha.md SP-001 A/3 draft "" "Approved text."
commit_as ann "Revise SP-001"
doc docs/procedures/SP-001-alpha.md SP-001 A/3 approved quinn "Approved text."
sign_as quinn quinn "Approve SP-001 A/3"
GIT_SSH_COMMAND=$(gl_ssh login-eve) push_accepted "the same release/9 approved with quinn's signature is accepted" \
	refs/heads/release/9 origin legit:refs/heads/release/9
GIT_SSH_COMMAND=$(gl_ssh login-eve) push_refused "a replace ref pushed through gitolite is refused" ref.replace \
	"refs/replace/$(git rev-parse forged)" origin "legit:refs/replace/$(git rev-parse forged)"

# feedback through gitolite (reference §11): an unsigned item is vouched
# for by its `from` person only as the pusher (GL_USER)
git checkout -q --orphan fb
git rm -q -r --cached . && rm -rf docs schema docctl.yaml .docctl README.md && mkdir -p feedback
printf -- '---\nid: FB-2026-0001\ndocument: SP-001\nrevision: A/0\nkind: error\nfrom: ann\nfiled_on: 2026-06-01\nstatus: open\n---\n\nStep 3 lacks a record.\n' \
	>feedback/FB-2026-0001.md
commit_as ann "Feedback FB-2026-0001"
GIT_SSH_COMMAND=$(gl_ssh login-eve) push_refused "an unsigned feedback item from ann pushed by eve is refused" \
	feedback.not-self refs/heads/docctl/feedback origin fb:refs/heads/docctl/feedback
GIT_SSH_COMMAND=$(gl_ssh login-ann) push_accepted "the same item pushed by ann herself (GL_USER=ann) is accepted" \
	refs/heads/docctl/feedback origin fb:refs/heads/docctl/feedback

# the administrator's way: docctl.trustedRef set from gitolite.conf (the
# key allowed in ~gl/.gitolite.rc's GIT_CONFIG_KEYS), before the first push
sed -i "s/GIT_CONFIG_KEYS *=> *'',/GIT_CONFIG_KEYS => 'docctl\\\\.trustedRef',/" "$GL_HOME/.gitolite.rc"
gl_add_repo docs2 "RW+ = ann quinn eve" "config docctl.trustedRef = refs/heads/main"
git config --global --add safe.directory "$GL_HOME/repositories/docs2.git"
check "gitolite.conf sets docctl.trustedRef in the repository it creates" \
	test "$(git -C "$GL_HOME/repositories/docs2.git" config docctl.trustedRef 2>/dev/null)" = refs/heads/main
gl_install_pre_receive docs2 "$T/docctl-hook"
git remote add docs2 "$(gl_url docs2)"
SERVER=$GL_HOME/repositories/docs2.git
GIT_SSH_COMMAND=$(gl_ssh login-eve) push_refused "eve cannot take docs2 with a first push of another protected ref" \
	internal.error refs/heads/release/1 docs2 forged:refs/heads/release/1
expect_contains "it names the trusted ref to push first" "push refs/heads/main first"
EXPECT=$(git rev-parse main) GIT_SSH_COMMAND=$(gl_ssh login-quinn) push_accepted \
	"the first push of main, which gitolite.conf names, is trusted" refs/heads/main docs2 main

pid=$(cat "$GL_WORK/sshd.pid")
gl_teardown
! kill -0 "$pid" 2>/dev/null
check "sshd is stopped" test $? = 0

done_testing
