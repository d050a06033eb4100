#!/bin/bash
# t0940-completion.sh - the shell completions (completions/) as a user's
# shell runs them: bash through the real bash-completion library, with
# COMP_WORDS/COMP_CWORD set as readline sets them and _docctl called as
# `complete -F` calls it; zsh through a real interactive zsh (zpty) with
# compinit, pressing Tab. They offer the commands, each command's options,
# the ids of the documents of the repository (sample-repo) and the types of
# its policy, all asked of `docctl __complete`.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../e2e/lib/tap.sh"
SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$HERE/../.." && pwd)}

T=$(scratch)
cp -r "$SOURCE_ROOT/sample-repo" "$T/repo"
git -C "$T/repo" init -q
BIN=$T/bin
mkdir -p "$BIN"
ln -s "$DOCCTL" "$BIN/docctl"
cd "$T/repo" || exit 2

# __complete itself
run "$BIN/docctl" __complete ids
if [ "$RC" = 0 ] && grep -qx SP-004 <<<"$OUT" && grep -qx RC-0001 <<<"$OUT" && [ -z "$ERR" ]; then
	pass "__complete ids lists the documents ($(wc -l <<<"$OUT"))"
else fail "__complete ids lists the documents" "rc $RC
$OUT
$ERR"; fi
run "$BIN/docctl" __complete types
if [ "$OUT" = "$(printf 'manual\nprocedure\nquality-procedure\nwork-instruction\nform\nrecord\nexternal')" ]; then
	pass "__complete types lists the policy's types in its order"
else fail "__complete types lists the policy's types in its order" "$OUT"; fi
run "$BIN/docctl" __complete options "feedback new"
if [ "$RC" = 0 ] && grep -q $'^--kind\terror|improvement|question|complaint\t' <<<"$OUT" && grep -q $'^--customer\tNAME\t' <<<"$OUT"; then
	pass "__complete options 'feedback new': the sub-command's own options"
else fail "__complete options 'feedback new'" "rc $RC
$OUT"; fi
run "$BIN/docctl" __complete operands "feedback nothing"
[ "$RC" = 2 ] && [ -z "$OUT" ] && pass "__complete of a sub-command that does not exist: exit 2, nothing" ||
	fail "__complete of a sub-command that does not exist" "rc $RC $OUT"
# the feedback ref (reference §11): an open, an accepted and a rejected item
fb() { # ID STATUS [DECISION]
	printf -- '---\nid: %s\ndocument: SP-005\nrevision: A/1\nkind: error\nfrom: li.wei\nfiled_on: 2026-12-08\nstatus: %s\n%s---\nText.\n' \
		"$1" "$2" "${3:-}" | git hash-object -w --stdin
}
decided='decided_by: zhang.min\ndecided_on: 2026-12-09\nreason: r\n'
items=$(printf '100644 blob %s\tFB-2026-0001.md\n100644 blob %s\tFB-2026-0002.md\n100644 blob %s\tFB-2026-0003.md\n' \
	"$(fb FB-2026-0001 open)" "$(fb FB-2026-0002 accepted "$(printf "$decided")
")" "$(fb FB-2026-0003 rejected "$(printf "$decided")
")" | git mktree)
git update-ref refs/heads/docctl/feedback \
	"$(git commit-tree -m items "$(printf '040000 tree %s\tfeedback\n' "$items" | git mktree)")"
run "$BIN/docctl" __complete feedback
if [ "$RC" = 0 ] && [ "$OUT" = "$(printf 'FB-2026-0001\nFB-2026-0002')" ]; then
	pass "__complete feedback lists the items a decision can move (open, accepted), not the rejected one"
else fail "__complete feedback lists the items a decision can move" "rc $RC
$OUT
$ERR"; fi
run "$BIN/docctl" --help
expect_not_contains "docctl --help does not list the internal command" "__complete"
(cd "$T" && "$BIN/docctl" __complete ids >"$T/none.out" 2>&1)
if [ ! -s "$T/none.out" ]; then pass "outside a repository it prints nothing"
else fail "outside a repository it prints nothing" "$(cat "$T/none.out")"; fi

# bash
BC=/usr/share/bash-completion/bash_completion
if [ -f "$BC" ]; then
	cat >"$T/complete.bash" <<EOF2
. "$BC"
. "$SOURCE_ROOT/completions/docctl.bash"
PATH=$BIN:\$PATH
comp() {
	COMP_WORDS=("\$@"); COMP_CWORD=\$((\$# - 1))
	COMP_LINE="\$*"; COMP_POINT=\${#COMP_LINE}; COMPREPLY=()
	_docctl docctl "\${COMP_WORDS[-1]}" "\${COMP_WORDS[-2]}"
	echo "\${COMPREPLY[*]}"
}
EOF2
	bcomp() { bash -c ". '$T/complete.bash'; comp \"\$@\"" comp "$@" 2>&1; }
	expect_words() { # DESC WANT WORDS...
		local desc=$1 want=$2 got; shift 2
		got=$(bcomp "$@")
		if [ "$got" = "$want" ]; then pass "bash: $desc"
		else fail "bash: $desc" "completing: $*
got:  $got
want: $want"; fi
	}
	expect_words "a command" "approve" docctl ap
	expect_words "the commands starting with rev" "review revise review-due" docctl rev
	expect_words "an option of check" "--strict" docctl check --st
	expect_words "the formats of register" "md csv json html" docctl register --format ''
	expect_words "--format=VALUE" "csv" docctl register --format=c
	expect_words "document ids of the repository" "SP-001 SP-002 SP-003 SP-004 SP-005 SP-006 SP-007 SP-008" \
		docctl approve SP-
	expect_words "a type of the policy" "work-instruction" docctl new wo
	expect_words "a type after --title T" "procedure" docctl new --title "A title" pro
	expect_words "the successor's id" "WI-001 WI-002 WI-003" docctl obsolete SP-004 --superseded-by WI-
	expect_words "a person for --owner" "zhang.min zhao.lei" docctl new form --owner zh
	expect_words "no second id" "" docctl approve SP-004 ''
	expect_words "the options of approve" "--step --sign --help" docctl approve SP-004 --
	expect_words "hook names" "pre-commit pre-receive post-receive" docctl hook p
	expect_words "feedback's sub-commands" "new decide list" docctl feedback ''
	expect_words "an option of feedback new" "--kind" docctl feedback new --ki
	expect_words "the kinds of feedback new" "error improvement question complaint" docctl feedback new --kind ''
	expect_words "a document id for feedback new" "SP-001 SP-002 SP-003 SP-004 SP-005 SP-006 SP-007 SP-008" \
		docctl feedback new SP-
	expect_words "the decisions of feedback decide" "accept" docctl feedback decide FB-2026-0001 acc
	expect_words "the items feedback decide can move" "FB-2026-0001 FB-2026-0002" docctl feedback decide FB-
	expect_words "the formats of feedback list" "md csv json html" docctl feedback list --format ''
else
	echo "# bash-completion is not installed (Debian: bash-completion); bash not tried"
fi

# zsh
if command -v zsh >/dev/null; then
	if zsh -n "$SOURCE_ROOT/completions/_docctl"; then pass "zsh: _docctl parses (zsh -n)"
	else fail "zsh: _docctl parses (zsh -n)"; fi
	mkdir -p "$T/zfunc"
	cp "$SOURCE_ROOT/completions/_docctl" "$T/zfunc/"
	cat >"$T/drive.zsh" <<EOF2
zmodload zsh/zpty
zpty -b z 'PATH=$BIN:\$PATH HOME=$T zsh -f -i'
zpty -w z 'PS1="%% "; fpath=($T/zfunc \$fpath); autoload -U compinit; compinit -u -D; zstyle ":completion:*" menu no; LISTMAX=1000; print READY\$((40 + 2))'
zpty -r -m z out '*READY42*'
for line in "\$@"; do
	zpty -w -n z "\$line"\$'\t'
	sleep 1
	all=""; while zpty -r -t z o; do all+="\$o"; done
	print -r -- "== \$line"; print -r -- "\$all"
	zpty -w -n z \$'\x03'; sleep 0.3; while zpty -r -t z o; do :; done
done
zpty -d z
EOF2
	out=$(cd "$T/repo" && timeout 60 zsh -f "$T/drive.zsh" 'docctl ap' 'docctl approve SP-00' 'docctl new ' \
		'docctl check --' 'docctl feedback new --k' 'docctl feedback decide FB-' 2>&1 | tr -d '\r' | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g')
	section() { awk -v s="== $1" '$0 == s { on = 1; next } /^== / { on = 0 } on' <<<"$out"; }
	zcheck() { # DESC LINE NEEDLE...
		local desc=$1 s n; s=$(section "$2"); shift 2
		for n in "$@"; do
			grep -qF -- "$n" <<<"$s" || { fail "zsh: $desc" "missing: $n
$s"; return; }
		done
		pass "zsh: $desc"
	}
	zcheck "a command" 'docctl ap' 'docctl approve '
	zcheck "document ids of the repository" 'docctl approve SP-00' SP-001 SP-004 SP-008
	zcheck "the types of the policy" 'docctl new ' procedure work-instruction external
	zcheck "the options of check" 'docctl check --' --strict --format --as-of
	zcheck "an option of feedback new" 'docctl feedback new --k' 'docctl feedback new --kind'
	zcheck "the items feedback decide can move (their common start)" 'docctl feedback decide FB-' 'docctl feedback decide FB-2026-000'
else
	echo "# zsh is not installed; zsh not tried"
fi

plan "$TAP_N"
done_testing
