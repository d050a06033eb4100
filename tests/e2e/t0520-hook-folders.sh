#!/bin/bash
# t0520-hook-folders.sh - hooks/docctl-hook installed the way Gitea and
# GitLab run server hooks: as any file name inside hooks/pre-receive.d/ and
# hooks/post-receive.d/, called by a pre-receive that runs every script of
# the folder with the same input. The folder names the hook.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"
SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$HERE/../.." && pwd)}

plan 3
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
SERVER=$T/server.git
git init -q --bare "$SERVER"
for hook in pre-receive post-receive; do
	mkdir -p "$SERVER/hooks/$hook.d"
	cp "$SOURCE_ROOT/hooks/docctl-hook" "$SERVER/hooks/$hook.d/docctl"
	# what Gitea's and GitLab's own hook does: every script, the same stdin
	cat >"$SERVER/hooks/$hook" <<EOF
#!/bin/sh
input=\$(mktemp); cat >"\$input"
for h in "\$(dirname "\$0")/$hook.d"/*; do "\$h" "\$@" <"\$input" || { rm -f "\$input"; exit 1; }; done
rm -f "\$input"
EOF
	chmod 755 "$SERVER/hooks/$hook" "$SERVER/hooks/$hook.d/docctl"
done
git clone -q "$SERVER" "$T/work" 2>/dev/null
cd "$T/work" || exit 1
srv_policy docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
commit_as ann "Initial controlled documents"
push_accepted "the first push goes through the hook folder" refs/heads/main origin main

reset_work
doc docs/procedures/SP-001-alpha.md SP-001 A/1 draft "" "Typed by hand."
commit_as ann "Revise SP-001"
doc docs/procedures/SP-001-alpha.md SP-001 A/1 approved quinn "Typed by hand."
commit_as ann "Approve SP-001 without a signature"
push_refused "an unsigned approval is refused by docctl in pre-receive.d" approval.unsigned refs/heads/main origin main
case $(tail -n 1 "$SERVER/docctl-audit.log" 2>/dev/null) in
*'"ref": "refs/heads/main"'*) pass "post-receive.d/docctl wrote the audit trail" ;;
*) fail "post-receive.d/docctl wrote the audit trail" "$(cat "$SERVER/docctl-audit.log" 2>&1)" ;;
esac
done_testing
