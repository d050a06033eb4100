#!/bin/bash
# t0950-install.sh - `meson install` into a fresh prefix, and what a user
# then finds there: the binary; the hook shim with the installed binary's
# path in it, which the installed `docctl init --hooks` copies (and whose
# hooks then run); init's templates as `docctl init` writes them; man pages
# that `man` and `man -L zh_CN` find; the bash completion where
# bash-completion loads it on demand and the zsh one where compinit finds it.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../e2e/lib/tap.sh"
SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$HERE/../.." && pwd)}

T=$(scratch)
P=$T/prefix
B=$T/build
# A machine without the test-only packages builds and installs docctl: the
# build is configured with cmocka hidden from pkg-config (the unit tests are
# left out and the summary says so). The binaries and the man pages only,
# without optimisation: quick.
pcdir=$T/pkgconfig
mkdir "$pcdir"
for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
	for f in "$d"/*.pc; do
		[ -e "$f" ] && [ "$(basename "$f")" != cmocka.pc ] && ln -sf "$f" "$pcdir/"
	done
done
if ! PKG_CONFIG_LIBDIR=$pcdir meson setup "$B" "$SOURCE_ROOT" --prefix="$P" -Dbuildtype=debug >"$T/setup.log" 2>&1 ||
   ! ninja -C "$B" src/cli/docctl src/web/docctl-web $(cd "$SOURCE_ROOT/man" && ls *.scd | sed 's/\.scd$//; s|^|man/|; p; s|^man/|man/zh_CN/|') \
	$(ninja -C "$B" -t targets all 2>/dev/null | grep -o '^po/[^:]*\.mo') \
	>"$T/build.log" 2>&1 ||
   ! meson install -C "$B" --no-rebuild >"$T/install.log" 2>&1; then
	echo "1..1"
	fail "meson setup, build and install into a fresh prefix" "$(for l in "$T"/*.log; do tail -n 20 "$l"; done)"
	exit 1
fi
pass "meson setup, build and install into a fresh prefix"
if grep -q "unit tests (cmocka): no" "$B/meson-logs/meson-log.txt"; then
	pass "without cmocka the build leaves the unit tests out, and its summary says so"
else
	fail "without cmocka the build leaves the unit tests out, and its summary says so" "$(tail -n 30 "$T/setup.log")"
fi

have_man=0
[ -f "$B/man/docctl.1" ] && have_man=1
want="bin/docctl bin/docctl-web share/docctl/hooks/docctl-hook share/docctl/templates/docctl.yaml
share/docctl/templates/allowed_signers share/docctl/schema/document.schema.yaml
share/zsh/vendor-completions/_docctl"
bashdir=$(pkg-config --variable=completionsdir bash-completion 2>/dev/null)
want="$want share/bash-completion/completions/docctl"
[ "$have_man" = 1 ] && want="$want share/man/man1/docctl.1 share/man/man5/docctl.yaml.5
share/man/man7/docctl-documents.7 share/man/zh_CN/man1/docctl.1 share/man/zh_CN/man5/docctl.yaml.5
share/man/zh_CN/man7/docctl-documents.7"
missing=""
for f in $want; do [ -f "$P/$f" ] || missing="$missing $f"; done
if [ -z "$missing" ]; then pass "installed: $(wc -w <<<"$want") files$([ "$have_man" = 1 ] || echo ' (no man pages: no scdoc)')"
else fail "installed: every file" "missing:$missing
$(cd "$P" && find . -type f | sort)"; fi
[ -n "$bashdir" ] && [ "${bashdir#/usr/share/}" = bash-completion/completions ] &&
	echo "# bash-completion's completionsdir is $bashdir (relocated under the prefix)"

shim=$P/share/docctl/hooks/docctl-hook
if [ -x "$shim" ] && grep -qF "DOCCTL=\${DOCCTL:-$P/bin/docctl}" "$shim" && ! grep -q '@DOCCTL@' "$shim"; then
	pass "the installed shim is executable and runs the installed docctl"
else fail "the installed shim is executable and runs the installed docctl" "$(ls -l "$shim"; grep -n DOCCTL= "$shim")"; fi

# the installed docctl copies the installed shim (an administrator's
# addition to it shows that it is that file, not the one in the binary)
echo "# site note: hooks of example.com" >>"$shim"
R=$T/repo
cp -r "$SOURCE_ROOT/sample-repo" "$R"
git -C "$R" init -q
git -C "$R" add -A
git -C "$R" commit -qm "Sample repository" --no-verify
(cd "$R" && "$P/bin/docctl" init --hooks >"$T/hooks.out" 2>&1)
if cmp -s "$shim" "$R/.git/hooks/pre-commit" && cmp -s "$shim" "$R/.git/hooks/commit-msg"; then
	pass "installed 'docctl init --hooks' installs the installed shim"
else fail "installed 'docctl init --hooks' installs the installed shim" "$(cat "$T/hooks.out")
$(diff "$shim" "$R/.git/hooks/pre-commit")"; fi
sed -i 's/^status: approved$/status: aproved/' "$R/docs/procedures/SP-004"*.md
git -C "$R" add -A
run git -C "$R" commit -qm "Break SP-004"
if [ "$RC" != 0 ] && grep -q 'schema.enum' <<<"$ERR"; then pass "and the hook runs the installed docctl, which refuses"
else fail "and the hook runs the installed docctl, which refuses" "rc $RC
$ERR"; fi
git -C "$R" reset -q --hard

# a build tree's docctl still carries its own shim (t0400 relies on it)
(cd "$R" && rm .git/hooks/pre-commit .git/hooks/commit-msg && "$DOCCTL" init --hooks >/dev/null)
if grep -qF "DOCCTL=\${DOCCTL:-$(readlink -f "$DOCCTL")}" "$R/.git/hooks/pre-commit" &&
   ! grep -q 'site note' "$R/.git/hooks/pre-commit"; then
	pass "a docctl that is not installed installs the shim it carries"
else fail "a docctl that is not installed installs the shim it carries" "$(grep -n 'DOCCTL=\|site' "$R/.git/hooks/pre-commit")"; fi

# init's templates: the installed copies are what init writes
N=$T/new
git init -q "$N"
(cd "$N" && "$P/bin/docctl" init >/dev/null 2>&1)
if cmp -s "$N/docctl.yaml" "$P/share/docctl/templates/docctl.yaml" &&
   cmp -s "$N/schema/document.schema.yaml" "$P/share/docctl/schema/document.schema.yaml" &&
   cmp -s "$N/.docctl/allowed_signers" "$P/share/docctl/templates/allowed_signers"; then
	pass "the installed templates are what 'docctl init' writes"
else fail "the installed templates are what 'docctl init' writes" "$(ls -la "$N" "$N/schema" "$N/.docctl")"; fi

if [ "$have_man" = 1 ] && command -v man >/dev/null; then
	en=$(MANPATH=$P/share/man LC_ALL=C.UTF-8 man -P cat docctl 2>&1)
	zh=$(MANPATH=$P/share/man LC_ALL=C.UTF-8 man -L zh_CN -P cat docctl 2>&1)
	yaml=$(MANPATH=$P/share/man LC_ALL=C.UTF-8 man -L zh_CN -P cat 5 docctl.yaml 2>&1)
	doc=$(MANPATH=$P/share/man LC_ALL=C.UTF-8 man -P cat docctl-documents 2>&1)
	if grep -q 'controlled documents (ISO 9001' <<<"$en" && grep -q '在 git 仓库中管理受控文件' <<<"$zh" &&
	   grep -q '受控文件仓库的策略文件' <<<"$yaml" && grep -q 'FIELD GROUPS' <<<"$doc"; then
		pass "man docctl, man -L zh_CN docctl and the pages of sections 5 and 7 are found"
	else fail "man docctl, man -L zh_CN docctl and the pages of sections 5 and 7 are found" "$(head -5 <<<"$en")
$(head -5 <<<"$zh")
$(head -5 <<<"$yaml")"; fi
	if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
		zh=$(MANPATH=$P/share/man LC_ALL=zh_CN.UTF-8 man -P cat docctl 2>&1)
		if grep -q '在 git 仓库中管理受控文件' <<<"$zh"; then pass "under LC_ALL=zh_CN.UTF-8, man docctl is the Chinese page"
		else fail "under LC_ALL=zh_CN.UTF-8, man docctl is the Chinese page" "$(head -5 <<<"$zh")"; fi
	fi
fi

# the catalogue (a build with NLS: gettext's msgfmt found), which the
# installed docctl finds without DOCCTL_LOCALEDIR
if [ -f "$B/po/zh_CN/LC_MESSAGES/docctl.mo" ]; then
	if [ -f "$P/share/locale/zh_CN/LC_MESSAGES/docctl.mo" ]; then pass "installed: share/locale/zh_CN/LC_MESSAGES/docctl.mo"
	else fail "installed: share/locale/zh_CN/LC_MESSAGES/docctl.mo" "$(cd "$P" && find . -name '*.mo')"; fi
	if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
		mkdir -p "$T/full" && echo x >"$T/full/x"
		run env -C "$R" -u DOCCTL_LOCALEDIR LC_ALL=zh_CN.UTF-8 "$P/bin/docctl" publish --out "$T/full"
		if grep -q '不是空文件夹' <<<"$ERR"; then pass "the installed docctl speaks Chinese under LC_ALL=zh_CN.UTF-8"
		else fail "the installed docctl speaks Chinese under LC_ALL=zh_CN.UTF-8" "$ERR"; fi
	fi
fi

if [ -f /usr/share/bash-completion/bash_completion ]; then
	got=$(XDG_DATA_DIRS=$P/share bash -c '. /usr/share/bash-completion/bash_completion
		__load_completion docctl && complete -p docctl' 2>&1)
	if [ "$got" = "complete -F _docctl docctl" ]; then pass "bash-completion loads the installed completion on demand"
	else fail "bash-completion loads the installed completion on demand" "$got"; fi
fi
if command -v zsh >/dev/null; then
	got=$(HOME=$T zsh -fc "fpath=($P/share/zsh/vendor-completions \$fpath); autoload -U compinit; compinit -u -D
		print -r -- \$_comps[docctl]" 2>&1)
	if [ "$got" = _docctl ]; then pass "zsh's compinit finds the installed completion"
	else fail "zsh's compinit finds the installed completion" "$got"; fi
fi

plan "$TAP_N"
done_testing
