#!/usr/bin/env bash
# t0430-quickstart.sh - the README's quick start, step by step, as a new user
# types it: a plain `git init` (master), docctl init, the people, a key, the
# first procedure on a branch, a bare server, the refused hand-typed approval,
# the signed approval by someone else, and the next revision.
. "$(dirname "$0")/lib/tap.sh"

unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL DOCCTL_AS_OF
plan 16

T=$(scratch)
export HOME=$T/home GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME" "$T/bin" && ln -s "$DOCCTL" "$T/bin/docctl" && export PATH=$T/bin:$PATH
git config --global user.name 李伟 && git config --global user.email li.wei@example.com
git config --global init.defaultBranch master
ssh-keygen -q -t ed25519 -N '' -C zhang.min -f "$T/zhang.min"

# 1. a repository and its policy
git init -q "$T/qms" && cd "$T/qms" || exit 1
expect_exit 0 "docctl init" docctl init
expect_contains "... protects the branch the repository is on" "it protects refs/heads/master"
python3 - <<'PY'
import re
s = open("docctl.yaml").read()
s = re.sub(r"(?m)^people:\n(?:  .*\n)+", """people:
  li.wei:    {name: 李伟, email: li.wei@example.com,    roles: [author]}
  zhang.min: {name: 张敏, email: zhang.min@example.com, roles: [qa-manager]}
  wang.fang: {name: 王芳, email: wang.fang@example.com, roles: [general-manager, policy-admin]}
""", s)
open("docctl.yaml", "w").write(s)
PY
echo "zhang.min@example.com namespaces=\"git\" $(cat "$T/zhang.min.pub")" >> .docctl/allowed_signers
expect_exit 0 "the policy with your people checks" docctl check
git add -A && git commit -q -m "质量管理体系文件策略"
expect_exit 0 "docctl init --hooks" docctl init --hooks

# 2. the first document
expect_exit 0 "docctl new procedure" docctl new procedure --title "文件控制程序 Document control"
SP=$OUT
[ "$SP" = docs/procedure/SP-001-document-control.md ] && pass "... is SP-001, a draft" || fail "... is SP-001, a draft" "$SP"
python3 - "$SP" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
for h, t in [("## 1 目的", "规定受控文件的编制、审核、批准、发布和作废。"), ("## 2 适用范围", "本公司全部受控文件。"),
             ("## 3 职责", "质量部负责文件的统一管理。"), ("## 4 程序", "4.1 编制人起草文件。\n4.2 审核人审核，批准人批准。"),
             ("## 5 记录", "文件发放回收记录表。")]:
    s = s.replace(h + "\n", h + "\n" + t + "\n", 1) if h + "\n" in s else s.replace(h, h + "\n" + t)
open(p, "w").write(s)
PY
expect_exit 0 "its text written, it checks with no finding" docctl check
git switch -q -c sp-001 && git add -A
expect_exit 0 "the draft is committed on its branch" git commit -q -m "SP-001 文件控制程序 初稿"

# 3. the server
git init -q --bare "$T/qms.git" && (cd "$T/qms.git" && docctl init --hooks >/dev/null)
git remote add origin "$T/qms.git"
expect_exit 0 "the first push brings the policy" git push -q origin master
expect_exit 0 "a draft on its own branch is accepted" git push -q origin sp-001

# 4. a hand-typed approval
sed -i 's/^status: draft$/status: approved\napproved_by: zhang.min\napproved_on: 2026-12-07/' "$SP"
git commit -q -am "SP-001 批准（手工填写）"
expect_exit 1 "a hand-typed approval is refused by the server" git push origin sp-001:master
expect_contains "... saying what to do" "docctl approve SP-001 --sign [approval.unsigned]"
git reset -q --hard HEAD~1

# 5. the signed approval by someone else
git config user.name 张敏 && git config user.email zhang.min@example.com
git config gpg.format ssh && git config user.signingkey "$T/zhang.min"
expect_exit 0 "zhang.min approves with --sign" docctl approve SP-001 --sign
expect_exit 0 "... and the server accepts it" git push -q origin sp-001:master
grep -q '"id": "SP-001", "revision": "A/0", "person": "zhang.min"' "$T/qms.git/docctl-audit.log" &&
	pass "... and records it in its audit trail" || fail "... and records it in its audit trail" "$(cat "$T/qms.git/docctl-audit.log")"

# 6. the next revision
git config user.name 李伟 && git config user.email li.wei@example.com
expect_exit 0 "revise starts A/1" docctl revise SP-001 --change "增加电子文件的批准方式"
done_testing
