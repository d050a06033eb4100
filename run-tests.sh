#!/usr/bin/env bash
# run-tests.sh - installs what is missing, builds docctl twice (an optimised
# build and one with AddressSanitizer and UndefinedBehaviorSanitizer) and runs
# the whole test suite (unit, fuzz seed corpora, end-to-end) on the sanitised
# build, then the end-to-end suite once more on the optimised one with every
# cache file damaged, and 10 s of libFuzzer per parser. Ends with the line
# "N passed, N failed"; each phase's time goes to stderr.
set -uo pipefail
cd "$(dirname "$0")"
scripts/deps.sh --test || exit 1

. scripts/quiet.sh
started=$SECONDS last=$SECONDS
phase() { # what just ended: its time, to stderr
	echo "run-tests: $1: $((SECONDS - last)) s (total $((SECONDS - started)) s)" >&2
	last=$SECONDS
}
setup() { # dir options...
	local dir=$1; shift
	if [ -f "$dir/build.ninja" ]; then quiet meson setup --reconfigure "$dir" "$@"
	else quiet meson setup "$dir" "$@"; fi
}
setup build || exit 1
quiet ninja -C build || exit 1
setup build-asan -Db_sanitize=address,undefined -Db_lundef=false || exit 1
quiet ninja -C build-asan || exit 1
phase "dependencies and builds"

status=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
meson test -C build-asan --print-errorlogs --num-processes 2 "$@" || status=1

# The end-to-end suite again, on the optimised build, with every cache file
# damaged before each command (tests/meson.build): the expected outputs are
# the same, so the cache never changes a finding. A damaged cache is read and
# thrown away, and a test's first command finds none, so this one run covers
# the cold cache too (`meson test --setup cold` runs with the cache off).
logs=build-asan/meson-logs/testlog.json
phase "sanitised build's tests"
if [ $# -eq 0 ]; then
	meson test -C build --setup corrupt --suite e2e --no-suite e2e-once --print-errorlogs --num-processes 2 ||
		status=1
	logs="$logs build/meson-logs/testlog-corrupt.json"
	phase "end-to-end tests with a damaged cache"
fi

# libFuzzer: every parser's fuzz target, built with clang, fuzzes for 10 s
if [ $# -eq 0 ] && command -v clang >/dev/null; then
	if CC=clang setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false &&
	   ninja -C build-fuzz >/dev/null; then
		meson test -C build-fuzz --suite libfuzzer --print-errorlogs --num-processes 2 || status=1
		logs="$logs build-fuzz/meson-logs/testlog.json"
		phase "libFuzzer"
	else
		echo "run-tests: the libFuzzer build failed" >&2
		status=1
	fi
fi

python3 - $logs <<'PY'
import json, sys
passed = failed = skipped = 0
for line in (l for f in sys.argv[1:] for l in open(f)):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif r == "SKIP":
        skipped += 1
    else:
        failed += 1
print("%d passed, %d failed" % (passed, failed) + (", %d skipped" % skipped if skipped else ""))
PY
exit $status
