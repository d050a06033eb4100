#!/usr/bin/env bash
# depgraph.sh - the source files depend on each other as a tree, not a knot:
#
#  - no cycle among the source files: no two files call each other,
#    directly or through others (scripts/depgraph.py reads which symbols
#    each object file of the build defines and uses);
#  - the layers hold: src/util uses nothing of src/lib or src/cli, and
#    src/lib uses nothing of src/cli.
#
# Usage: SOURCE_ROOT=/path/to/docctl BUILD_ROOT=/path/to/build bash tests/docs/depgraph.sh
# Speaks TAP.
set -u

root=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${BUILD_ROOT:-$root/build}

if ! command -v python3 >/dev/null || ! command -v nm >/dev/null; then
	echo "1..0 # SKIP python3 and nm are needed"
	exit 0
fi
if [ ! -d "$build/src" ]; then
	echo "1..0 # SKIP no build at $build (set BUILD_ROOT)"
	exit 0
fi

out=$(python3 "$root/scripts/depgraph.py" "$build" --quiet 2>&1)
status=$?
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

if [ "$status" -ne 0 ] || ! printf '%s\n' "$out" | grep -q '^# cycles: '; then
	not_ok "scripts/depgraph.py reads the build" "$out"
	echo "1..$n"
	exit 1
fi
ok "scripts/depgraph.py reads the build ($(printf '%s\n' "$out" | sed -n 's/^# files: //p') files)"

# each cycle: its line and the edges under it, up to the next cycle or section
cycles=$(printf '%s\n' "$out" | awk '/^cycle /{ print }')
lib_cycles=$(printf '%s\n' "$cycles" | grep -E ' src/(lib|util)/' || true)
cli_cycles=$(printf '%s\n' "$cycles" | grep -vE ' src/(lib|util)/' | grep . || true)

if [ -z "$lib_cycles" ]; then
	ok "no cycle among the files of src/lib and src/util"
else
	mapfile -t lines < <(printf '%s\n' "$out" | awk '
		/^cycle / { show = ($0 ~ / src\/(lib|util)\//) }
		/^# layer/ { show = 0 }
		show')
	not_ok "no cycle among the files of src/lib and src/util" "${lines[@]}" \
		"move what the files of a cycle share into a file of its own that they both use (see receive_ref.c)"
fi

if [ -z "$cli_cycles" ]; then
	ok "no cycle among the files of src/cli"
else
	mapfile -t lines < <(printf '%s\n' "$cli_cycles")
	not_ok "no cycle among the files of src/cli" "${lines[@]}" \
		"a file of a command may use options.c and output.c, never main.c or another command's file"
fi

violations=$(printf '%s\n' "$out" | awk '/^# layer violations/ { on = 1; next } on')
if [ -z "$violations" ]; then
	ok "src/util uses nothing of src/lib or src/cli, src/lib nothing of src/cli"
else
	mapfile -t lines < <(printf '%s\n' "$violations")
	not_ok "src/util uses nothing of src/lib or src/cli, src/lib nothing of src/cli" "${lines[@]}"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
