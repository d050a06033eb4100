#!/bin/bash
# t0935-options.sh - every option of every command's table (src/cli, asked
# of `docctl __complete options CMD`) is described in that command's
# section of docctl(1), English and Chinese, as built; is listed by `docctl
# CMD --help` and `docctl help CMD` (the same text); and is offered by the
# bash completion after `docctl CMD --`. A usage error names the option
# closest to a misspelt one and exits 2.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../e2e/lib/tap.sh"
SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$HERE/../.." && pwd)}
BUILD_ROOT=${BUILD_ROOT:-$(cd "$(dirname "$DOCCTL")/../.." && pwd)}
M=$BUILD_ROOT/man

commands=$("$DOCCTL" __complete commands | cut -f1)
[ "$(wc -w <<<"$commands")" -ge 12 ] && pass "the table lists the commands ($(wc -w <<<"$commands"))" ||
	fail "the table lists the commands" "$commands"

# --help and help CMD
missing="" differ=""
for c in $commands; do
	help=$("$DOCCTL" "$c" --help) || missing="$missing $c:exit-$?"
	[ "$help" = "$("$DOCCTL" help "$c")" ] || differ="$differ $c"
	grep -q "^usage: docctl $c" <<<"$help" || missing="$missing $c:usage"
	grep -q "^examples:" <<<"$help" || missing="$missing $c:examples"
	for o in $("$DOCCTL" __complete options "$c" | cut -f1); do
		grep -q -- "$o\b" <<<"$help" || missing="$missing $c:$o"
	done
done
[ -z "$missing" ] && pass "docctl CMD --help shows the usage, every option of the table and examples" ||
	fail "docctl CMD --help shows the usage, every option of the table and examples" "missing:$missing"
[ -z "$differ" ] && pass "docctl help CMD prints the same" || fail "docctl help CMD prints the same" "differ:$differ"

# the man pages: each option described in its command's section (a line of
# its own, as scdoc's option items render), not only in its synopsis
if [ -f "$M/docctl.1" ] && command -v man >/dev/null; then
	for lang in en zh_CN; do
		f=$M/docctl.1
		[ $lang = zh_CN ] && f=$M/zh_CN/docctl.1
		page=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$f" 2>/dev/null)
		missing=""
		for c in $commands; do
			# from the command's heading (7 spaces, its name) to the next one
			sect=$(awk -v c="$c" -v all=" $(echo $commands) " '
				/^       [a-z_-]+( |$)/ { w = $1; if (index(all, " " w " ")) on = (w == c) }
				on' <<<"$page")
			body=$(tail -n +2 <<<"$sect") # described, not only in the synopsis line
			[ -n "$sect" ] || { missing="$missing $c:no-section"; continue; }
			for o in $("$DOCCTL" __complete options "$c" | cut -f1); do
				[ "$o" = --help ] && continue
				grep -q -- "^ *$o\b" <<<"$body" || missing="$missing $c:$o"
			done
		done
		[ -z "$missing" ] && pass "docctl(1) $lang: each command's section describes all its options" ||
			fail "docctl(1) $lang: each command's section describes all its options" "missing:$missing"
	done
else
	echo "# the man pages were not built (no scdoc) or man is missing: not checked"
fi

# the bash completion offers them
BC=/usr/share/bash-completion/bash_completion
if [ -f "$BC" ]; then
	T=$(scratch)
	BIN=$T/bin
	mkdir -p "$BIN"
	ln -s "$DOCCTL" "$BIN/docctl"
	missing=""
	for c in $commands; do
		got=$(cd "$T" && PATH=$BIN:$PATH bash -c '. "$1"; . "$2"
			COMP_WORDS=(docctl "$3" --); COMP_CWORD=2; COMP_LINE="docctl $3 --"; COMP_POINT=${#COMP_LINE}
			_docctl docctl -- "$3"; echo " ${COMPREPLY[*]} "' sh "$BC" "$SOURCE_ROOT/completions/docctl.bash" "$c" 2>&1)
		for o in $("$DOCCTL" __complete options "$c" | cut -f1); do
			[[ $got == *" $o "* ]] || missing="$missing $c:$o"
		done
	done
	[ -z "$missing" ] && pass "bash: docctl CMD -- offers every option of the table" ||
		fail "bash: docctl CMD -- offers every option of the table" "missing:$missing"
else
	echo "# bash-completion is not installed; completion not checked"
fi

# a misspelt option
run "$DOCCTL" check --strct
expect_rc() { [ "$RC" = "$1" ] && pass "$2" || fail "$2" "exit $RC: $ERR"; }
expect_rc 2 "a misspelt option is a usage error (exit 2)"
grep -qF "docctl check: unknown option '--strct'" <<<"$ERR" && grep -qF "did you mean --strict?" <<<"$ERR" &&
	grep -q -- "--format.*--strict.*--rev.*--as-of" <<<"$ERR" &&
	pass "... that names it, suggests --strict and lists the options" ||
	fail "... that names it, suggests --strict and lists the options" "$ERR"
run "$DOCCTL" register --format xml
grep -qF "md|csv|json|html" <<<"$ERR" && [ "$RC" = 2 ] && pass "a value not in the choices names the choices" ||
	fail "a value not in the choices names the choices" "exit $RC: $ERR"

plan "$TAP_N"
done_testing
