#!/usr/bin/env bash
# smoke.sh - the benchmark's smoke test (TAP), run by CI as e2e test
# t0900-bench-smoke: it checks what the benchmark measures, not how fast.
# A 1,000-document corpus from bench/gen.py with 5 injected errors must give
# exactly the findings (path, line, column, rule) of its .expected-findings,
# and exit 1; the same corpus without errors must pass with exit 0 and no
# finding at all (not even a warning); the generator is deterministic; and
# bench/run, on a tiny corpus, must get every scenario through with the exit
# code it expects (a command not implemented yet is "n/a", not a failure).
# DOCCTL is the docctl binary under test.
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$BENCH/../tests/e2e/lib/tap.sh"

export DOCCTL
S=$(mktemp -d "${TMPDIR:-/tmp}/docctl-bench.XXXXXX")
TAP_TMPS+=("$S")
plan 8

# findings FILE: "path:line:col rule" of docctl's JSON output, sorted
findings() {
	python3 -c '
import json, sys
for f in sorted(json.load(open(sys.argv[1], encoding="utf-8")), key=lambda f: (f["file"].encode(), f["line"], f["column"], f["rule"])):
    print("%s:%d:%d %s" % (f["file"], f["line"], f["column"], f["rule"]))' "$1"
}

if python3 "$BENCH/gen.py" --docs 1000 --errors 5 --commits 20 --out "$S/bad" >"$S/gen.log" 2>&1; then
	pass "gen.py writes a 1,000-document corpus with 5 errors"
else
	fail "gen.py writes a 1,000-document corpus with 5 errors" "$(cat "$S/gen.log")"
fi
n=$(git -C "$S/bad" ls-files -- 'docs/*.md' 'records/*.md' | wc -l)
c=$(git -C "$S/bad" rev-list --count HEAD)
if [ "$n" = 1000 ] && [ "$c" = 21 ] && [ "$(wc -l <"$S/bad/.expected-findings")" = 5 ]; then
	pass "it holds 1,000 controlled documents, 21 commits and 5 expected findings"
else
	fail "it holds 1,000 controlled documents, 21 commits and 5 expected findings" "documents $n, commits $c"
fi

(cd "$S/bad" && "$DOCCTL" check --format json --as-of 2026-11-27 >"$S/bad.json" 2>"$S/bad.err")
rc=$?
if [ "$rc" = 1 ]; then pass "check of the corpus with errors exits 1"; else fail "check of the corpus with errors exits 1" "exit $rc: $(cat "$S/bad.err")"; fi
if findings "$S/bad.json" >"$S/bad.got" 2>>"$S/bad.err" && diff -u <(sort "$S/bad/.expected-findings") "$S/bad.got" >"$S/bad.diff"; then
	pass "its findings are exactly the injected errors (path, line, column, rule)"
else
	fail "its findings are exactly the injected errors (path, line, column, rule)" "$(cat "$S/bad.diff" "$S/bad.err")"
fi

python3 "$BENCH/gen.py" --docs 1000 --commits 20 --out "$S/good" >/dev/null 2>&1
(cd "$S/good" && "$DOCCTL" check --format json --as-of 2026-11-27 >"$S/good.json" 2>"$S/good.err")
rc=$?
if [ "$rc" = 0 ] && [ "$(findings "$S/good.json" | wc -l)" = 0 ]; then
	pass "the corpus without errors passes with exit 0 and no finding"
else
	fail "the corpus without errors passes with exit 0 and no finding" "exit $rc: $(findings "$S/good.json" | head -20; cat "$S/good.err")"
fi

python3 "$BENCH/gen.py" --docs 1000 --errors 5 --commits 20 --out "$S/bad2" >/dev/null 2>&1
if [ "$(git -C "$S/bad" rev-parse HEAD)" = "$(git -C "$S/bad2" rev-parse HEAD)" ] &&
	cmp -s "$S/bad/.expected-findings" "$S/bad2/.expected-findings"; then
	pass "the generator is deterministic (same commit ids, same expected findings)"
else
	fail "the generator is deterministic (same commit ids, same expected findings)"
fi

# the harness itself, on a tiny corpus: every row measured or n/a, none failed
"$BENCH/run" --docs 200 --commits 20 --runs 1 --warm --docctl "$DOCCTL" --dir "$S/run" >"$S/table" 2>"$S/run.err"
rc=$?
rows=$(grep -c '^| [a-zA-Z/]' "$S/table")
if [ "$rc" = 0 ] && [ "$rows" -ge 9 ]; then
	pass "bench/run prints its table ($rows rows)"
else
	fail "bench/run prints its table ($rows rows)" "exit $rc: $(cat "$S/table" "$S/run.err" | tail -30)"
fi
if ! grep '^| ' "$S/table" | grep -q -e 'FAILED, exit' -e 'timed out' -e 'did not run'; then
	pass "every scenario ran with the exit code it expects (the prepared changes are accepted)"
else
	fail "every scenario ran with the exit code it expects (the prepared changes are accepted)" "$(cat "$S/table")"
fi
done_testing
