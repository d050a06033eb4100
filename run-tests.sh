#!/usr/bin/env bash
# run-tests.sh - installs what is missing, builds docctl twice (an optimised
# build and one with AddressSanitizer and UndefinedBehaviorSanitizer) and runs
# the whole test suite (unit, fuzz seed corpora, end-to-end) on the sanitised
# build, then the end-to-end suite twice more on the optimised one (no cache;
# every cache file damaged), and 10 s of libFuzzer per parser. Ends with the
# line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
scripts/deps.sh --test || exit 1

. scripts/quiet.sh
setup() { # dir options...
	local dir=$1; shift
	if [ -f "$dir/build.ninja" ]; then quiet meson setup --reconfigure "$dir" "$@"
	else quiet meson setup "$dir" "$@"; fi
}
setup build || exit 1
quiet ninja -C build || exit 1
setup build-asan -Db_sanitize=address,undefined -Db_lundef=false || exit 1
quiet ninja -C build-asan || exit 1

# Checks of the build itself, counted with the tests ("name ok|fail" lines)
status=0
extra=$(mktemp)
trap 'rm -f "$extra"' EXIT
# A machine without the test-only packages still builds docctl: configure
# with cmocka hidden from pkg-config (the unit tests are left out and the
# summary says so).
if [ $# -eq 0 ]; then
	pcdir=$(mktemp -d)
	for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
		for f in "$d"/*.pc; do
			[ -e "$f" ] && [ "$(basename "$f")" != cmocka.pc ] && ln -sf "$f" "$pcdir/"
		done
	done
	min=$(mktemp -d)
	if PKG_CONFIG_LIBDIR=$pcdir quiet meson setup "$min/build" &&
	   grep -q "unit tests (cmocka): no" "$min/build/meson-logs/meson-log.txt" &&
	   quiet ninja -C "$min/build" && "$min/build/src/cli/docctl" --help >/dev/null; then
		echo "build-without-test-packages ok" >>"$extra"
	else
		echo "run-tests: docctl does not build without the test-only packages" >&2
		echo "build-without-test-packages fail" >>"$extra"
		status=1
	fi
	rm -rf "$pcdir" "$min"
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
meson test -C build-asan --print-errorlogs --num-processes 2 "$@" || status=1

# The end-to-end suite again, on the optimised build: without a cache, and
# with every cache file damaged before each run (tests/meson.build); the
# expected outputs are the same, so the cache never changes a finding
logs=build-asan/meson-logs/testlog.json
if [ $# -eq 0 ]; then
	for mode in cold corrupt; do
		meson test -C build --setup "$mode" --suite e2e --no-suite e2e-once --print-errorlogs --num-processes 2 ||
			status=1
		logs="$logs build/meson-logs/testlog-$mode.json"
	done
fi

# libFuzzer: every parser's fuzz target, built with clang, fuzzes for 10 s
if [ $# -eq 0 ] && command -v clang >/dev/null; then
	if CC=clang setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false &&
	   ninja -C build-fuzz >/dev/null; then
		meson test -C build-fuzz --suite libfuzzer --print-errorlogs --num-processes 2 || status=1
		logs="$logs build-fuzz/meson-logs/testlog.json"
	else
		echo "run-tests: the libFuzzer build failed" >&2
		status=1
	fi
fi

python3 - "$extra" $logs <<'PY'
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    if line.split()[1] == "ok":
        passed += 1
    else:
        failed += 1
for line in (l for f in sys.argv[2:] for l in open(f)):
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
