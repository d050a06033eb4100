#!/usr/bin/env bash
# bench/attachments.sh - the cost of attachments (reference §9.3, docs/performance.md):
# a corpus of DOCS documents (bench/gen.py), and the same corpus with ATT of them
# listing one attachment of SIZE bytes each (random bytes, so nothing compresses).
# Measures, RUNS times each after one warm-up:
#   - check of the whole tree (docctl's cache removed before each run, and warm),
#     with and without the attachments: the attachments are compared by blob id,
#     never read, so the difference should stay within 10 %;
#   - pre-commit of one changed attachment (refused: file.changed);
#   - pre-receive of one commit that changes one attachment (refused: file.changed);
#   - pre-receive of one commit that adds a file no document lists (refused:
#     file.unclaimed): the worst case of the links, every document's text is
#     sieved for the file's name before it is refused;
#   - pre-receive of one commit that edits one document to show a new image
#     (not in files): the document of the change claims it, no walk.
# Prints wall time (median) and CPU time (user+sys, median): on a shared machine
# the CPU time is the steadier number.
#
#   bench/attachments.sh [--docs 10000] [--attachments 2000] [--size 1048576] [--runs 5] [--dir DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
DOCS=10000 ATT=2000 SIZE=1048576 RUNS=5 DIR=${TMPDIR:-/tmp}/docctl-bench-att
while [ $# -gt 0 ]; do
	case $1 in
	--docs) DOCS=$2; shift 2 ;;
	--attachments) ATT=$2; shift 2 ;;
	--size) SIZE=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--dir) DIR=$2; shift 2 ;;
	*) echo "usage: $0 [--docs N] [--attachments N] [--size BYTES] [--runs N] [--dir DIR]" >&2; exit 2 ;;
	esac
done
DOCCTL=${DOCCTL:-$root/build/src/cli/docctl}
export GIT_CONFIG_NOSYSTEM=1 HOME=$DIR/home GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$DIR" "$HOME"
plain=$DIR/plain with=$DIR/with
if [ ! -d "$plain/.git" ]; then
	python3 "$root/bench/gen.py" --docs "$DOCS" --out "$plain" >/dev/null
fi
AS_OF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["today"])' "$plain/.bench-info" 2>/dev/null || echo 2026-11-27)
export DOCCTL_AS_OF=$AS_OF
if [ ! -d "$with/.git" ]; then
	git clone -q "$plain" "$with"
	(cd "$with" && git config core.compression 0 && git config core.bigFileThreshold 64k &&
		python3 - "$ATT" "$SIZE" <<'EOF'
import os, random, subprocess, sys
n, size = int(sys.argv[1]), int(sys.argv[2])
docs = sorted(subprocess.run(["git", "ls-files", "docs"], capture_output=True, text=True, check=True).stdout.split())
docs = [d for d in docs if d.endswith(".md")][:n]
rng = random.Random(9)
for d in docs:
    name = os.path.basename(d)[:-3] + ".bin"
    with open(os.path.join(os.path.dirname(d), name), "wb") as f:
        f.write(rng.randbytes(size))
    text = open(d, encoding="utf-8").read()
    head, sep, rest = text.partition("\n---\n")
    open(d, "w", encoding="utf-8").write(head + "\nfiles: [" + name + "]" + sep + rest)
EOF
		git add -A && git commit -qm "attachments")
fi
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# measure NAME DIR CMD...: RUNS runs after a warm-up; prints median wall and CPU (ms)
measure() {
	local name=$1 dir=$2 i w c
	shift 2
	(cd "$dir" && "$@" >/dev/null 2>&1) || true
	: > "$DIR/w" && : > "$DIR/c"
	for i in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %U %S' -o "$DIR/t" bash -c 'cd "$1" && shift && "$@" >/dev/null 2>&1' _ "$dir" "$@" || true
		# (GNU time writes "Command exited with non-zero status N" first when the hook refuses)
		read -r w u s < <(tail -n 1 "$DIR/t")
		echo "$w" | awk '{print $1*1000}' >> "$DIR/w"
		echo "$u $s" | awk '{print ($1+$2)*1000}' >> "$DIR/c"
	done
	printf '%-58s wall %6s ms   cpu %6s ms\n' "$name" "$(median < "$DIR/w")" "$(median < "$DIR/c")"
}
nocache() { rm -rf "$1/.git/docctl"*; }
echo "# $DOCS documents; $ATT attachments of $SIZE bytes; $RUNS runs; load $(cut -d' ' -f1-3 /proc/loadavg)"
for v in plain with; do
	d=$DIR/$v
	measure "check, whole tree, cold cache ($v)" "$d" bash -c 'rm -rf .git/docctl* && exec "$0" check' "$DOCCTL"
	measure "check again, nothing changed ($v)" "$d" "$DOCCTL" check
done
# pre-commit of one changed attachment (staged once; the hook only reads)
(cd "$with" && "$DOCCTL" init --hooks >/dev/null 2>&1 || true)
att=$(cd "$with" && git ls-files 'docs/*.bin' | awk 'NR == 1')
(cd "$with" && printf x >> "$att" && git add -- "$att")
measure "pre-commit, 1 changed attachment (with; refused: file.changed)" "$with" "$DOCCTL" hook pre-commit
(cd "$with" && git reset -q --hard)
# pre-receive of one commit changing one attachment
srv=$DIR/server.git
if [ ! -d "$srv" ]; then
	git clone -q --bare "$with" "$srv"
	(cd "$srv" && "$DOCCTL" init --hooks --trusted-ref refs/heads/main >/dev/null 2>&1 || true)
fi
base=$(git -C "$with" rev-parse HEAD)
new=$(cd "$with" && printf x >> "$att" && git add -- "$att" && git -c core.hooksPath=/dev/null commit -qm "edit one attachment" && git rev-parse HEAD)
git -C "$srv" fetch -q -f "$with" "$new:refs/heads/bench-probe" # (no hook: the objects only)
git -C "$with" reset -q --hard "$base"
echo "$base $new refs/heads/main" > "$DIR/pre-receive.in"
measure "pre-receive, 1 commit, 1 changed attachment (with; refused)" "$srv" \
	bash -c 'exec "$0" hook pre-receive < "$1"' "$DOCCTL" "$DIR/pre-receive.in"
# pre-receive of one commit adding a file no document lists or links to
new=$(cd "$with" && printf 'stray' > docs/stray-bench.bin && git add docs/stray-bench.bin &&
	git -c core.hooksPath=/dev/null commit -qm "a stray file" && git rev-parse HEAD)
git -C "$srv" fetch -q -f "$with" "$new:refs/heads/bench-probe2" # (no hook: the objects only)
git -C "$with" reset -q --hard "$base"
echo "$base $new refs/heads/main" > "$DIR/pre-receive2.in"
measure "pre-receive, 1 commit, 1 unlisted file (with; refused: unclaimed)" "$srv" \
	bash -c 'exec "$0" hook pre-receive < "$1"' "$DOCCTL" "$DIR/pre-receive2.in"
# pre-receive of one commit that edits a document to link a new image
new=$(cd "$with" && d=$(git ls-files 'docs/*.md' | awk 'NR == 2') && printf 'GIF89a' > docs/bench-img.gif &&
	printf '\n![image](%s)\n' "$(python3 -c 'import os, sys; print(os.path.relpath(sys.argv[1], os.path.dirname(sys.argv[2])))' docs/bench-img.gif "$d")" >> "$d" &&
	git add -A && git -c core.hooksPath=/dev/null commit -qm "link an image" && git rev-parse HEAD)
git -C "$srv" fetch -q -f "$with" "$new:refs/heads/bench-probe3" # (no hook: the objects only)
git -C "$with" reset -q --hard "$base"
echo "$base $new refs/heads/main" > "$DIR/pre-receive3.in"
measure "pre-receive, 1 commit, 1 document links 1 new image (with; refused)" "$srv" \
	bash -c 'exec "$0" hook pre-receive < "$1"' "$DOCCTL" "$DIR/pre-receive3.in"
