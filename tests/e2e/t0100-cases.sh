#!/usr/bin/env bash
# t0100-cases.sh - the data-driven cases of tests/cases/, in the style of
# cmark's spec tests: each *.case file holds a small repository and the exact
# diagnostics `docctl check` must print for it, side by side.
#
# A case file is a sequence of sections, each opened by a line starting "--- ":
#   --- file PATH            the following lines are the file PATH (verbatim)
#   --- file PATH noeol      the same, without the final newline
#   --- symlink PATH TARGET  a symbolic link
#   --- args ARGS...         extra arguments for docctl check
#   --- expect exit N        the following lines are the exact stdout
# Lines before the first section are the case's description (comments).
# Every case starts from tests/cases/base/ (a policy and the default schema).
# Each case runs three times, with docctl's cache cold, warm and deliberately
# corrupted: the findings must be the same each time.
. "$(dirname "$0")/lib/tap.sh"

CASES=${CASES_DIR:-$(cd "$(dirname "$0")/../cases" && pwd)}
files=$(cd "$CASES" && find . -name '*.case' | sort)
plan "$(echo "$files" | grep -c .)"

for f in $files; do
	name=${f#./}
	dir=$(scratch)
	cp -a "$CASES/base/." "$dir/"
	mkdir -p "$dir/schema" && cp "$CASES/../../schema/document.schema.yaml" "$dir/schema/"
	# split the case into files; writes "args" and "expect" and "exit" in $dir/.case
	mkdir -p "$dir/.case"
	awk -v root="$dir" '
	function close_out() {
		if (out == "") return
		printf "%s%s", buf, (started && !noeol ? "\n" : "") > out
		close(out); out = ""; buf = ""; started = 0
	}
	/^--- / {
		close_out()
		split($0, a, " ")
		if (a[2] == "file") {
			out = root "/" a[3]; noeol = (a[4] == "noeol")
			system("mkdir -p \"$(dirname \"" out "\")\"")
		} else if (a[2] == "symlink") {
			system("mkdir -p \"$(dirname \"" root "/" a[3] "\")\" && ln -s \"" a[4] "\" \"" root "/" a[3] "\"")
		} else if (a[2] == "args") {
			sub(/^--- args */, ""); print > (root "/.case/args"); close(root "/.case/args")
		} else if (a[2] == "expect") {
			print a[4] > (root "/.case/exit"); close(root "/.case/exit")
			out = root "/.case/expect"; noeol = 1
		}
		next
	}
	out != "" { buf = buf (started ? "\n" : "") $0; started = 1 }
	END { close_out() }' "$CASES/$name"
	want_exit=$(cat "$dir/.case/exit" 2>/dev/null || echo "?")
	args=$(cat "$dir/.case/args" 2>/dev/null)
	(cd "$dir" && git init -q . && mv .case ../"$(basename "$dir")".case)
	meta="$dir/../$(basename "$dir").case"
	TAP_TMPS+=("$meta")
	# old timestamps, so the cache trusts the files' lstat data
	find "$dir" -path "$dir/.git" -prune -o -exec touch -h -d '2001-01-01 00:00:00' {} + 2>/dev/null
	want=$(cat "$meta/expect" 2>/dev/null)
	# the same findings with the cache cold, warm, and deliberately corrupted
	result=""
	for mode in cold warm corrupt; do
		cache="$dir/.git/docctl-cache/worktree"
		if [ $mode = corrupt ] && [ -f "$cache" ]; then
			size=$(stat -c %s "$cache")
			printf 'garbage' | dd of="$cache" bs=1 seek=$((size / 2)) conv=notrunc status=none
		fi
		run sh -c "cd '$dir' && exec \"\$0\" check --as-of 2026-11-27 $args" "$DOCCTL"
		if [ "$RC" != "$want_exit" ] || [ "$OUT" != "$want" ]; then
			result="cache $mode: exit $RC (want $want_exit)
--- got
$OUT
--- want
$want
--- stderr
$ERR"
			break
		fi
	done
	if [ -z "$result" ]; then pass "$name"; else fail "$name" "$result"; fi
done
done_testing
