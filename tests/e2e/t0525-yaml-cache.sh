#!/bin/bash
# t0525-yaml-cache.sh - the cache of parsed YAML (reference §6): a server
# hook that loads the policy or a schema keeps its parsed tree in
# docctl-cache/yaml/<blob id>, and the next push reads it instead of parsing
# again (a command on a commit or the working tree keeps it too). A kept
# tree that is cut short, has a byte flipped, or is another
# policy's tree (one that would accept the push) never changes a verdict:
# the hook parses the text again and rewrites the file. DOCCTL_CACHE=0
# writes nothing; a policy with a finding is never kept.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

# it damages the cache by itself: the real binary, the cache on, in every run
[ -z "${DOCCTL_REAL:-}" ] || DOCCTL=$DOCCTL_REAL
unset DOCCTL_CACHE

plan 28
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"

# seed: a work tree with the test policy and two documents, pushed first
seed() {
	srv_policy docctl.yaml
	srv_signers .docctl/allowed_signers
	doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn
	doc docs/procedures/SP-002-beta.md SP-002 A/0 approved gina
	commit_as ann "Initial controlled documents"
}

# SP-001 A/1 written by ann, then approved by quinn with `COMMIT WHO...`
approve_a1() {
	doc docs/procedures/SP-001-alpha.md SP-001 A/1 draft "" "The second text."
	commit_as ann "Revise SP-001"
	doc docs/procedures/SP-001-alpha.md SP-001 A/1 approved quinn "The second text."
	"$@"
}
# an approval quinn did not sign, pushed as quinn: the test policy refuses
# it; a policy with approval.identity [signature, pusher] accepts it
unsigned_approval() { approve_a1 commit_as quinn "Approve SP-001 A/1 (unsigned)"; }

stamp() { stat -c '%i %y' "$1" 2>/dev/null || echo none; }

SERVER=$T/server.git
srv_bare "$SERVER"
git clone -q "$SERVER" "$T/work" 2>/dev/null
cd "$T/work" || exit 1
seed
C=$SERVER/docctl-cache/yaml
P=$(git rev-parse HEAD:docctl.yaml)
S=$(git rev-parse HEAD:schema/document.schema.yaml)

push_accepted "the first push is accepted" refs/heads/main origin main
check "the hook keeps the parsed policy under its blob id" test -s "$C/$P"
check "... and the parsed schema under its own" test -s "$C/$S"
cp "$C/$P" "$T/policy.tree"
before=$(stamp "$C/$P")

echo "not controlled" >README.md
commit_as ann "A README"
push_accepted "a second push is accepted" refs/heads/main origin main
after=$(stamp "$C/$P")
if [ "$after" = "$before" ]; then pass "it read the kept tree: the file was not written again"
else fail "it read the kept tree: the file was not written again" "before: $before
after:  $after"; fi

# another server whose policy accepts the pusher: the same push goes
# through there; its kept tree is what a planted file would be
SERVER2=$T/other.git
srv_bare "$SERVER2"
git clone -q "$SERVER2" "$T/other" 2>/dev/null
(
	cd "$T/other" && SRV_IDENTITY="signature, pusher" seed && git push -q origin main 2>/dev/null &&
		unsigned_approval && GL_USER=quinn git push -q origin main 2>/dev/null
)
other=$(git -C "$T/other" rev-parse HEAD:docctl.yaml)
if [ "$(srv_rev refs/heads/main)" != none ] &&
   [ "$(git -C "$SERVER2" rev-parse refs/heads/main)" = "$(git -C "$T/other" rev-parse HEAD)" ] &&
   [ "$other" != "$P" ] && [ -s "$SERVER2/docctl-cache/yaml/$other" ]; then
	pass "a policy accepting the pusher accepts the unsigned approval on another server"
else
	fail "a policy accepting the pusher accepts the unsigned approval on another server" \
		"$(git -C "$SERVER2" log --oneline -3 2>&1; ls "$SERVER2/docctl-cache/yaml" 2>&1)"
fi

size=$(wc -c <"$T/policy.tree")
damage() {
	case $1 in
	truncated) truncate -s $((size / 2)) "$C/$P" ;;
	flipped)
		local b
		b=$(od -An -tu1 -j $((size / 2)) -N1 "$C/$P" | tr -d ' ')
		printf "\\$(printf %03o $((b ^ 1)))" | dd of="$C/$P" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null ;;
	other) cp "$SERVER2/docctl-cache/yaml/$other" "$C/$P" ;;
	esac
}

reset_work
unsigned_approval
GL_USER=quinn push_refused "without a damaged cache the unsigned approval is refused" approval.unsigned \
	refs/heads/main origin main
for how in truncated flipped other; do
	damage $how
	case $how in
	truncated) what="cut short" ;;
	flipped) what="changed in one byte" ;;
	other) what="replaced by the other server's tree" ;;
	esac
	if cmp -s "$C/$P" "$T/policy.tree"; then fail "the kept policy is $what" "it did not change"
	else pass "the kept policy is $what"; fi
	GL_USER=quinn push_refused "... the unsigned approval is still refused" approval.unsigned \
		refs/heads/main origin main
	if cmp -s "$C/$P" "$T/policy.tree"; then pass "... and the hook wrote the parsed policy again"
	else fail "... and the hook wrote the parsed policy again" "$(od -c "$C/$P" | head -3)"; fi
done

reset_work
approve_a1 sign_as quinn quinn "Approve SP-001 A/1"
damage flipped
push_accepted "with the kept policy damaged, a signed approval is accepted" refs/heads/main origin main

# a client command that reads the policy from a commit keeps it too
rm -rf .git/docctl-cache
expect_exit 0 "docctl check --rev HEAD passes" "$DOCCTL" check --rev HEAD
check "... and keeps the parsed policy in the clone's git directory" test -s ".git/docctl-cache/yaml/$P"
# and so does one that reads the working tree, keyed by the edited bytes
echo "# edited, not committed" >>docctl.yaml
W=$(git hash-object docctl.yaml)
expect_exit 0 "docctl check passes with the policy edited in the working tree" "$DOCCTL" check
check "... and keeps that policy under the id of its bytes" test -s ".git/docctl-cache/yaml/$W"
git checkout -q docctl.yaml

# a policy with a finding is never kept: the finding comes every time
mkdir "$T/broken" && cd "$T/broken" && git init -q &&
	printf 'docctl: 1\nroots: [docs\n' >docctl.yaml && git add docctl.yaml && git commit -q -m broken
B=$(git rev-parse HEAD:docctl.yaml)
for n in first second; do
	run "$DOCCTL" check --rev HEAD
	if [ "$RC" = 2 ] && grep -qF "[policy.invalid]" <<<"$OUT$ERR"; then pass "a broken policy is reported the $n time"
	else fail "a broken policy is reported the $n time" "exit $RC: $OUT$ERR"; fi
done
if [ ! -e ".git/docctl-cache/yaml/$B" ]; then pass "... and never kept"
else fail "... and never kept" "$(ls .git/docctl-cache/yaml)"; fi

# a policy that parses but does not hold (an unknown key, a bad pattern): the
# tree is kept, and the findings from the kept tree are the same, to the column
mkdir "$T/invalid" && cd "$T/invalid" && git init -q && srv_policy docctl.yaml &&
	sed -i 's/^roots: /rooots: /; s/SP-\[0-9\]{3}/SP-[0-9/' docctl.yaml && git add -A && git commit -q -m invalid
I=$(git rev-parse HEAD:docctl.yaml)
run "$DOCCTL" check --rev HEAD
first="$RC $OUT $ERR"
if [ "$RC" = 2 ] && grep -qF "docctl.yaml:2:1" <<<"$OUT$ERR" && [ -s ".git/docctl-cache/yaml/$I" ]; then
	pass "a policy that parses but does not hold is reported, and its tree kept"
else fail "a policy that parses but does not hold is reported, and its tree kept" "$first"; fi
run "$DOCCTL" check --rev HEAD
if [ "$RC $OUT $ERR" = "$first" ]; then pass "... the same findings from the kept tree, line and column"
else fail "... the same findings from the kept tree, line and column" "first:  $first
second: $RC $OUT $ERR"; fi

# DOCCTL_CACHE=0: no cache written
SERVER3=$T/nocache.git
srv_bare "$SERVER3"
git clone -q "$SERVER3" "$T/nocache" 2>/dev/null
cd "$T/nocache" || exit 1
seed
SERVER=$SERVER3 DOCCTL_CACHE=0 push_accepted "with DOCCTL_CACHE=0 a push is accepted" refs/heads/main origin main
if [ ! -e "$SERVER3/docctl-cache/yaml" ]; then pass "... and nothing is kept"
else fail "... and nothing is kept" "$(ls -R "$SERVER3/docctl-cache")"; fi

done_testing
