#!/bin/bash
# t9110-gitolite-training.sh - confirmations of reading (reference §10.1)
# through a real gitolite server with docctl as its pre-receive and
# post-receive hooks. The policy authenticates by signature or by the pusher
# (GL_USER): ann's own confirmation pushed by ann with `docctl ack --push`
# is accepted without a signature, a confirmation in ann's name pushed by
# eve is refused (ack.not-self), and eve, who is no reader, is refused
# (ack.not-reader). TAP output; skipped unless run as root. Stops its sshd.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"
. "$HERE/lib/gitolite.sh"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (creates user gl and runs sshd)"
	exit 0
fi

plan 7
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
trap 'gl_teardown; tap_cleanup' EXIT
trap 'exit 1' HUP INT PIPE TERM
srv_init "$T"
SRV_IDENTITY="signature, pusher"
ACKS=refs/heads/docctl/acks

gl_setup "$T/gl"
if [ -z "${GL_PORT:-}" ]; then
	echo "Bail out! gl_setup failed"
	exit 1
fi
for who in ann quinn eve; do
	gl_keygen "login-$who" >/dev/null && gl_add_user "$who" "$GL_WORK/keys/login-$who.pub"
done
gl_add_repo docs "RW+ = ann quinn eve"
if [ -n "${DOCCTL_REAL:-}" ]; then
	install -o gl -m 0755 "$DOCCTL_REAL" "$GL_HOME/docctl.real"
fi
install -o gl -m 0755 "$DOCCTL" "$GL_HOME/docctl"
sed "s|@DOCCTL@|$GL_HOME/docctl|" "$HERE/../../hooks/docctl-hook" >"$T/docctl-hook"
gl_install_pre_receive docs "$T/docctl-hook"
install -o gl -g "$(id -gn gl)" -m 0755 "$T/docctl-hook" "$GL_HOME/repositories/docs.git/hooks/post-receive"
SERVER=$GL_HOME/repositories/docs.git
git config --global --add safe.directory "$SERVER"

as() { # WHO GIT-ARGS...: git over ssh as gitolite user WHO
	local who=$1
	shift
	GIT_SSH_COMMAND=$(gl_ssh "login-$who") git "$@"
}

git init -q "$T/work" && cd "$T/work" || exit 1
srv_policy docctl.yaml
sed -i 's/^  procedure: .*/  procedure: {id: "SP-[0-9]{3}", approvers: [qa-manager, general-manager], readers: [author, qa-manager]}/' docctl.yaml
sed -i 's/^  eve: .*/  eve:   {name: Eve Else, email: eve@example.com, roles: [visitor]}/' docctl.yaml
printf 'training: {due: P14D, trainers: [qa-manager]}\n' >>docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
commit_as ann "Initial controlled documents"
git remote add origin "$(gl_url docs)"
run as quinn push origin main
if [ "$RC" = 0 ] && [ "$(git -C "$SERVER" config docctl.trustedRef)" = refs/heads/main ]; then
	pass "main is pushed through gitolite and trusted"
else
	fail "main is pushed through gitolite and trusted" "$ERR"
fi

# ann confirms with docctl ack, unsigned: the pusher (GL_USER=ann) vouches
git config user.email ann@example.com
export GIT_SSH_COMMAND
GIT_SSH_COMMAND=$(gl_ssh login-ann)
expect_exit 0 "ann's unsigned confirmation pushed by ann through gitolite is accepted" "$DOCCTL" ack SP-001 --push
line=$(git -C "$SERVER" show $ACKS:acks/ann.txt 2>/dev/null)
if [ "$line" = "$(printf 'ann\tSP-001\tA/0\t2026-06-01\tread\tann')" ]; then pass "the server holds ann's line"; else fail "the server holds ann's line" "$line"; fi
grep -q '"pusher": "ann", "ref": "refs/heads/docctl/acks"' "$SERVER/docctl-audit.log" &&
	pass "the audit trail records the push of the confirmations by ann" ||
	fail "the audit trail records the push of the confirmations by ann" "$(tail -n 2 "$SERVER/docctl-audit.log")"

# eve pushes a confirmation in quinn's name, unsigned
git fetch -q origin && git checkout -q -B acks origin/docctl/acks
mkdir -p acks && printf 'quinn\tSP-001\tA/0\t2026-06-01\tread\tquinn\n' >>acks/quinn.txt
commit_as eve "Confirm for quinn"
GIT_SSH_COMMAND=$(gl_ssh login-eve)
push_refused "a confirmation in quinn's name pushed by eve is refused" ack.not-self $ACKS origin HEAD:$ACKS
expect_contains "it says who pushed" "and they are not the pusher"
git checkout -q -B acks origin/docctl/acks
printf 'eve\tSP-001\tA/0\t2026-06-01\tread\teve\n' >>acks/eve.txt
commit_as eve "Confirm without being a reader"
push_refused "eve, who is no reader, is refused even as the pusher" ack.not-reader $ACKS origin HEAD:$ACKS
done_testing
