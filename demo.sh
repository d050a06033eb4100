#!/usr/bin/env bash
# demo.sh - installs what is missing, builds docctl and walks through the
# bundled sample-repo: a valid check, then a check that finds a planted error.
# Everything happens in a scratch folder; sample-repo/ itself is not touched.
set -euo pipefail
cd "$(dirname "$0")"
scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
DOCCTL=$PWD/build/src/cli/docctl
SAMPLE=$PWD/sample-repo

work=$(mktemp -d "${TMPDIR:-/tmp}/docctl-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

export GIT_CONFIG_NOSYSTEM=1 HOME=$work/home
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global user.name "李伟" && git config --global user.email li.wei@example.com

step "1. A copy of sample-repo becomes a git repository"
cp -a "$SAMPLE" "$work/qms"
cd "$work/qms"
git init -q . && git add -A && git commit -qm "Import the controlled documents of sample-repo"
show ls docs docs/procedures records/2026

step "2. docctl check: every document is valid (two warnings are planted to show what they look like)"
set +e
show "$DOCCTL" check
echo "exit code: $?"

step "3. A typo in a status field is an error, with file:line:col and the rule name"
sed -i 's/^status: approved$/status: aproved/' docs/procedures/SP-005-record-control.md
show "$DOCCTL" check docs/procedures/SP-005-record-control.md
echo "exit code: $?"
show "$DOCCTL" check --format json docs/procedures/SP-005-record-control.md
git checkout -q -- docs/procedures/SP-005-record-control.md
set -e
printf '\nThe demo ran in %s (removed on exit).\n' "$work"
