#!/usr/bin/env bash
# t0460-signoff.sh - sign-off as organisations do it (reference §9.1, §9.2)
# with the real binary and real git: the decimal revision scheme (valid
# forms, order, revise and revise --major), and the check step 审核 on the
# client side (check, pre-commit, approve --step checked, revise).
. "$(dirname "$0")/lib/tap.sh"

SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export DOCCTL_AS_OF=2026-11-27
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
plan 42

T=$(scratch)
R=$T/repo
mkdir -p "$R/docs" "$R/schema" "$R/.docctl" && cd "$R" || exit 1
cp "$SOURCE_ROOT/schema/document.schema.yaml" schema/
: > .docctl/allowed_signers
policy() { # SCHEME [CHECKERS-LINE]
	cat > docctl.yaml <<EOF
docctl: 1
roots: [docs]
protected: [refs/heads/main]
revision_scheme: $1
schema: schema/document.schema.yaml
approval: {identity: [signature, pusher]}
people:
  ann:   {name: Ann Author, email: ann@example.com, roles: [author]}
  quinn: {name: Quinn QA, email: quinn@example.com, roles: [qa-manager]}
  gina:  {name: Gina GM, email: gina@example.com, roles: [general-manager]}
types:
  procedure: {id: "SP-[0-9]{3}", approvers: [general-manager]${2:+, checkers: [$2]}}
  form: {id: "FM-[0-9]{3}", approvers: [general-manager], body: optional}
EOF
}
wdoc() { # FILE REV STATUS [EXTRA...]
	local f=$1 rev=$2 st=$3
	shift 3
	{
		echo ---; echo "id: $(basename "$f" .md)"; echo "title: T"; echo "type: procedure"
		echo "revision: $rev"; echo "status: $st"; echo "owner: ann"
		case $rev in V1.0|1.0) ;; *) echo "change: next" ;; esac
		for l in "$@"; do echo "$l"; done
		echo ---; echo "# T"; echo; echo "Text."
	} > "$f"
}
as() { git config user.name "$1"; git config user.email "$2@example.com"; }

# --- §9.2 the decimal scheme ---------------------------------------------------
policy decimal
wdoc docs/SP-001.md V1.0 approved "approved_by: gina" "approved_on: 2026-11-01"
wdoc docs/SP-002.md 1.10 draft
wdoc docs/SP-003.md "'2.0'" draft
expect_exit 0 "decimal: V1.0, a plain 1.10 and a quoted '2.0' are valid revisions" "$DOCCTL" check
wdoc docs/SP-004.md V1.01 draft
expect_exit 1 "decimal: V1.01 is revision.invalid" "$DOCCTL" check docs/SP-004.md
expect_contains "... and the finding says how to write it" "write it like V1.0, V1.1, V2.0 [revision.invalid]"
rm docs/SP-004.md
git init -q . && as ann ann && git add -A && git commit -q -m baseline && "$DOCCTL" init --hooks >/dev/null
expect_exit 0 "revise bumps the minor number: V1.0 -> V1.1" "$DOCCTL" revise SP-001 --change "minor"
grep -q '^revision: V1.1$' docs/SP-001.md && pass "... written V1.1" || fail "... written V1.1" "$(cat docs/SP-001.md)"
wdoc docs/SP-001.md V1.1 approved "approved_by: gina" "approved_on: 2026-11-02"
"$DOCCTL" revise SP-001 --major --change "major" >/dev/null
grep -q '^revision: V2.0$' docs/SP-001.md && pass "revise --major: V1.1 -> V2.0" || fail "revise --major: V1.1 -> V2.0" "$(cat docs/SP-001.md)"
git checkout -q docs/SP-001.md
sed -i 's/^revision: V1.0$/revision: V0.9/' docs/SP-001.md
echo "More." >> docs/SP-001.md
git add -A
expect_exit 1 "pre-commit: a decimal revision that goes down is refused" git commit -q -m down
expect_contains "... as revision.invalid (the lowest is V1.0)" "[revision.invalid]"
git checkout -q -f HEAD -- . 
wdoc docs/SP-001.md V1.10 approved "approved_by: gina" "approved_on: 2026-11-03"
sed -i 's/^revision: V1.10/revision: V1.9/' docs/SP-001.md; git add -A && git -c core.hooksPath=/dev/null commit -q -m "V1.9"
wdoc docs/SP-001.md V1.10 approved "approved_by: gina" "approved_on: 2026-11-04"
echo "Changed." >> docs/SP-001.md
git add -A
expect_exit 0 "pre-commit: V1.9 -> V1.10 is a bump (by number, not by text)" git commit -q -m "V1.10"
wdoc docs/SP-001.md 1.2 draft
git add -A
expect_exit 1 "pre-commit: V1.10 -> 1.2 is revision.regressed" git commit -q -m "1.2"
expect_contains "... named so" "[revision.regressed]"
git reset -q --hard

# --- §9.1 the check step on the client -----------------------------------------
rm -rf .git docs/*.md && policy letter-number qa-manager
wdoc docs/SP-001.md A/0 approved "approved_by: gina" "approved_on: 2026-11-01"
expect_exit 1 "approved without checked_by on a type with checkers is signoff.missing" "$DOCCTL" check
expect_contains "... and says how to get the check" "docctl approve SP-001 --step checked --sign [signoff.missing]"
wdoc docs/SP-001.md A/0 approved "approved_by: gina" "approved_on: 2026-11-01" "checked_by: quinn" "checked_on: 2026-11-02"
expect_exit 1 "checked_on after approved_on is signoff.order" "$DOCCTL" check
expect_contains "... at checked_on" "SP-001.md:12:13: error: checked_on 2026-11-02 is after approved_on 2026-11-01"
wdoc docs/SP-001.md A/0 approved "approved_by: gina" "approved_on: 2026-11-01" "checked_by: gina" "checked_on: 2026-11-01"
expect_exit 1 "the checker who approves too is refused" "$DOCCTL" check
expect_contains "... as approval.unauthorized (no checker role) and signoff.same-person" "[signoff.same-person]"
expect_contains "... naming the checker roles" "checked_by \"gina\" holds no checker role of type procedure; ask someone who holds qa-manager [approval.unauthorized]"
policy letter-number
wdoc docs/SP-001.md A/0 approved "approved_by: gina" "approved_on: 2026-11-01" "checked_by: quinn" "checked_on: 2026-11-01"
expect_exit 1 "without checkers in the policy, checked_by is refused (no check step)" "$DOCCTL" check
expect_contains "... approval.unauthorized" "type procedure has no check step (no checkers in docctl.yaml); remove checked_by and checked_on [approval.unauthorized]"
wdoc docs/SP-001.md A/0 approved "approved_by: gina" "approved_on: 2026-11-01"
expect_exit 0 "without checkers an approval alone passes, as before" "$DOCCTL" check

policy letter-number qa-manager
wdoc docs/SP-001.md A/0 draft
git init -q . && as ann ann && git add -A && git commit -q -m "SP-001 draft" && "$DOCCTL" init --hooks >/dev/null
as gina gina
expect_exit 1 "approve refuses while the required check is missing" "$DOCCTL" approve SP-001
expect_contains "... and says who runs what" "docctl approve SP-001 --step checked --sign"
expect_exit 1 "an approver without a checker role cannot check" "$DOCCTL" approve SP-001 --step checked
as quinn quinn
expect_exit 0 "a checker records the check: approve --step checked" "$DOCCTL" approve SP-001 --step checked
grep -q '^checked_by: quinn$' docs/SP-001.md && grep -q '^checked_on: 2026-11-27$' docs/SP-001.md &&
	grep -q '^status: in-review$' docs/SP-001.md && pass "... checked_by, checked_on, status in-review" ||
	fail "... checked_by, checked_on, status in-review" "$(cat docs/SP-001.md)"
git add -A && git commit -q -m "check SP-001"
expect_exit 1 "the checker may not approve too" "$DOCCTL" approve SP-001
as gina gina
expect_exit 0 "then the approver approves" "$DOCCTL" approve SP-001
expect_exit 0 "... and the document passes check" "$DOCCTL" check
git add -A && git commit -q -m "approve SP-001"
expect_exit 0 "history lists the check and the approval" "$DOCCTL" history SP-001
expect_contains "... the check with its signer and meaning" "revision A/0 checked
  signed:    Quinn QA (quinn)"
expect_contains "... and the three steps with the approval" "steps:     编制 Ann Author · 审核 Quinn QA 2026-11-27 · 批准 Gina GM 2026-11-27"
expect_exit 0 "register (md) has a checker column" "$DOCCTL" register
expect_contains "... 审核人 before 批准人, with the names" "| Ann Author | Quinn QA | Gina GM |"
run "$DOCCTL" register --format json
expect_contains "register (json) has checked_by and checked_on" '"checked_by": "quinn", "checker_name": "Quinn QA", "checked_on": "2026-11-27"'
run "$DOCCTL" register --format html
expect_contains "register (html) has the checker column too" "<td>Ann Author</td><td>Quinn QA</td><td>Gina GM</td>"
run "$DOCCTL" show SP-001
expect_contains "show names the three steps, each with its signer and time" "编制 Ann Author · 审核 Quinn QA 20"
run "$DOCCTL" publish --out "$T/site"
grep -rq 'Checked.*Quinn QA (quinn)' "$T/site" &&
	pass "publish shows the check (审核) with the checker's manifestation" || fail "publish shows the check (审核) with the checker's manifestation" "$OUT $ERR"
expect_exit 0 "revise drops both steps" "$DOCCTL" revise SP-001 --change "next"
! grep -q '^checked_\|^approved_' docs/SP-001.md && pass "... no checked_by, checked_on, approved_by, approved_on left" ||
	fail "... no checked_by, checked_on, approved_by, approved_on left" "$(cat docs/SP-001.md)"
as quinn quinn
echo "Quinn's own sentence." >> docs/SP-001.md
sed -i 's/^status: draft$/status: in-review\nchecked_by: quinn\nchecked_on: 2026-11-27/' docs/SP-001.md
git add -A
expect_exit 1 "pre-commit: the author of a content change cannot check it" git commit -q -m "quinn writes and checks"
expect_contains "... signoff.same-person" "[signoff.same-person]"
git reset -q --hard
