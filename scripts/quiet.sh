# quiet.sh - sourced by demo.sh and run-tests.sh: `quiet CMD...` runs a step
# silently when it works, and shows its whole output, and which step it was,
# when it fails (returns its failure).
quiet() {
	local log rc
	log=$(mktemp) || return 1
	"$@" >"$log" 2>&1 && { rm -f "$log"; return 0; }
	rc=$?
	cat "$log" >&2
	rm -f "$log"
	echo "${0##*/}: this step failed: $*" >&2
	return "$rc"
}
