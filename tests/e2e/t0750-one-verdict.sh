#!/bin/bash
# t0750-one-verdict.sh - reference §6.9 as a property test: random edits of a
# copy of sample-repo through pre-commit, `docctl check --rev` and pushes to
# a bare server (a feature branch, and main after an approval round) must
# agree (tests/e2e/lib/one_verdict.py says how). OV_SEED, OV_STEPS and
# OV_MAX_SECONDS (0: none) override the fixed seed, the step count and the
# time budget CI runs with.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"

T=$(scratch)
# the cold and corrupt-cache runs of the suite (run-tests.sh) get a shorter
# budget: the property is the same, the cache is what those runs are about
BUDGET=50
[ -z "${DOCCTL_TEST_CACHE:-}" ] || BUDGET=30
python3 "$HERE/lib/one_verdict.py" --docctl "$DOCCTL" --sample "$SOURCE_ROOT/sample-repo" --keys "$T/keys" \
	--work "$T/work" --server "$T/server.git" --seed "${OV_SEED:-750}" \
	--steps "${OV_STEPS:-150}" --max-seconds "${OV_MAX_SECONDS:-$BUDGET}" \
	--repro "OV_SEED={seed} OV_STEPS={steps} OV_MAX_SECONDS=0 bash tests/e2e/t0750-one-verdict.sh"
