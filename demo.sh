#!/usr/bin/env bash
# demo.sh - installs what is missing, builds docctl and walks through the
# bundled sample-repo: a valid check, a planted error, a commit the
# pre-commit hook refuses, a push the server refuses, a signed approval the
# server accepts, the three sign-off steps, an attachment, readers confirming
# a revision (the training matrix before and after) and a feedback item.
# Everything happens in a scratch folder; sample-repo/ itself is not touched.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
scripts/deps.sh
. scripts/quiet.sh
[ -f build/build.ninja ] || quiet meson setup build || exit 1
quiet ninja -C build || exit 1
DOCCTL=$PWD/build/src/cli/docctl
SAMPLE=$PWD/sample-repo
export DOCCTL
# the build tree's translations: `LC_ALL=zh_CN.UTF-8 ./demo.sh` (or
# DOCCTL_LANG=zh_CN.UTF-8) runs the walk in Chinese
export DOCCTL_LOCALEDIR=$PWD/build/po

work=$(mktemp -d "${TMPDIR:-/tmp}/docctl-demo.XXXXXX")
trap '"$HERE/scripts/web-serve.sh" --stop "$work/www"; rm -rf "$work"' EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }
as() { # as NAME EMAIL: who commits from now on
	git config user.name "$1" && git config user.email "$2"
	printf '(now working as %s <%s>)\n' "$1" "$2"
}

export GIT_CONFIG_NOSYSTEM=1 HOME=$work/home
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global gpg.format ssh

step "1. A copy of sample-repo becomes a git repository; the QA manager's signing key is registered"
cp -a "$SAMPLE" "$work/qms"
cd "$work/qms"
ssh-keygen -q -t ed25519 -N '' -C zhang.min -f "$work/zhang"
echo "zhang.min@example.com namespaces=\"git\" $(cat "$work/zhang.pub")" >> .docctl/allowed_signers
ssh-keygen -q -t ed25519 -N '' -C wang.fang -f "$work/wang"
echo "wang.fang@example.com namespaces=\"git\" $(cat "$work/wang.pub")" >> .docctl/allowed_signers
ssh-keygen -q -t ed25519 -N '' -C li.wei -f "$work/li"
echo "li.wei@example.com namespaces=\"git\" $(cat "$work/li.pub")" >> .docctl/allowed_signers
git init -q . && as "李伟" li.wei@example.com
git add -A && git commit -qm "Import the controlled documents of sample-repo"
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
echo "exit code: $? (refused; HEAD is still \"$(git log -1 --format=%s)\")"
git checkout -q -- docs/procedures/SP-005-record-control.md

step "5. The git server: a bare repository with docctl's server hooks; the first push is trusted"
git init -q --bare "$work/server.git"
(cd "$work/server.git" && show "$DOCCTL" init --hooks)
git remote add origin "$work/server.git"
show git push -q origin main

step "6. The author starts revision A/1 of SP-005 and commits the draft on a branch"
git checkout -q -b sp-005-a1
show "$DOCCTL" revise SP-005 --change "增加记录的年度评审要求"
echo "本程序每年评审一次。" >> docs/procedures/SP-005-record-control.md
show git commit -qam "SP-005 A/1: 年度评审"
show git log -1 --format=%B
show git push -q origin sp-005-a1
echo "(drafts are fine on a branch that is not protected)"

step "7. Typing an approver's name into the file proves nothing: the server refuses the push"
git checkout -q -b forged
sed -i 's/^status: draft$/status: approved\napproved_by: zhang.min\napproved_on: 2026-11-27/' docs/procedures/SP-005-record-control.md
git commit -qam "SP-005 approved (typed by hand)" --no-verify
show git push origin forged:main
echo "exit code: $? (main on the server is unchanged)"
git checkout -q sp-005-a1 && git branch -q -D forged

step "8. 张敏 (qa-manager) approves with a signed commit; the server accepts it"
as "张敏" zhang.min@example.com
git config user.signingkey "$work/zhang"
git config gpg.ssh.allowedSignersFile .docctl/allowed_signers
show "$DOCCTL" approve SP-005 --sign
show git verify-commit HEAD
show git push origin sp-005-a1:main
echo "exit code: $?"
show tail -n 1 "$work/server.git/docctl-audit.log"

step "9. 编制 / 审核 / 批准: QP-001 is written by 李伟, checked by 张敏 and approved by 王芳, each signed"
git checkout -q -b qp-001-a1 origin/main 2>/dev/null || git checkout -q -b qp-001-a1 sp-005-a1
as "李伟" li.wei@example.com
git config --unset user.signingkey
show "$DOCCTL" revise QP-001 --change "考核结果按季度汇总"
echo "每季度末汇总三个月的考核结果。" >> docs/procedures/QP-001-service-quality-assessment.md
git commit -qam "QP-001 A/1: 季度汇总"
as "王芳" wang.fang@example.com
git config user.signingkey "$work/wang"
show "$DOCCTL" approve QP-001
echo "exit code: $? (refused: the check 审核 comes first)"
as "张敏" zhang.min@example.com
git config user.signingkey "$work/zhang"
show "$DOCCTL" approve QP-001 --step checked --sign
as "王芳" wang.fang@example.com
git config user.signingkey "$work/wang"
show "$DOCCTL" approve QP-001 --sign
show git push origin qp-001-a1:main
echo "exit code: $?"
git checkout -q -B main origin/main
show "$DOCCTL" history QP-001 | head -n 14

step "10. An attachment is part of its document: FM-005's Excel template cannot change on its own"
show "$DOCCTL" register | tail -n 3
printf 'x' >> docs/forms/FM-005-service-record.xlsx
git commit -qam "Edit FM-005's template only" --no-verify
show git push origin HEAD:main
echo "exit code: $? (refused: file.changed)"
git checkout -q -B main origin/main

step "11. 发布与培训: every reader confirms the revision in force; the training matrix shows who has"
show "$DOCCTL" training --document SP-005
as "李伟" li.wei@example.com
git config user.signingkey "$work/li"
show "$DOCCTL" ack SP-005 --sign --push
as "张敏" zhang.min@example.com
git config user.signingkey "$work/zhang"
show "$DOCCTL" ack --training RC-0001 --for chen.jing,zhao.lei SP-005 --sign --push
show "$DOCCTL" training --document SP-005

step "12. 反馈: a reader tells the owner what is wrong; the item waits on its own ref for a decision"
as "李伟" li.wei@example.com
git config user.signingkey "$work/li"
show "$DOCCTL" feedback new SP-005 --kind improvement --text "记录保存期限应注明起算日期" --sign --push
show "$DOCCTL" feedback list --open

step "13. The web front for people without git (docctl-web behind lighttpd, basic auth)"
if command -v lighttpd >/dev/null && command -v curl >/dev/null; then
	# lighttpd with basic auth in front of docctl-web, run in the server's
	# bare repository (scripts/web-serve.sh; docctl-web(8) for production)
	url=$(DOCCTL="$DOCCTL" DOCCTL_WEB="$(dirname "$DOCCTL")/../web/docctl-web" \
		"$HERE/scripts/web-serve.sh" "$work/www" "$work/server.git" li.wei:demo zhang.min:demo)
	port=${url#http://127.0.0.1:}
	port=${port%%/*}
	echo "\$ curl -s -u li.wei:demo http://127.0.0.1:$port/qms?p=home   (the page as text)"
	curl -s -u li.wei:demo "http://127.0.0.1:$port/qms?p=home" | sed -e 's/<style>.*<\/style>//; s/<[^>]*>/ /g; s/  */ /g' | grep -v '^ *$' | head -20
	echo
	# a confirmation from the browser: the form's token, then the button 我已阅读并理解
	token=$(curl -s -u li.wei:demo "http://127.0.0.1:$port/qms?p=home" | sed -n 's/.*name="token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
	first=$(curl -s -u li.wei:demo "http://127.0.0.1:$port/qms?p=home" | sed -n 's/.*name="id" value="\([^"]*\)".*/\1/p' | head -1)
	if [ -n "$first" ]; then
		echo "\$ curl -s -u li.wei:demo -d 'token=…&id=$first' http://127.0.0.1:$port/qms?p=ack   (the button 我已阅读并理解)"
		curl -s -u li.wei:demo --data-urlencode "token=$token" --data-urlencode "id=$first" "http://127.0.0.1:$port/qms?p=ack" |
			sed -e 's/<style>.*<\/style>//; s/<[^>]*>/ /g; s/  */ /g' | grep -v '^ *$' | head -8
		show git --git-dir="$work/server.git" log -1 --format='%an: %s' refs/heads/docctl/acks
	fi
	echo
	echo "docctl-web is running: http://li.wei:demo@127.0.0.1:$port/qms (or zhang.min:demo)"
	if [ -t 0 ]; then
		echo "Press Enter to stop it and end the demo."
		read -r _
	fi
	"$HERE/scripts/web-serve.sh" --stop "$work/www"
else
	echo "(lighttpd and curl are not installed: scripts/deps.sh --test installs them)"
fi
set -e
printf '\nThe demo ran in %s (removed on exit).\n' "$work"
