# server.sh - helpers for the server-hook tests (sourced after tap.sh).
#
#   srv_init DIR              keys for ann, quinn, gina, eve in DIR/keys ($SRV_KEYS)
#   srv_policy FILE           the test policy (identity: signature unless $SRV_IDENTITY)
#                             and, next to it, schema/document.schema.yaml
#   srv_signers FILE          allowed_signers for ann, quinn, gina (not eve)
#   srv_bare DIR              a bare repository with docctl's server hooks
#   doc FILE ID REV STATUS BY [BODY] [EXTRA]   writes a controlled document
#   commit_as WHO MSG         commits everything as WHO (author and committer)
#   sign_as WHO KEY MSG       the same, signed with KEY's ssh key
#   srv_rev REF               the server's value of REF ($SERVER), or "none"
#   push_refused DESC RULE REF ARGS...     git push ARGS must fail with RULE
#                                           and leave the server's REF as it was
#   push_accepted DESC REF ARGS...         git push ARGS must succeed and the
#                                           server's REF must then equal HEAD
#                                           (or $EXPECT when set)
#   reset_work                back to the server's main, clean
#   srv_clone_for WHO         $T/c-WHO: a clone of $SERVER whose git user is WHO,
#                             signing with WHO's key
#
# People: ann (author), quinn (qa-manager), gina (general-manager,
# policy-admin), eve (author, no key in the signers file).

srv_init() {
	SRV_KEYS=$1/keys
	mkdir -p "$SRV_KEYS"
	local who
	for who in ann quinn gina eve; do
		ssh-keygen -q -t ed25519 -N '' -C "$who" -f "$SRV_KEYS/$who" || return 1
	done
	export SRV_KEYS
}

SRV_SCHEMA=${SOURCE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}/schema/document.schema.yaml

srv_policy() {
	mkdir -p "$(dirname "$1")/schema" && cp "$SRV_SCHEMA" "$(dirname "$1")/schema/" || return 1
	cat >"$1" <<EOF
docctl: 1
roots: [docs, records]
protected: [refs/heads/main, "refs/heads/release/*", "refs/tags/release-*"]
revision_scheme: letter-number
schema: schema/document.schema.yaml
signers: .docctl/allowed_signers
approval:
  identity: [${SRV_IDENTITY:-signature}]
people:
  ann:   {name: Ann Author, email: ann@example.com, roles: [author]}
  quinn: {name: Quinn QA, email: quinn@example.com, roles: [qa-manager]}
  gina:  {name: Gina GM, email: gina@example.com, roles: [general-manager, policy-admin]}
  eve:   {name: Eve Else, email: eve@example.com, roles: [author]}
policy_approvers: [policy-admin]
types:
  procedure: {id: "SP-[0-9]{3}", approvers: [qa-manager, general-manager]}
  record:    {id: "RC-[0-9]{4}", approvers: [qa-manager], retention: P3Y}
EOF
}

srv_signers() {
	local who
	mkdir -p "$(dirname "$1")"
	: >"$1"
	for who in ann quinn gina; do
		echo "$who@example.com namespaces=\"git\" $(cat "$SRV_KEYS/$who.pub")" >>"$1"
	done
}

srv_bare() {
	git init -q --bare "$1" && (cd "$1" && "$DOCCTL" init --hooks >/dev/null)
}

doc() {
	local f=$1 id=$2 rev=$3 status=$4 by=$5 body=${6:-The first text.} extra=${7:-} type=procedure
	case $id in RC-*) type=record ;; esac
	mkdir -p "$(dirname "$f")"
	{
		echo ---
		echo "id: $id"
		echo "title: Document $id"
		echo "type: $type"
		echo "revision: $rev"
		echo "status: $status"
		echo "owner: ann"
		[ "$rev" = A/0 ] || echo "change: revised to $rev"
		if [ -n "$by" ]; then
			echo "approved_by: $by"
			echo "approved_on: 2026-01-10"
		fi
		[ -z "$extra" ] || printf '%s\n' "$extra"
		echo ---
		echo "# Document $id"
		echo
		echo "$body"
	} >"$f"
}

commit_as() {
	local who=$1 msg=$2
	git add -A &&
		GIT_AUTHOR_NAME=$who GIT_AUTHOR_EMAIL=$who@example.com GIT_COMMITTER_NAME=$who \
			GIT_COMMITTER_EMAIL=$who@example.com git commit -q --allow-empty -m "$msg"
}

sign_as() {
	local who=$1 key=$2 msg=$3
	git add -A &&
		GIT_AUTHOR_NAME=$who GIT_AUTHOR_EMAIL=$who@example.com GIT_COMMITTER_NAME=$who \
			GIT_COMMITTER_EMAIL=$who@example.com \
			git -c gpg.format=ssh -c user.signingkey="$SRV_KEYS/$key" commit -q --allow-empty -S -m "$msg"
}

srv_rev() {
	git -C "$SERVER" rev-parse -q --verify "$1" 2>/dev/null || echo none
}

push_refused() {
	local desc=$1 rule=$2 ref=$3 before after
	shift 3
	before=$(srv_rev "$ref")
	run git push "$@"
	[ -z "${SRV_VERBOSE:-}" ] || printf '%s\n' "$ERR" | sed 's/^/#   /'
	after=$(srv_rev "$ref")
	if [ "$RC" != 0 ] && grep -qF -- "[$rule]" <<<"$ERR" && [ "$after" = "$before" ]; then
		pass "$desc"
	else
		fail "$desc" "push exit $RC, wanted [$rule]; server $ref: $after (was $before)
$ERR"
	fi
}

push_accepted() {
	local desc=$1 ref=$2 want after
	shift 2
	want=${EXPECT:-$(git rev-parse HEAD)}
	run git push "$@"
	[ -z "${SRV_VERBOSE:-}" ] || printf '%s\n' "$ERR" | sed 's/^/#   /'
	after=$(srv_rev "$ref")
	if [ "$RC" = 0 ] && [ "$after" = "$want" ]; then
		pass "$desc"
	else
		fail "$desc" "push exit $RC; server $ref: $after, wanted $want
$ERR"
	fi
}

reset_work() {
	local b
	git fetch -q origin && git checkout -q -B main origin/main && git reset -q --hard origin/main && git clean -qfdx &&
		for b in $(git for-each-ref --format='%(refname:short)' refs/heads/); do
			[ "$b" = main ] || git branch -q -D "$b"
		done
}

srv_clone_for() {
	git clone -q "$SERVER" "$T/c-$1" &&
		git -C "$T/c-$1" config user.email "$1@example.com" &&
		git -C "$T/c-$1" config user.name "$1" &&
		git -C "$T/c-$1" config gpg.format ssh &&
		git -C "$T/c-$1" config user.signingkey "$SRV_KEYS/$1"
}
