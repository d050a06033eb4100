#!/bin/bash
# t0765-attack-signoff.sh - the check step 审核 on the server (reference
# §9.1 with §6.2-§6.3): the checker is authenticated like the approver, by a
# signed commit of their own that holds NEW's version once the lines of the
# approval step are removed. Next to the legitimate check-then-approve push:
#   - a checked_by typed in by the author (a forged check);
#   - a check signed on other content, the content changed after it;
#   - an approver's signed commit that names the checker too;
#   - a checker who changed the content (signoff.same-person);
#   - an approval without the check (signoff.missing), a checker without a
#     checker role (approval.unauthorized);
# and the audit log records both steps.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 13
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
SP1=docs/procedures/SP-001-alpha.md
SP2=docs/procedures/SP-002-beta.md

# step FILE REV STATUS BODY [CHECKER CHECKED_ON [APPROVER APPROVED_ON]]
step() {
	local f=$1 id rev=$2 st=$3 body=$4 extra=""
	id=$(basename "$f" | cut -c1-6)
	[ -z "${5:-}" ] || extra="checked_by: $5
checked_on: $6"
	doc "$f" "$id" "$rev" "$st" "${7:-}" "$body" "$extra"
	[ -z "${8:-}" ] || sed -i "s/^approved_on: .*/approved_on: $8/" "$f"
}

SERVER=$T/server.git
srv_bare "$SERVER"
git init -q "$T/work" && cd "$T/work" || exit 1
srv_policy docctl.yaml
sed -i 's/^  procedure: .*/  procedure: {id: "SP-[0-9]{3}", approvers: [general-manager], checkers: [qa-manager]}/' docctl.yaml
srv_signers .docctl/allowed_signers
step $SP1 A/0 approved "Text one." quinn 2026-01-09 gina 2026-01-10
step $SP2 A/0 approved "Text two." quinn 2026-01-09 gina 2026-01-10
commit_as ann "Initial controlled documents"
git remote add origin "$SERVER"
push_accepted "the first push sets up main" refs/heads/main origin main

# --- the legitimate flow: 编制 ann, 审核 quinn, 批准 gina -------------------------
reset_work
step $SP1 A/1 draft "Text one, revised."
commit_as ann "Revise SP-001"
step $SP1 A/1 in-review "Text one, revised." quinn 2026-05-20
sign_as quinn quinn "Check SP-001 A/1"
step $SP1 A/1 approved "Text one, revised." quinn 2026-05-20 gina 2026-05-21
sign_as gina gina "Approve SP-001 A/1"
push_accepted "written by ann, checked by quinn, approved by gina, each signed: accepted" refs/heads/main origin main
grep -q '"id": "SP-001".*"meaning": "checked"' "$SERVER/docctl-audit.log" &&
	grep -q '"meaning": "approved"' "$SERVER/docctl-audit.log" &&
	pass "the audit log records the check and the approval" ||
	fail "the audit log records the check and the approval" "$(cat "$SERVER/docctl-audit.log")"

# --- a forged check ----------------------------------------------------------------
reset_work
step $SP1 A/2 in-review "Text one, third." quinn 2026-05-25
commit_as ann "Revise SP-001 and name quinn as checker"
step $SP1 A/2 approved "Text one, third." quinn 2026-05-25 gina 2026-05-26
sign_as gina gina "Approve SP-001 A/2"
push_refused "a checked_by typed in by the author is refused" approval.unsigned refs/heads/main origin main
expect_contains "... and says who runs what" "docctl approve SP-001 --step checked --sign"

# --- a check signed on other content ---------------------------------------------
reset_work
step $SP1 A/2 draft "Text one, what quinn read."
commit_as ann "Revise SP-001"
step $SP1 A/2 in-review "Text one, what quinn read." quinn 2026-05-25
sign_as quinn quinn "Check SP-001 A/2"
step $SP1 A/2 in-review "Text one, something else." quinn 2026-05-25
commit_as ann "Change the text after the check"
step $SP1 A/2 approved "Text one, something else." quinn 2026-05-25 gina 2026-05-26
sign_as gina gina "Approve SP-001 A/2"
push_refused "a check signed on other content does not vouch for NEW" approval.unsigned refs/heads/main origin main
expect_contains "... the refusal is about checked_by" 'checked_by "quinn" is not authenticated'

# --- the approver's signature does not vouch for the checker ----------------------
reset_work
step $SP1 A/2 draft "Text one, third."
commit_as ann "Revise SP-001"
step $SP1 A/2 approved "Text one, third." quinn 2026-05-25 gina 2026-05-26
sign_as gina gina "Approve SP-001 A/2 and name quinn as checker"
push_refused "an approver's signed commit that also names the checker is refused" approval.bad-signature \
	refs/heads/main origin main

# --- the checker wrote the content ------------------------------------------------
reset_work
step $SP1 A/2 in-review "Text one, quinn's words." quinn 2026-05-25
sign_as quinn quinn "Quinn revises and checks SP-001"
step $SP1 A/2 approved "Text one, quinn's words." quinn 2026-05-25 gina 2026-05-26
sign_as gina gina "Approve SP-001 A/2"
push_refused "a checker who changed the content is refused" signoff.same-person refs/heads/main origin main

# --- no check, a checker without the role ----------------------------------------
reset_work
step $SP2 A/1 draft "Text two, revised."
commit_as ann "Revise SP-002"
step $SP2 A/1 approved "Text two, revised." "" "" gina 2026-05-26
sign_as gina gina "Approve SP-002 A/1 without a check"
push_refused "an approval without the check is refused" signoff.missing refs/heads/main origin main
reset_work
step $SP2 A/1 draft "Text two, revised."
commit_as ann "Revise SP-002"
step $SP2 A/1 in-review "Text two, revised." eve 2026-05-25
commit_as eve "Eve checks SP-002"
step $SP2 A/1 approved "Text two, revised." eve 2026-05-25 gina 2026-05-26
sign_as gina gina "Approve SP-002 A/1"
push_refused "a checker without a checker role is refused" approval.unauthorized refs/heads/main origin main

# --- and the legitimate one again, after all that ----------------------------------
reset_work
step $SP2 A/1 draft "Text two, revised."
commit_as ann "Revise SP-002"
step $SP2 A/1 in-review "Text two, revised." quinn 2026-05-25
sign_as quinn quinn "Check SP-002 A/1"
step $SP2 A/1 approved "Text two, revised." quinn 2026-05-25 gina 2026-05-26
sign_as gina gina "Approve SP-002 A/1"
push_accepted "checked then approved in commits of their own: accepted" refs/heads/main origin main
run "$DOCCTL" check --rev origin/main
[ "$RC" = 0 ] && pass "check of the server's main is clean (the same verdict)" || fail "check of the server's main is clean" "$OUT $ERR"
