#!/bin/bash
# t0960-deb.sh - the Debian package: `dpkg-buildpackage -us -uc -b` in a
# scratch copy of the source builds docctl_*.deb; it holds the binary, the
# hook shim, the man pages in English and Chinese, the completions and
# init's templates, the zh_CN catalogue; lintian finds no error; and the packaged binary, unpacked
# with `dpkg -x`, runs: --help, and check on a copy of the packaged
# sample-repo.
# Skipped where dpkg-buildpackage (dpkg-dev) or debhelper is missing.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../e2e/lib/tap.sh"
SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$HERE/../.." && pwd)}

if ! command -v dpkg-buildpackage >/dev/null || ! command -v dh >/dev/null; then
	echo "1..0 # SKIP dpkg-buildpackage or dh is missing (Debian: dpkg-dev debhelper; scripts/deps.sh --test)"
	exit 0
fi
if ! (cd "$SOURCE_ROOT" && dpkg-checkbuilddeps -P nocheck) >/dev/null 2>&1; then
	echo "1..0 # SKIP the package's build dependencies are not installed (scripts/deps.sh --test)"
	exit 0
fi

T=$(scratch)
mkdir "$T/src"
# the source as it stands (tracked files and new ones that are not ignored)
if [ -e "$SOURCE_ROOT/.git" ]; then
	git -C "$SOURCE_ROOT" ls-files -co --exclude-standard -z | (cd "$SOURCE_ROOT" && tar --null -T - -cf -) |
		tar -xf - -C "$T/src"
else
	(cd "$SOURCE_ROOT" && tar --exclude='./build*' --exclude=./.git -cf - .) | tar -xf - -C "$T/src"
fi
start=$(date +%s)
# quick: no tests, no debug symbols, no optimisation (the package's files
# and their places are what is tested here; debian/rules is unchanged)
(cd "$T/src" && DEB_BUILD_OPTIONS="nocheck noddebs noopt parallel=$(nproc)" DEB_CFLAGS_APPEND=-g0 \
	dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1
rc=$?
deb=$(ls "$T"/docctl_*_*.deb 2>/dev/null | head -1)
if [ "$rc" = 0 ] && [ -f "$deb" ]; then pass "dpkg-buildpackage -us -uc -b builds $(basename "$deb") ($(($(date +%s) - start)) s)"
else
	fail "dpkg-buildpackage -us -uc -b builds docctl_*.deb" "$(tail -n 30 "$T/build.log")"
	plan "$TAP_N"
	exit 1
fi

contents=$(dpkg-deb -c "$deb")
list=$(awk '{ print $6 }' <<<"$contents" | sed 's|^\./|/|')
missing=""
for f in /usr/bin/docctl /usr/share/docctl/hooks/docctl-hook \
	/usr/share/man/man1/docctl.1.gz /usr/share/man/man5/docctl.yaml.5.gz /usr/share/man/man7/docctl-documents.7.gz \
	/usr/share/man/zh_CN/man1/docctl.1.gz /usr/share/man/zh_CN/man5/docctl.yaml.5.gz \
	/usr/share/man/zh_CN/man7/docctl-documents.7.gz \
	/usr/share/bash-completion/completions/docctl /usr/share/zsh/vendor-completions/_docctl \
	/usr/share/docctl/templates/docctl.yaml /usr/share/docctl/schema/document.schema.yaml \
	/usr/share/doc/docctl/copyright /usr/share/doc/docctl/examples/sample-repo/docctl.yaml \
	/usr/share/locale/zh_CN/LC_MESSAGES/docctl.mo; do
	grep -qx -- "$f" <<<"$list" || missing="$missing $f"
done
if [ -z "$missing" ]; then pass "the package holds the binary, the shim, man pages (en, zh_CN), completions, templates, sample-repo, the zh_CN catalogue"
else fail "the package holds every file" "missing:$missing
$list"; fi
if grep -q '^-rwxr-xr-x .* \./usr/share/docctl/hooks/docctl-hook$' <<<"$contents" &&
   dpkg-deb -f "$deb" Depends | grep -q 'git' && dpkg-deb -f "$deb" Depends | grep -q 'libgit2'; then
	pass "the shim is executable; Depends names git and the libraries"
else fail "the shim is executable; Depends names git and the libraries" "$(dpkg-deb -f "$deb" Depends)"; fi

X=$T/root
dpkg -x "$deb" "$X"
if grep -qF 'DOCCTL=${DOCCTL:-/usr/bin/docctl}' "$X/usr/share/docctl/hooks/docctl-hook"; then
	pass "the packaged shim runs /usr/bin/docctl"
else fail "the packaged shim runs /usr/bin/docctl" "$(grep -n DOCCTL= "$X/usr/share/docctl/hooks/docctl-hook")"; fi
run "$X/usr/bin/docctl" --help
if [ "$RC" = 0 ] && grep -q '^   check ' <<<"$OUT" && grep -q '^   publish ' <<<"$OUT"; then
	pass "the packaged docctl --help lists the commands"
else fail "the packaged docctl --help lists the commands" "rc $RC
$OUT
$ERR"; fi
# the packaged sample-repo, as a user copies it (examples are not compressed)
cp -r "$X/usr/share/doc/docctl/examples/sample-repo" "$T/repo"
git -C "$T/repo" init -q
run env -C "$T/repo" DOCCTL_AS_OF=2026-06-01 "$X/usr/bin/docctl" check --format json
if [ "$RC" = 0 ] && [ "${OUT:0:1}" = "[" ]; then pass "the packaged docctl checks the packaged sample-repo (exit 0)"
else fail "the packaged docctl checks the packaged sample-repo (exit 0)" "rc $RC
$OUT
$ERR"; fi
sed -i 's/^status: approved$/status: aproved/' "$T/repo/docs/procedures/SP-004"*.md
run env -C "$T/repo" DOCCTL_AS_OF=2026-06-01 "$X/usr/bin/docctl" check
if [ "$RC" = 1 ] && grep -q 'SP-004.*\[schema.enum\]' <<<"$OUT$ERR"; then pass "and finds a broken status (exit 1)"
else fail "and finds a broken status (exit 1)" "rc $RC
$OUT
$ERR"; fi

if command -v man >/dev/null; then
	zh=$(MANPATH=$X/usr/share/man LC_ALL=C.UTF-8 man -L zh_CN -P cat docctl 2>&1)
	if grep -q '受控文件' <<<"$zh"; then pass "man -L zh_CN docctl finds the packaged Chinese page"
	else fail "man -L zh_CN docctl finds the packaged Chinese page" "$(head -5 <<<"$zh")"; fi
fi

if command -v lintian >/dev/null; then
	lintian "$T"/docctl_*.changes >"$T/lintian.out" 2>&1
	errors=$(grep '^E: ' "$T/lintian.out")
	if [ -z "$errors" ]; then pass "lintian: no errors"
	else fail "lintian: no errors" "$errors"; fi
	sed -n 's/^\([WI]: .*\)/# lintian: \1/p' "$T/lintian.out"
else
	echo "# lintian is not installed; not run"
fi

plan "$TAP_N"
done_testing
