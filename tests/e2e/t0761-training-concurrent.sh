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
. "$HERE/lib/training.sh"

plan 5
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
training_server 20

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
