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

step "4. The pre-commit hook refuses an edit of an approved procedure that keeps its revision"
"$DOCCTL" init --hooks
echo "本程序每年评审一次。" >> docs/procedures/SP-005-record-control.md
show git commit -qam "SP-005: 增加评审频次"
echo "exit code: $? (the commit was refused; HEAD is still $(git log -1 --format=%s))"

step "5. The author starts a new revision instead, and commits the draft"
git checkout -q -- docs/procedures/SP-005-record-control.md
show "$DOCCTL" revise SP-005 --change "增加记录的年度评审要求"
echo "本程序每年评审一次。" >> docs/procedures/SP-005-record-control.md
show git commit -qam "SP-005 A/1: 年度评审"
show git log -1 --format=%B

step "6. An approver (张敏, qa-manager) approves it with a signed commit"
ssh-keygen -q -t ed25519 -N '' -C zhang.min -f "$work/zhang"
echo "zhang.min@example.com namespaces=\"git\" $(cat "$work/zhang.pub")" >> .docctl/allowed_signers
git commit -qm "Add 张敏's signing key" --no-verify .docctl/allowed_signers
git config user.name "张敏" && git config user.email zhang.min@example.com
git config gpg.format ssh && git config user.signingkey "$work/zhang"
git config gpg.ssh.allowedSignersFile .docctl/allowed_signers
show "$DOCCTL" approve SP-005 --sign
show git log -1 --format='%B'
show git verify-commit HEAD
show "$DOCCTL" check docs/procedures/SP-005-record-control.md
set -e
printf '\nThe demo ran in %s (removed on exit).\n' "$work"
