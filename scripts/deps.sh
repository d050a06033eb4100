#!/usr/bin/env bash
# deps.sh - installs the Debian packages docctl needs to build and test, and
# only those that are missing. Run as root or with sudo available.
set -euo pipefail

BUILD="meson ninja-build pkg-config gcc libgit2-dev libyaml-dev libpcre2-dev libmd4c-dev libmd4c-html0-dev libsodium-dev libutf8proc-dev git python3"
TEST="libcmocka-dev openssh-client openssh-server gitolite3 clang chromium fonts-noto-cjk"
# the man pages (scdoc); what checks them, the completions, and the Debian
# package (tests/package/)
BUILD="$BUILD scdoc"
TEST="$TEST man-db groff-base bash-completion zsh dpkg-dev debhelper lintian"
# the translations: msgfmt and xgettext (po/), and the zh_CN.UTF-8 locale
# the tests run docctl in (t0810-locale-zh)
BUILD="$BUILD gettext"
TEST="$TEST locales"
# docctl-web behind a real web server (t0780-web): lighttpd and curl
TEST="$TEST lighttpd curl"
want="$BUILD"
[ "${1:-}" = "--test" ] && want="$BUILD $TEST"

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

zh_locale() {
	[ "${1:-}" = "--test" ] || return 0
	locale -a 2>/dev/null | grep -qix 'zh_CN.utf-\?8' && return 0
	echo "docctl: generating the zh_CN.UTF-8 locale" >&2
	$SUDO localedef -i zh_CN -f UTF-8 zh_CN.UTF-8
}

missing=()
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	zh_locale "${1:-}"
	exit 0
fi
echo "docctl: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
zh_locale "${1:-}"
