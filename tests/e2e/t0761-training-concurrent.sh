#!/bin/bash
# t0761-training-concurrent.sh - 20 readers run `docctl ack SP-001 --sign
# --push` at the same moment against a bare server with docctl's hooks
# (reference §10.2): each push that loses the race is fetched, appended
# and pushed again, and all of them land, one commit each, no merge.
#
# (The policy and documents are those of t0760-training.sh.)
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 5
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
ACKS=refs/heads/docctl/acks
N=20

people=""
for i in $(seq -w 1 $N); do
	ssh-keygen -q -t ed25519 -N '' -C "p$i" -f "$SRV_KEYS/p$i"
	people="$people  p$i: {name: Reader $i, email: p$i@example.com, roles: [], departments: [客服部]}
"
done

SERVER=$T/server.git
srv_bare "$SERVER"
git init -q "$T/work" && cd "$T/work" || exit 1
srv_policy docctl.yaml
# people in departments, a trainer (qa-manager), readers per type
sed -i 's/^  ann: .*/  ann:   {name: Ann Author, email: ann@example.com, roles: [author], departments: [客服部]}/' docctl.yaml
sed -i 's/^  procedure: .*/  procedure: {id: "SP-[0-9]{3}", approvers: [qa-manager, general-manager], readers: [客服部, qa-manager]}/' docctl.yaml
printf '%s' "$people" >people.txt
sed -i '/^  eve: /r people.txt' docctl.yaml && rm people.txt
printf 'training: {due: P14D, trainers: [qa-manager]}\n' >>docctl.yaml
srv_signers .docctl/allowed_signers
for i in $(seq -w 1 $N); do
	echo "p$i@example.com namespaces=\"git\" $(cat "$SRV_KEYS/p$i.pub")" >>.docctl/allowed_signers
done
doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn "Text one."
doc docs/procedures/SP-002-beta.md SP-002 A/0 approved quinn "Text two." "readers: [eve, ann]"
doc records/RC-0001-session.md RC-0001 A/0 approved quinn "Training session of 2026-05-30."
commit_as ann "Initial controlled documents"
git remote add origin "$SERVER"
push_accepted "the first push sets up main" refs/heads/main origin main
check "docctl check is clean with readers and training in the policy" "$DOCCTL" check

# clone_for WHO: a clone whose git user is WHO, signing with WHO's key
clone_for() {
	git clone -q "$SERVER" "$T/c-$1" &&
		git -C "$T/c-$1" config user.email "$1@example.com" &&
		git -C "$T/c-$1" config gpg.format ssh &&
		git -C "$T/c-$1" config user.signingkey "$SRV_KEYS/$1"
}

# --- 20 readers at the same moment ------------------------------------------------
git clone -q "$SERVER" "$T/base"
for i in $(seq -w 1 $N); do
	cp -r "$T/base" "$T/c-p$i" && git -C "$T/c-p$i" config user.email "p$i@example.com" &&
		git -C "$T/c-p$i" config gpg.format ssh && git -C "$T/c-p$i" config user.signingkey "$SRV_KEYS/p$i"
done
pids=()
for i in $(seq -w 1 $N); do
	(cd "$T/c-p$i" && "$DOCCTL" ack SP-001 --sign --push >"$T/out-p$i" 2>&1; echo $? >"$T/rc-p$i") &
	pids+=($!)
done
wait "${pids[@]}"
okn=0
for i in $(seq -w 1 $N); do [ "$(cat "$T/rc-p$i")" = 0 ] && okn=$((okn + 1)); done
if [ $okn = $N ]; then pass "$N parallel ack --push all succeed"; else fail "$N parallel ack --push all succeed" "$okn succeeded; $(cat "$T"/out-p* | head -20)"; fi
n=$(git -C "$SERVER" ls-tree --name-only $ACKS acks/ | grep -c '^acks/p')
if [ "$n" = $N ]; then pass "the server holds $N files of the parallel readers"; else fail "the server holds $N files" "$n"; fi
n=$(git -C "$SERVER" rev-list --count $ACKS)
if [ "$n" -ge $N ] && [ -z "$(git -C "$SERVER" rev-list --merges $ACKS)" ]; then pass "one commit each, no merge"; else fail "one commit each, no merge" "$n commits"; fi

done_testing
