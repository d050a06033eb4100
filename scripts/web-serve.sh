#!/usr/bin/env bash
# web-serve.sh - docctl-web (reference §12) for trying it out: a lighttpd on
# 127.0.0.1 at a free port, as the current user, with basic auth (a plain
# file of USER:PASSWORD lines) in front of docctl-web run in a bare
# repository with docctl's hooks. demo.sh and the e2e tests
# (tests/e2e/lib/web.sh) start it so. A production server wants HTTPS and
# its own accounts: docctl-web(8) has the recipes for lighttpd, nginx with
# fcgiwrap and Apache.
#
#   scripts/web-serve.sh DIR BARE USER:PASSWORD...
#       writes DIR/cgi/docctl-web.cgi (the two-line wrapper: into BARE, then
#       docctl-web), DIR/users and DIR/lighttpd.conf, starts lighttpd in the
#       background (its pid in DIR/lighttpd.pid, its errors in DIR/error.log)
#       and prints the URL, http://127.0.0.1:PORT/qms, once it answers.
#       Exit 1 when it does not start.
#   scripts/web-serve.sh --stop DIR
#       stops it.
#
# DOCCTL is docctl (default: `docctl` on PATH); DOCCTL_WEB is docctl-web
# (default: beside DOCCTL, or in the build's src/web); DOCCTL_LOCALEDIR is
# passed on when set.
set -euo pipefail

if [ "${1:-}" = --stop ]; then
	[ -s "$2/lighttpd.pid" ] && kill "$(cat "$2/lighttpd.pid")" 2>/dev/null || true
	rm -f "$2/lighttpd.pid"
	exit 0
fi
if [ $# -lt 3 ]; then
	echo "usage: scripts/web-serve.sh DIR BARE USER:PASSWORD... | --stop DIR" >&2
	exit 2
fi
dir=$1 bare=$(cd "$2" && pwd)
shift 2
DOCCTL=${DOCCTL:-$(command -v docctl || echo docctl)}
if [ -z "${DOCCTL_WEB:-}" ]; then
	DOCCTL_WEB=$(dirname "$DOCCTL")/docctl-web
	[ -x "$DOCCTL_WEB" ] || DOCCTL_WEB=$(cd "$(dirname "$DOCCTL")/../web" 2>/dev/null && pwd)/docctl-web
fi
mkdir -p "$dir/cgi"
dir=$(cd "$dir" && pwd)
printf '%s\n' "$@" >"$dir/users"
cat >"$dir/cgi/docctl-web.cgi" <<EOS
#!/bin/sh
cd '$bare' && PATH='$PATH' DOCCTL='$DOCCTL' ${DOCCTL_LOCALEDIR:+DOCCTL_LOCALEDIR='$DOCCTL_LOCALEDIR' }exec '$DOCCTL_WEB'
EOS
chmod +x "$dir/cgi/docctl-web.cgi"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$dir/lighttpd.conf" <<EOS
server.modules = ("mod_alias", "mod_auth", "mod_authn_file", "mod_cgi")
server.document-root = "$dir/cgi"
server.bind = "127.0.0.1"
server.port = $port
server.pid-file = "$dir/lighttpd.pid"
server.errorlog = "$dir/error.log"
server.max-worker = 0
alias.url = ("/qms" => "$dir/cgi/docctl-web.cgi")
cgi.assign = ("" => "")
auth.backend = "plain"
auth.backend.plain.userfile = "$dir/users"
auth.require = ("/qms" => ("method" => "basic", "realm" => "qms", "require" => "valid-user"))
EOS
lighttpd -f "$dir/lighttpd.conf" || exit 1
for _ in $(seq 50); do
	if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
		echo "http://127.0.0.1:$port/qms"
		exit 0
	fi
	sleep 0.1
done
echo "scripts/web-serve.sh: lighttpd does not answer on port $port: $(cat "$dir/error.log" 2>/dev/null)" >&2
exit 1
