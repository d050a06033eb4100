#!/bin/bash
# t9000-gitolite-harness.sh - proves the gitolite harness (lib/gitolite.sh):
# a real gitolite3 behind a real sshd on 127.0.0.1 runs a repository's
# pre-receive hook with GL_USER set to the pushing key's name, the pusher
# sees the hook's refusal as "remote:" lines, and teardown stops sshd.
# TAP output; skipped unless run as root.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/gitolite.sh"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (creates user gl and runs sshd)"
	exit 0
fi

echo "1..10"
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}
check() {
	local what=$1
	shift
	"$@"
	ok $? "$what"
}
bail() {
	echo "Bail out! $*"
	exit 1
}

WORK=$(mktemp -d)
trap 'gl_teardown; rm -rf "$WORK"' EXIT
trap 'exit 1' HUP INT PIPE TERM
export GIT_CONFIG_NOSYSTEM=1 HOME="$WORK/home"
mkdir -p "$HOME"
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.com
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.com

start=$(date +%s%N)
gl_setup "$WORK/gl"
ok $? "gl_setup starts gitolite behind sshd on 127.0.0.1:${GL_PORT:-?}"
[ -n "${GL_PORT:-}" ] || bail "gl_setup failed"
alice=$(gl_keygen alice) && bob=$(gl_keygen bob) &&
	gl_add_user alice "$alice.pub" && gl_add_user bob "$bob.pub" &&
	gl_add_repo docs "RW+ = alice bob"
ok $? "gl_add_user alice, bob and gl_add_repo docs with RW+ for both"
ms=$((($(date +%s%N) - start) / 1000000))
printf '# setup (gitolite, sshd, 2 users, 1 repo) took %d.%03d s\n' $((ms / 1000)) $((ms % 1000))

cat >"$WORK/pre-receive" <<'EOF'
#!/bin/sh
printf '%s\n' "$GL_USER" >>gl-user.log
if [ "$GL_USER" = bob ]; then
	echo "refused: bob may not push to this repository" >&2
	exit 1
fi
exit 0
EOF
gl_install_pre_receive docs "$WORK/pre-receive"
hook=$GL_HOME/repositories/docs.git/hooks
[ -x "$hook/pre-receive" ] && [ "$(stat -c %U "$hook/pre-receive")" = gl ] && [ -L "$hook/update" ]
ok $? "pre-receive installed, owned by gl; gitolite's update hook untouched"

GIT_SSH_COMMAND=$(gl_ssh "$alice") git clone -q "$(gl_url docs)" "$WORK/alice" 2>"$WORK/clone.err"
ok $? "alice clones docs over ssh"

(
	cd "$WORK/alice" && echo one >a.md && git add a.md && git commit -q -m "alice's change" &&
		GIT_SSH_COMMAND=$(gl_ssh "$alice") git push -q origin HEAD:refs/heads/main 2>"$WORK/alice.err"
)
ok $? "alice's push is accepted"
check "the hook saw GL_USER=alice" \
	test "$(cat "$GL_HOME/repositories/docs.git/gl-user.log" 2>/dev/null)" = alice

GIT_SSH_COMMAND=$(gl_ssh "$bob") git clone -q -b main "$(gl_url docs)" "$WORK/bob" 2>>"$WORK/clone.err" &&
	(
		cd "$WORK/bob" && echo two >b.md && git add b.md && git commit -q -m "bob's change" &&
			GIT_SSH_COMMAND=$(gl_ssh "$bob") git push origin HEAD:refs/heads/main 2>"$WORK/bob.err"
	)
rc=$?
[ $rc != 0 ] && grep -q '^remote: refused: bob may not push to this repository' "$WORK/bob.err"
ok $? "bob's push is refused and he sees the hook's message"
[ $rc != 0 ] && grep -q '^remote: refused' "$WORK/bob.err" || sed 's/^/# /' "$WORK/bob.err" "$WORK/clone.err"
check "the hook saw GL_USER=bob; the server still has alice's commit" \
	test "$(tail -n 1 "$GL_HOME/repositories/docs.git/gl-user.log")" = bob -a \
	"$(git -c safe.directory='*' -C "$GL_HOME/repositories/docs.git" rev-parse main)" = "$(git -C "$WORK/alice" rev-parse HEAD)"

pid=$(cat "$GL_WORK/sshd.pid")
port=$GL_PORT
config=$GL_WORK/sshd_config
gl_teardown
! kill -0 "$pid" 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null &&
	! pgrep -f -- "$config" >/dev/null
ok $? "gl_teardown stops sshd (pid $pid, port $port)"
gl_teardown && [ ! -e "$WORK/gl" ]
ok $? "gl_teardown is safe to call twice and removes its files"

exit $((failed > 0))
