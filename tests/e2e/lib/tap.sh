# tap.sh - a tiny TAP library for the e2e tests (sourced).
#
#   plan N            print the plan
#   ok COND... -- description   (use the helpers below instead)
#   pass DESC / fail DESC [DETAIL]
#   expect_exit N DESC CMD...   run CMD, compare its exit code
#   expect_out FILE DESC        compare $OUT (last output) with FILE
#   scratch                     a fresh temporary folder, removed at exit
#
# DOCCTL is the docctl binary under test (set by meson).
: "${DOCCTL:?DOCCTL must name the docctl binary}"
TAP_N=0
TAP_FAILED=0
TAP_TMPS=()

plan() { echo "1..$1"; }

# TAP_TODO=REASON: a check that fails from here until it is unset is a known
# failure (a "# TODO" directive: reported, not counted as a failure).
pass() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }

fail() {
	TAP_N=$((TAP_N + 1))
	if [ -n "${TAP_TODO:-}" ]; then echo "not ok $TAP_N - $1 # TODO $TAP_TODO"
	else TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $1"; fi
	if [ $# -gt 1 ]; then printf '%s\n' "$2" | sed 's/^/#   /'; fi
}

# check DESC CMD... : pass when CMD succeeds
check() {
	local desc=$1; shift
	if "$@"; then pass "$desc"; else fail "$desc" "command failed: $*"; fi
}

# run CMD...: runs a command, keeping stdout in $OUT, stderr in $ERR, status in $RC
run() {
	local o e
	o=$(mktemp) e=$(mktemp)
	"$@" >"$o" 2>"$e"
	RC=$?
	OUT=$(cat "$o") ERR=$(cat "$e")
	rm -f "$o" "$e"
}

expect_exit() {
	local want=$1 desc=$2; shift 2
	run "$@"
	if [ "$RC" = "$want" ]; then pass "$desc"; else fail "$desc" "exit $RC, expected $want
stdout: $OUT
stderr: $ERR"; fi
}

# expect_contains DESC NEEDLE: $OUT or $ERR contains NEEDLE
expect_contains() {
	case "$OUT
$ERR" in
	*"$2"*) pass "$1" ;;
	*) fail "$1" "missing: $2
stdout: $OUT
stderr: $ERR" ;;
	esac
}

expect_not_contains() {
	case "$OUT
$ERR" in
	*"$2"*) fail "$1" "unexpected: $2
stdout: $OUT
stderr: $ERR" ;;
	*) pass "$1" ;;
	esac
}

scratch() {
	local d
	d=$(mktemp -d "${TMPDIR:-/tmp}/docctl-test.XXXXXX")
	TAP_TMPS+=("$d")
	echo "$d"
}

tap_cleanup() { local d; for d in "${TAP_TMPS[@]}"; do rm -rf "$d"; done; }
trap tap_cleanup EXIT

# The suite runs three ways (meson test --setup, run-tests.sh): with the
# cache as it comes (warm after a test's first command), with no cache
# (DOCCTL_TEST_CACHE=cold) and with every cache file damaged before each
# run (DOCCTL_TEST_CACHE=corrupt: lib/corrupt-cache stands in for docctl,
# in the hooks too). The expected outputs are the same.
case ${DOCCTL_TEST_CACHE:-} in
cold) export DOCCTL_CACHE=0 ;;
corrupt)
	if [ -n "${DOCCTL:-}" ] && [ -z "${DOCCTL_REAL:-}" ]; then
		export DOCCTL_REAL=$DOCCTL
		DOCCTL=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/corrupt-cache
		export DOCCTL
	fi ;;
esac

# git with a fixed identity and no user configuration
export GIT_CONFIG_NOSYSTEM=1 HOME=${TAP_HOME:-$(mktemp -d)}
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.com
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.com
git config --global init.defaultBranch main
git config --global user.name Tester
git config --global user.email tester@example.com

# cache_on: docctl keeps its cache files (not the cold run, DOCCTL_CACHE=0),
# so a test may expect them written
cache_on() { [ "${DOCCTL_CACHE:-}" != 0 ]; }

done_testing() {
	[ "$TAP_FAILED" -eq 0 ]
}
