#!/bin/bash
# t0740-adversary.sh - the randomized adversary (reference §6): random
# legitimate and hostile pushes against a bare server with docctl's hooks,
# checked against a model of what main must hold (tests/e2e/lib/adversary.py
# says how). The server is made as `git init --bare` leaves it on a machine
# without init.defaultBranch (HEAD -> master) while the team pushes main.
# ADV_SEED, ADV_STEPS and ADV_MAX_SECONDS (0: none) override the fixed seed,
# the step count and the time budget CI runs with; ADV_ARGS adds options
# (--only KIND, --verbose); bench/adversary runs a longer one.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

T=$(scratch)
# the cold and corrupt-cache runs of the suite (run-tests.sh) get a shorter
# budget: the property is the same, the cache is what those runs are about
BUDGET=60
[ -z "${DOCCTL_TEST_CACHE:-}" ] || BUDGET=30
srv_init "$T" >/dev/null || { echo "1..0 # SKIP ssh-keygen failed"; exit 0; }
mkdir -p "$T/seed/.docctl"
srv_policy "$T/seed/docctl.yaml"
srv_signers "$T/seed/.docctl/allowed_signers"
git -c init.defaultBranch=master init -q --bare "$T/server.git" &&
	(cd "$T/server.git" && "$DOCCTL" init --hooks >/dev/null) || { echo "1..0 # SKIP no server"; exit 1; }
# ADV_GATE=open|closed (bench/adversary --gate) swaps docctl's pre-receive for
# one that accepts, or refuses, every push: a check of the test itself (every
# hostile kind, or every legitimate kind, must then fail).
case ${ADV_GATE:-} in
open) printf '#!/bin/sh\ncat >/dev/null\nexit 0\n' >"$T/server.git/hooks/pre-receive" ;;
closed) printf '#!/bin/sh\ncat >/dev/null\n[ -z "$(git for-each-ref)" ] || { echo closed >&2; exit 1; }\n' \
	>"$T/server.git/hooks/pre-receive" ;;
esac
python3 "$HERE/lib/adversary.py" --docctl "$DOCCTL" --keys "$SRV_KEYS" --seed-dir "$T/seed" \
	--server "$T/server.git" --work "$T/work" --seed "${ADV_SEED:-740}" \
	--steps "${ADV_STEPS:-200}" --max-seconds "${ADV_MAX_SECONDS:-$BUDGET}" \
	--repro "ADV_SEED={seed} ADV_STEPS={steps} ADV_MAX_SECONDS=0 bash tests/e2e/t0740-adversary.sh" ${ADV_ARGS:-}
