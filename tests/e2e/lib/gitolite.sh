# gitolite.sh - a real gitolite3 behind a real sshd on 127.0.0.1, for e2e tests.
#
# Source it, then (as root):
#   gl_setup DIR                       # fresh gitolite for user gl, sshd on a free port
#   trap gl_teardown EXIT
#   gl_add_user alice alice.pub        # keydir/alice.pub: GL_USER=alice
#   gl_add_repo docs "RW+ = alice bob" # one or more rule lines for "repo docs"
#   gl_install_pre_receive docs hook   # ~gl/repositories/docs.git/hooks/pre-receive
#   GIT_SSH_COMMAND=$(gl_ssh alice) git clone "$(gl_url docs)"
#   gl_teardown                        # stops sshd, removes what gl_setup made
#
# Exported after gl_setup: GL_PORT, GL_ADMIN_KEY, GL_WORK (=DIR), GL_HOME (~gl),
# GL_KNOWN_HOSTS. The unix user gl is shared by every caller, so gl_setup takes
# an exclusive lock that gl_teardown releases: gitolite tests run one at a time
# even under a parallel `meson test`. gitolite owns each repository's update
# hook (its access rules); a test installs only pre-receive. Functions return
# non-zero on failure and print what went wrong (and the setup log) to stderr.

GL_LOCK_FILE=${GL_LOCK_FILE:-/tmp/docctl-gitolite.lock}

gl__log() {
	"$@" >>"$GL_WORK/setup.log" 2>&1
}

gl__fail() {
	echo "gitolite.sh: $*" >&2
	if [ -n "${GL_WORK:-}" ] && [ -f "$GL_WORK/setup.log" ]; then
		echo "--- $GL_WORK/setup.log (tail) ---" >&2
		tail -n 30 "$GL_WORK/setup.log" >&2
	fi
	if [ -n "${GL_WORK:-}" ] && [ -f "$GL_WORK/sshd.log" ]; then
		echo "--- $GL_WORK/sshd.log (tail) ---" >&2
		tail -n 10 "$GL_WORK/sshd.log" >&2
	fi
	return 1
}

# Prints a GIT_SSH_COMMAND value that logs in to gitolite with KEYFILE (a
# private key; a name without a slash means $GL_WORK/keys/NAME).
gl_ssh() {
	local key=$1
	case $key in */*) ;; *) key=$GL_WORK/keys/$key ;; esac
	printf 'ssh -F /dev/null -p %s -i %q -o IdentitiesOnly=yes -o BatchMode=yes' "$GL_PORT" "$key"
	printf ' -o StrictHostKeyChecking=yes -o UserKnownHostsFile=%q -o LogLevel=ERROR\n' "$GL_KNOWN_HOSTS"
}

# Prints the URL of repository REPO (the port is in gl_ssh's command).
gl_url() {
	printf 'gl@127.0.0.1:%s\n' "$1"
}

# Makes an ed25519 key pair $GL_WORK/keys/NAME{,.pub}; prints the private key's path.
gl_keygen() {
	mkdir -p "$GL_WORK/keys" || return 1
	rm -f "$GL_WORK/keys/$1" "$GL_WORK/keys/$1.pub"
	ssh-keygen -q -t ed25519 -N '' -C "$1@docctl-test" -f "$GL_WORK/keys/$1" || return 1
	printf '%s\n' "$GL_WORK/keys/$1"
}

gl__free_port() {
	local py
	py=$(command -v /usr/bin/python3 || command -v python3) || return 1
	"$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null
}

gl__accepts() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts sshd on the first port that binds: a kernel-chosen one, else 22220..22299.
gl__start_sshd() {
	local port ports
	ports="$(gl__free_port) $(seq 22220 22299)"
	mkdir -p /run/sshd && chmod 0755 /run/sshd || return 1
	for port in $ports; do
		gl__accepts "$port" && continue
		cat >"$GL_WORK/sshd_config" <<-EOF
			Port $port
			ListenAddress 127.0.0.1
			HostKey $GL_WORK/hostkey
			PidFile $GL_WORK/sshd.pid
			AuthorizedKeysFile .ssh/authorized_keys
			AllowUsers gl
			PermitRootLogin no
			PasswordAuthentication no
			KbdInteractiveAuthentication no
			PubkeyAuthentication yes
			UsePAM no
			StrictModes no
			UseDNS no
			X11Forwarding no
			AllowTcpForwarding no
			PrintMotd no
			LogLevel VERBOSE
		EOF
		if /usr/sbin/sshd -f "$GL_WORK/sshd_config" -E "$GL_WORK/sshd.log"; then
			GL_PORT=$port
			return 0
		fi
		grep -qiE 'bind|address already in use' "$GL_WORK/sshd.log" 2>/dev/null || return 1
	done
	return 1
}

# gl_setup DIR: DIR (created if missing) holds keys, sshd's files and the
# gitolite-admin clone. Resets any earlier gitolite of user gl.
gl_setup() {
	local dir=${1:?usage: gl_setup DIR} _
	GL_WORK=
	GL__CREATED_WORK=
	if [ ! -d "$dir" ]; then
		mkdir -p "$dir" || return 1
		GL__CREATED_WORK=1
	fi
	GL_WORK=$(cd "$dir" && pwd) || return 1
	export GL_WORK
	: >"$GL_WORK/setup.log"

	exec {GL__LOCK_FD}>>"$GL_LOCK_FILE" || return 1
	flock -w 600 "$GL__LOCK_FD" || gl__fail "another gitolite test holds $GL_LOCK_FILE" || return 1

	if ! getent passwd gl >/dev/null; then
		gl__log useradd -m -s /bin/bash gl || gl__fail "cannot create user gl" || return 1
	fi
	gl__log usermod -p '*' gl || gl__fail "cannot unlock user gl" || return 1
	GL_HOME=$(getent passwd gl | cut -d: -f6)
	export GL_HOME
	[ -d "$GL_HOME" ] || gl__fail "home of gl '$GL_HOME' is missing" || return 1
	rm -rf "$GL_HOME/.gitolite" "$GL_HOME/.gitolite.rc" "$GL_HOME/repositories" \
		"$GL_HOME/projects.list" "$GL_HOME/.ssh/authorized_keys" "$GL_HOME/admin.pub"

	GL_ADMIN_KEY=$(gl_keygen admin) || gl__fail "cannot make the admin key" || return 1
	export GL_ADMIN_KEY
	install -o gl -m 0644 "$GL_ADMIN_KEY.pub" "$GL_HOME/admin.pub" || return 1
	gl__log su - gl -c 'gitolite setup -pk admin.pub' || gl__fail "gitolite setup failed" || return 1
	rm -f "$GL_HOME/admin.pub"

	rm -f "$GL_WORK/hostkey" "$GL_WORK/hostkey.pub"
	ssh-keygen -q -t ed25519 -N '' -C docctl-test-host -f "$GL_WORK/hostkey" || return 1
	gl__start_sshd || gl__fail "cannot start sshd" || return 1
	export GL_PORT
	GL_KNOWN_HOSTS=$GL_WORK/known_hosts
	export GL_KNOWN_HOSTS
	printf '[127.0.0.1]:%s %s\n' "$GL_PORT" "$(cut -d' ' -f1,2 "$GL_WORK/hostkey.pub")" >"$GL_KNOWN_HOSTS"

	for _ in $(seq 1 50); do
		gl__accepts "$GL_PORT" && break
		sleep 0.1
	done
	gl__log env GIT_SSH_COMMAND="$(gl_ssh "$GL_ADMIN_KEY")" git clone "$(gl_url gitolite-admin)" "$GL_WORK/gitolite-admin" ||
		gl__fail "cannot clone gitolite-admin over ssh on port $GL_PORT" || return 1
	git -C "$GL_WORK/gitolite-admin" config user.name "gitolite admin"
	git -C "$GL_WORK/gitolite-admin" config user.email admin@docctl-test
}

gl__admin_push() {
	local msg=$1
	gl__log git -C "$GL_WORK/gitolite-admin" add -A &&
		gl__log git -C "$GL_WORK/gitolite-admin" commit -q -m "$msg" &&
		gl__log env GIT_SSH_COMMAND="$(gl_ssh "$GL_ADMIN_KEY")" git -C "$GL_WORK/gitolite-admin" push -q origin HEAD ||
		gl__fail "cannot push gitolite-admin: $msg"
}

# gl_add_user NAME PUBKEYFILE: NAME becomes GL_USER for that key.
gl_add_user() {
	local name=${1:?usage: gl_add_user NAME PUBKEYFILE} pub=${2:?usage: gl_add_user NAME PUBKEYFILE}
	cp "$pub" "$GL_WORK/gitolite-admin/keydir/$name.pub" || return 1
	gl__admin_push "add user $name"
}

# gl_add_repo REPO RULE...: appends "repo REPO" with each RULE ("RW+ = alice bob")
# as a line of conf/gitolite.conf; gitolite creates the repository on push.
gl_add_repo() {
	local repo=${1:?usage: gl_add_repo REPO RULE...} rule
	shift
	{
		printf '\nrepo %s\n' "$repo"
		for rule in "$@"; do
			printf '    %s\n' "$rule"
		done
	} >>"$GL_WORK/gitolite-admin/conf/gitolite.conf" || return 1
	gl__admin_push "add repo $repo" || return 1
	[ -d "$GL_HOME/repositories/$repo.git" ] || gl__fail "gitolite did not create $repo.git"
}

# gl_install_pre_receive REPO HOOKFILE: the hook runs as gl with GL_USER set.
gl_install_pre_receive() {
	local repo=${1:?usage: gl_install_pre_receive REPO HOOKFILE} hook=${2:?usage: gl_install_pre_receive REPO HOOKFILE}
	local dir=$GL_HOME/repositories/$repo.git/hooks
	[ -d "$dir" ] || gl__fail "no repository '$repo' in gitolite" || return 1
	install -o gl -g "$(id -gn gl)" -m 0755 "$hook" "$dir/pre-receive"
}

# Stops sshd (by its PidFile) and removes what gl_setup made. Safe to call twice.
gl_teardown() {
	local pid _
	[ -n "${GL_WORK:-}" ] || return 0
	if [ -f "$GL_WORK/sshd.pid" ]; then
		pid=$(cat "$GL_WORK/sshd.pid")
		if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
			for _ in $(seq 1 50); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
			kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
		fi
		rm -f "$GL_WORK/sshd.pid"
	fi
	if [ -n "${GL__CREATED_WORK:-}" ]; then
		rm -rf "$GL_WORK"
	else
		rm -rf "$GL_WORK/keys" "$GL_WORK/gitolite-admin" "$GL_WORK/hostkey" "$GL_WORK/hostkey.pub" \
			"$GL_WORK/sshd_config" "$GL_WORK/sshd.log" "$GL_WORK/known_hosts" "$GL_WORK/setup.log"
	fi
	if [ -n "${GL__LOCK_FD:-}" ]; then
		exec {GL__LOCK_FD}>&-
		GL__LOCK_FD=
	fi
	GL_WORK=
	GL__CREATED_WORK=
	return 0
}
