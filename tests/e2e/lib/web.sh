# web.sh - docctl-web behind a real lighttpd (reference §12), for the e2e
# tests (sourced after tap.sh and server.sh).
#
#   web_start BARE USER:PW...   lighttpd on 127.0.0.1 at a free port, as the
#                               current user, mod_cgi + basic auth (plain
#                               file) in front of docctl-web run in the bare
#                               repository BARE; sets WEB_URL
#                               (http://127.0.0.1:PORT/qms) and WEB_DIR
#   web_stop                    stops it (also done at exit)
#   web_get USER:PW PATH        curl GET; sets CODE (HTTP status), BODY, HDRS
#   web_post USER:PW PATH DATA  curl POST of a form; the same
#   web_token USER:PW           the anti-CSRF token of that person's pages
#
# DOCCTL_WEB is docctl-web (default: beside the build's docctl, or in the
# same folder when installed).

if [ -z "${DOCCTL_WEB:-}" ]; then
	DOCCTL_WEB=$(dirname "$DOCCTL")/docctl-web
	[ -x "$DOCCTL_WEB" ] || DOCCTL_WEB=$(cd "$(dirname "$DOCCTL")/../web" 2>/dev/null && pwd)/docctl-web
fi

web_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

web_start() {
	local bare=$1 u port localedir
	shift
	WEB_DIR=$(scratch)
	mkdir -p "$WEB_DIR/cgi"
	: >"$WEB_DIR/users"
	for u in "$@"; do echo "$u" >>"$WEB_DIR/users"; done
	localedir=${DOCCTL_LOCALEDIR:-$(cd "$(dirname "$DOCCTL")/../.." 2>/dev/null && pwd)/po}
	# the two-line wrapper: into the bare repository, then docctl-web
	cat >"$WEB_DIR/cgi/docctl-web.cgi" <<EOS
#!/bin/sh
cd '$bare' && PATH='$PATH' DOCCTL='$DOCCTL' DOCCTL_LOCALEDIR='$localedir' exec '$DOCCTL_WEB'
EOS
	chmod +x "$WEB_DIR/cgi/docctl-web.cgi"
	port=$(web_free_port) || return 1
	cat >"$WEB_DIR/lighttpd.conf" <<EOS
server.modules = ("mod_alias", "mod_auth", "mod_authn_file", "mod_cgi", "mod_setenv")
server.document-root = "$WEB_DIR/cgi"
server.bind = "127.0.0.1"
server.port = $port
server.pid-file = "$WEB_DIR/lighttpd.pid"
server.errorlog = "$WEB_DIR/error.log"
server.max-worker = 0
alias.url = ("/qms" => "$WEB_DIR/cgi/docctl-web.cgi")
cgi.assign = ("" => "")
auth.backend = "plain"
auth.backend.plain.userfile = "$WEB_DIR/users"
auth.require = ("/qms" => ("method" => "basic", "realm" => "qms", "require" => "valid-user"))
EOS
	lighttpd -f "$WEB_DIR/lighttpd.conf" || return 1
	WEB_PORT=$port
	WEB_URL=http://127.0.0.1:$port/qms
	trap 'web_stop; tap_cleanup' EXIT
	local i
	for i in $(seq 50); do
		curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
		sleep 0.1
	done
	return 1
}

web_stop() {
	if [ -n "${WEB_DIR:-}" ] && [ -s "$WEB_DIR/lighttpd.pid" ]; then
		kill "$(cat "$WEB_DIR/lighttpd.pid")" 2>/dev/null
		rm -f "$WEB_DIR/lighttpd.pid"
	fi
}

web_get() {
	local h
	h=$(scratch)/h
	BODY=$(curl -s -u "$1" -D "$h" -o - -w '\n%{http_code}' ${WEB_CURL_ARGS:-} "$WEB_URL$2")
	CODE=${BODY##*$'\n'}
	BODY=${BODY%$'\n'*}
	HDRS=$(cat "$h")
}

web_post() {
	local h
	h=$(scratch)/h
	BODY=$(curl -s -u "$1" -D "$h" -o - -w '\n%{http_code}' ${WEB_CURL_ARGS:-} --data-binary "$3" \
		-H 'Content-Type: application/x-www-form-urlencoded' "$WEB_URL$2")
	CODE=${BODY##*$'\n'}
	BODY=${BODY%$'\n'*}
	HDRS=$(cat "$h")
}

web_token() {
	web_get "$1" "?p=feedback"
	sed -n 's/.*name="token" value="\([0-9a-f]*\)".*/\1/p' <<<"$BODY" | head -1
}
