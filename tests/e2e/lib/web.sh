# web.sh - docctl-web behind a real lighttpd (reference §12), for the e2e
# tests (sourced after tap.sh and server.sh).
#
#   web_start BARE USER:PW...   scripts/web-serve.sh: lighttpd on 127.0.0.1 at
#                               a free port, as the current user, mod_cgi +
#                               basic auth (plain file) in front of docctl-web
#                               run in the bare repository BARE; sets WEB_URL
#                               (http://127.0.0.1:PORT/qms), WEB_PORT and WEB_DIR
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

WEB_SERVE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../scripts" && pwd)/web-serve.sh

web_start() {
	local bare=$1
	shift
	WEB_DIR=$(scratch)
	trap 'web_stop; tap_cleanup' EXIT
	WEB_URL=$(DOCCTL_WEB=$DOCCTL_WEB DOCCTL_LOCALEDIR=${DOCCTL_LOCALEDIR:-$(cd "$(dirname "$DOCCTL")/../.." 2>/dev/null && pwd)/po} \
		"$WEB_SERVE" "$WEB_DIR" "$bare" "$@") || return 1
	WEB_PORT=${WEB_URL#http://127.0.0.1:}
	WEB_PORT=${WEB_PORT%%/*}
}

web_stop() {
	[ -z "${WEB_DIR:-}" ] || "$WEB_SERVE" --stop "$WEB_DIR"
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
