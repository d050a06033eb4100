#!/bin/bash
# t0760-training.sh - release and training (reference §10): confirmations of
# reading pushed to a bare server with docctl's hooks and real ssh
# signatures, the legitimate ones beside the attacks the server refuses:
#   - a confirmation signed by its reader, one recorded by a trainer for a
#     training record of the protected branch (accepted);
#   - a line naming another person, a trainer line by someone who is no
#     trainer, an unsigned line, a record that does not exist (ack.not-self);
#   - a force-push and a deletion of the ref (ack.rewrite);
#   - a changed or deleted line, a file outside acks/ (ack.not-append);
#   - a revision that never existed (ack.not-in-force), a non-reader
#     (ack.not-reader), a malformed line (ack.format);
#   - confirmations smuggled onto the protected branch (ack.misplaced);
# and the matrix: `docctl training` (md, csv, json, html, --overdue for cron).
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"
. "$HERE/lib/training.sh"

plan 78
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
training_server 20
for who in ann quinn gina eve; do srv_clone_for $who; done

cd "$T/c-ann" || exit 1
expect_exit 0 "the matrix before any confirmation" "$DOCCTL" training --format json
case $OUT in
*'"person": "ann", "name": "Ann Author", "id": "SP-001"'*'"status": "overdue"'*'"due": "2026-01-24"'*) pass "ann must read SP-001: overdue since 2026-01-24 (approved 2026-01-10, P14D)" ;;
*) fail "ann must read SP-001, overdue" "$OUT" ;;
esac
expect_exit 0 "ann confirms SP-001, signed, pushed" "$DOCCTL" ack SP-001 --sign --push
line=$(git -C "$SERVER" show $ACKS:acks/ann.txt 2>/dev/null)
if [ "$line" = "$(printf 'ann\tSP-001\tA/0\t2026-06-01\tread\tann')" ]; then pass "the server holds ann's line"; else fail "the server holds ann's line" "$line"; fi
expect_exit 0 "confirming again says so" "$DOCCTL" ack SP-001 --sign --push
expect_contains "it is confirmed already" "confirmed already"
expect_exit 0 "ack --all confirms SP-002 too" "$DOCCTL" ack --all --sign --push
expect_exit 0 "ack --all again: nothing left" "$DOCCTL" ack --all --sign --push
expect_contains "a person with nothing to confirm is told so" "nothing to confirm"
expect_exit 1 "gina is no reader of SP-001: nothing to confirm" bash -c "cd '$T/c-gina' && '$DOCCTL' ack SP-001 --sign --push"
expect_contains "she is told she is not a reader" "not a reader of SP-001"

# --- a trainer records a session -------------------------------------------------
cd "$T/c-quinn" || exit 1
expect_exit 0 "quinn records eve's training on SP-002 (RC-0001)" "$DOCCTL" ack --training RC-0001 --for eve SP-002 --sign --push
line=$(git -C "$SERVER" show $ACKS:acks/eve.txt 2>/dev/null)
if [ "$line" = "$(printf 'eve\tSP-002\tA/0\t2026-06-01\ttraining:RC-0001\tquinn')" ]; then pass "the server holds eve's line recorded by quinn"; else fail "the server holds eve's line recorded by quinn" "$line"; fi
expect_exit 1 "ann is no trainer: ack --training is refused" bash -c "cd '$T/c-ann' && '$DOCCTL' ack --training RC-0001 --for eve SP-001"

# --- attacks, pushed by hand ----------------------------------------------------
# on_acks WHO: WHO's clone at the server's confirmations
on_acks() {
	cd "$T/c-$1" && git fetch -q origin && git checkout -q -B acks origin/docctl/acks
}
# add_line FILE FIELDS...: appends one TAB-separated line
add_line() {
	local f=$1
	shift
	mkdir -p acks && (IFS=$'\t'; printf '%s\n' "$*") >>"$f"
}

on_acks ann
add_line acks/ann.txt quinn SP-001 A/0 2026-06-01 read quinn
sign_as ann ann "Confirm for quinn"
push_refused "a line naming another person in ann's file is refused" ack.not-self $ACKS origin HEAD:$ACKS
on_acks ann
add_line acks/quinn.txt quinn SP-001 A/0 2026-06-01 read quinn
sign_as ann ann "Forge quinn's confirmation"
push_refused "ann signing quinn's confirmation is refused" ack.not-self $ACKS origin HEAD:$ACKS
expect_contains "the refusal says whose signature is missing" "not vouched for by quinn"
on_acks eve
add_line acks/eve.txt eve SP-002 A/0 2026-06-01 read eve
commit_as eve "Confirm SP-002 without a signature"
push_refused "an unsigned confirmation is refused" ack.not-self $ACKS origin HEAD:$ACKS
on_acks ann
add_line acks/eve.txt eve SP-002 A/0 2026-06-01 training:RC-0001 ann
sign_as ann ann "Record a training without being a trainer"
push_refused "a training line recorded by someone who is no trainer is refused" ack.not-self $ACKS origin HEAD:$ACKS
on_acks quinn
add_line acks/ann.txt ann SP-001 A/0 2026-06-01 training:RC-0099 quinn
sign_as quinn quinn "Record a training of a session never filed"
push_refused "a training record that is not on main is refused" ack.not-self $ACKS origin HEAD:$ACKS
on_acks ann
add_line acks/ann.txt ann SP-001 Z/9 2026-06-01 read ann
sign_as ann ann "Confirm a revision that never existed"
push_refused "a revision that never existed is refused" ack.not-in-force $ACKS origin HEAD:$ACKS
on_acks ann
add_line acks/ann.txt ann SP-404 A/0 2026-06-01 read ann
sign_as ann ann "Confirm a document that does not exist"
push_refused "a document that does not exist is refused" ack.not-in-force $ACKS origin HEAD:$ACKS
on_acks gina
add_line acks/gina.txt gina SP-001 A/0 2026-06-01 read gina
sign_as gina gina "Confirm without being a reader"
push_refused "a confirmation by a non-reader is refused" ack.not-reader $ACKS origin HEAD:$ACKS
on_acks ann
sed -i 's/2026-06-01/2026-05-01/' acks/ann.txt
sign_as ann ann "Backdate a confirmation"
push_refused "a changed line is refused" ack.not-append $ACKS origin HEAD:$ACKS
on_acks ann
sed -i '1d' acks/ann.txt
sign_as ann ann "Remove a confirmation"
push_refused "a deleted line is refused" ack.not-append $ACKS origin HEAD:$ACKS
on_acks ann
git rm -q acks/ann.txt
sign_as ann ann "Remove a confirmations file"
push_refused "a deleted file is refused" ack.not-append $ACKS origin HEAD:$ACKS
on_acks ann
echo "hello" >notes.txt
sign_as ann ann "Add a file outside acks/"
push_refused "a file outside acks/ is refused" ack.not-append $ACKS origin HEAD:$ACKS
on_acks ann
add_line acks/ann.txt ann SP-001 A/0 2027-01-01 read ann
sign_as ann ann "A confirmation dated in the future"
push_refused "a confirmation dated after the server's today is refused" ack.format $ACKS origin HEAD:$ACKS
on_acks ann
printf 'ann\tSP-001\tA/0\t2026-06-01\tread\n' >>acks/ann.txt
sign_as ann ann "A line with five fields"
push_refused "a malformed line is refused" ack.format $ACKS origin HEAD:$ACKS
expect_contains "at its line and column" "acks/ann.txt:3:"
on_acks ann
git reset -q --hard HEAD~1
add_line acks/ann.txt ann SP-001 A/0 2026-06-01 read ann
sign_as ann ann "Rewrite the history"
push_refused "a force-push (rewrite) is refused" ack.rewrite $ACKS origin +HEAD:$ACKS
push_refused "deleting the confirmations ref is refused" ack.rewrite $ACKS origin :$ACKS

# --- smuggled onto the protected branch -----------------------------------------
cd "$T/c-ann" && git checkout -q main && git pull -q origin main
add_line acks/ann.txt ann SP-001 A/0 2026-06-01 read ann
sign_as gina gina "Confirmations on main"
push_refused "a confirmations file smuggled onto main is refused" ack.misplaced refs/heads/main origin main
git reset -q --hard origin/main

# --- the matrix -------------------------------------------------------------------
cd "$T/c-quinn" && git checkout -q main && git fetch -q origin
expect_exit 0 "the matrix in Markdown" "$DOCCTL" training
expect_contains "ann confirmed SP-001" "| ann | Ann Author | SP-001 | Document SP-001 | A/0 | confirmed | 2026-06-01 | read |"
expect_exit 0 "the matrix for quinn alone" "$DOCCTL" training --person quinn --format csv
case $OUT in
$'\xef\xbb\xbf'*'quinn,Quinn QA,SP-001,Document SP-001,A/0,pending,,,,2026-01-24,'*) fail "quinn's SP-001 row" "due date wrong: $OUT" ;;
$'\xef\xbb\xbf'*'quinn,Quinn QA,SP-001,Document SP-001,A/0,overdue,'*) pass "csv with BOM: quinn is overdue for SP-001 (approved 2026-01-10, due P14D)" ;;
*) fail "csv with BOM: quinn is overdue for SP-001" "$OUT" ;;
esac
expect_exit 1 "training --overdue exits 1 when someone is overdue (cron)" "$DOCCTL" training --overdue
expect_exit 0 "training --overdue for a document nobody owes exits 0" "$DOCCTL" training --overdue --document SP-002
expect_exit 0 "the matrix as HTML" "$DOCCTL" training --format html
expect_contains "with the count of confirmations" "已确认 1/$((N + 2))"
expect_exit 0 "history --acks lists the confirmations per revision" "$DOCCTL" history SP-002 --acks
expect_contains "with the method and who recorded it" "$(printf '  revision A/0: 2 confirmations\n    2026-06-01  ann (Ann Author)  read\n    2026-06-01  eve (Eve Else)  training:RC-0001, recorded by quinn')"
expect_exit 0 "history --acks --format json" "$DOCCTL" history SP-002 --acks --format json
if printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
a = d["acks"]
assert d["acks_ref"] == "refs/heads/docctl/acks" and d["entries"], d
assert [(x["revision"], x["person"], x["date"], x["method"], x["recorded_by"]) for x in a] == [
    ("A/0", "ann", "2026-06-01", "read", "ann"), ("A/0", "eve", "2026-06-01", "training:RC-0001", "quinn")], a
assert a[0]["name"] == "Ann Author", a
'; then pass "the JSON holds the entries and every confirmation, with machine keys"; else fail "the JSON holds the entries and every confirmation" "$OUT"; fi
LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN expect_exit 0 "history --acks --format csv (in zh_CN)" "$DOCCTL" history SP-002 --acks --format csv
want=$(printf '\xEF\xBB\xBFid,revision,person,name,date,method,recorded_by\r\nSP-002,A/0,ann,Ann Author,2026-06-01,read,ann\r\nSP-002,A/0,eve,Eve Else,2026-06-01,training:RC-0001,quinn\r')
if [ "$OUT" = "$want" ]; then pass "the CSV: BOM, untranslated keys, one row per confirmation, CRLF"; else fail "the CSV" "$(printf '%s' "$OUT" | od -c | head -20)"; fi
expect_exit 2 "--format csv without --acks is a usage error" "$DOCCTL" history SP-002 --format csv
expect_contains "which says to add --acks" "--acks"
expect_exit 0 "publish with training in the policy" "$DOCCTL" publish --out "$T/site"
if grep -q '已确认 2/2' "$T/site/training.html" && grep -q "已确认 1/$((N + 2))" "$T/site/SP-001.html"; then
	pass "publish writes training.html and 已确认 N/M on each document's page"
else
	fail "publish writes training.html and 已确认 N/M on each document's page" "$(ls "$T/site"; grep -o '已确认[^<]*' "$T/site/SP-001.html")"
fi
# --- a confirmation committed without --push is carried by the next push ------------
cd "$T/c-quinn" || exit 1
expect_exit 0 "quinn confirms SP-001 without pushing" "$DOCCTL" ack SP-001 --sign
check "the server does not have it yet" test -z "$(git -C "$SERVER" show $ACKS:acks/quinn.txt 2>/dev/null)"
expect_exit 0 "the next ack --push carries it" "$DOCCTL" ack --all --sign --push
line=$(git -C "$SERVER" show $ACKS:acks/quinn.txt 2>/dev/null)
if [ "$line" = "$(printf 'quinn\tSP-001\tA/0\t2026-06-01\tread\tquinn')" ]; then pass "the server holds quinn's line once"; else fail "the server holds quinn's line once" "$line"; fi

# --- retraining: false: a minor revision keeps the confirmations --------------------
cd "$T/c-ann" && git checkout -q main && git pull -q origin main
# revise_sp002 REV TEXT APPROVED_ON EXTRA: ann drafts revision REV of SP-002, quinn approves it
revise_sp002() {
	doc docs/procedures/SP-002-beta.md SP-002 "$1" draft "" "$2" "$4"
	commit_as ann "Revise SP-002: $2"
	doc docs/procedures/SP-002-beta.md SP-002 "$1" approved quinn "$2" "$4"
	sed -i "s/^approved_on: .*/approved_on: $3/" docs/procedures/SP-002-beta.md
	sign_as quinn quinn "Approve SP-002 $1"
}
revise_sp002 A/1 "Text two, a typo fixed." 2026-05-30 "$(printf 'readers: [eve, ann]\nretraining: false')"
push_accepted "a minor revision of SP-002 (retraining: false) is approved" refs/heads/main origin main
expect_exit 0 "the matrix of SP-002 A/1" "$DOCCTL" training --document SP-002 --format json
case $OUT in
*'"person": "ann"'*'"revision": "A/1", "status": "confirmed", "confirmed_on": "2026-06-01", "confirmed_revision": "A/0"'*)
	pass "ann's confirmation of A/0 carries over to A/1" ;;
*) fail "ann's confirmation of A/0 carries over to A/1" "$OUT" ;;
esac
expect_exit 0 "so ann has nothing to confirm" "$DOCCTL" ack --all --sign --push
expect_contains "and is told so" "nothing to confirm"
# --- readers.unknown: a name in readers that names nobody --------------------------
doc docs/procedures/SP-003-gamma.md SP-003 A/0 draft "" "Text three." "readers: [客服, eev, all]"
expect_exit 1 "check: readers naming nobody are findings" "$DOCCTL" check
expect_contains "客服: at its line:col, with the department it is close to" 'SP-003-gamma.md:8:11: error: reader "客服" is no person, role or department of docctl.yaml; did you mean "客服部"?'
expect_contains "eev: the person it is close to, under its rule name" 'reader "eev" is no person, role or department of docctl.yaml; did you mean "eve"? name all, a person id, a role or a department of the policy [readers.unknown]'
commit_as ann "Draft SP-003 with readers naming nobody"
push_refused "the server refuses the draft too (readers.unknown)" readers.unknown refs/heads/main origin main
git reset -q --hard origin/main
cp docctl.yaml "$T/policy.good"
sed -i 's/readers: \[客服部, qa-manager\]/readers: [客服部, qa-manger]/' docctl.yaml
expect_exit 2 "a type's reader naming nobody breaks the policy (exit 2)" "$DOCCTL" check
expect_contains "policy.invalid at its position, with the role it is close to" 'docctl.yaml:'
expect_contains "and did you mean" 'types.procedure.readers "qa-manger" names nobody of the policy; did you mean "qa-manager"?'
cp "$T/policy.good" docctl.yaml
sed -i 's/trainers: \[qa-manager\]/trainers: [qa-managers]/' docctl.yaml
expect_exit 2 "a trainer naming nobody breaks the policy (exit 2)" "$DOCCTL" check
expect_contains "with the role it is close to" 'training.trainers "qa-managers" names nobody of the policy; did you mean "qa-manager"? name a person of people or a role someone holds [policy.invalid]'
cp "$T/policy.good" docctl.yaml
check "the worktree is clean again" test -z "$(git status --porcelain)"

# --- ack reads the server's protected branch: a reader who has not pulled ----------
git clone -q "$SERVER" "$T/c-ann-stale" && git -C "$T/c-ann-stale" config user.email ann@example.com &&
	git -C "$T/c-ann-stale" config gpg.format ssh && git -C "$T/c-ann-stale" config user.signingkey "$SRV_KEYS/ann"
revise_sp002 A/2 "Text two, rewritten." 2026-05-31 "readers: [eve, ann]"
push_accepted "SP-002 A/2 (a major revision) is approved" refs/heads/main origin main
cd "$T/c-ann-stale" || exit 1
stale=$(git rev-parse main)
expect_exit 0 "ann, in a clone that has not pulled A/2, confirms SP-002" "$DOCCTL" ack SP-002 --sign --push
line=$(git -C "$SERVER" show $ACKS:acks/ann.txt 2>/dev/null | tail -n 1)
if [ "$line" = "$(printf 'ann\tSP-002\tA/2\t2026-06-01\tread\tann')" ]; then pass "her line names A/2, the revision in force on the server"; else fail "her line names A/2, the revision in force on the server" "$line"; fi
check "her local main was left alone" test "$(git rev-parse main)" = "$stale"
cd "$T/c-eve" && git checkout -q main || exit 1
expect_exit 1 "eve's key is no signer: the server refuses her confirmation and ack exits 1" "$DOCCTL" ack SP-002 --sign --push
case $ERR in *"refused the confirmations"*ack.not-self*) pass "she is told the server refused it, and why" ;; *) fail "she is told the server refused it, and why" "$ERR" ;; esac
done_testing
