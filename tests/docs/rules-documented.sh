#!/usr/bin/env bash
# rules-documented.sh - the reference (docs/reference.md) and the code agree:
#
#  - every rule of the table in src/lib/rules.def has a row in the reference's
#    rule index (§5) with the same severity, an entry of its own in §5.3
#    ("##### `name` — severity") and an example finding ending in "[name]";
#  - every rule of the reference's index exists in rules.c, or its row says
#    "(not yet implemented)" (and then it must not exist in rules.c);
#  - every command of src/cli/main.c has its section in §7, and every policy
#    key that src/lib/policy.c accepts is in a table of §3.
#
# Usage: SOURCE_ROOT=/path/to/docctl bash tests/docs/rules-documented.sh
# Speaks TAP.
set -u

root=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
rules_c=$root/src/lib/rules.c
rules_def=$root/src/lib/rules.def
main_c=$root/src/cli/main.c
policy_c=$root/src/lib/policy.c
ref=$root/docs/reference.md

# Rules that branches being merged now add to rules.c; the reference already
# documents them as existing. Once a name is in rules.c it is checked like
# every other rule, and it can be removed from this list.
pending=""

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

for f in "$rules_c" "$rules_def" "$main_c" "$policy_c" "$ref"; do
	if [ ! -f "$f" ]; then
		echo "1..1"
		echo "not ok 1 - $f exists"
		exit 1
	fi
done

# "name severity" for each row of rules.def: RULE(ID, "name", E|W, fatal, N_("summary"))
# (and of rules.c, should a row still be written there: { "name", E|W, ... })
code_rules=$({ sed -nE 's/^RULE\([A-Z0-9_]+,[[:space:]]*"([A-Za-z0-9.-]+)",[[:space:]]*(E|W)[[:space:]]*,.*/\1 \2/p' "$rules_def"
	sed -nE 's/^[[:space:]]*\{[[:space:]]*"([A-Za-z0-9.-]+)",[[:space:]]*(E|W|DC_SEV_ERROR|DC_SEV_WARNING)[[:space:]]*,.*/\1 \2/p' "$rules_c"; } |
	sed -E 's/ (E|DC_SEV_ERROR)$/ error/; s/ (W|DC_SEV_WARNING)$/ warning/')

# "name|severity cell|whole row" for each name in the first cell of a row of
# the reference's rule index: | `a` | error | ... or | `a`, `b` | error | ...
index_rows=$(awk '
	/^## §5 /  { inside = 1; next }
	/^### /    { inside = 0 }
	inside && /^\| `/ {
		split($0, cell, "|")
		sev = cell[3]; gsub(/^ +| +$/, "", sev)
		names = cell[2]
		while (match(names, /`[^`]+`/)) {
			print substr(names, RSTART + 1, RLENGTH - 2) "|" sev "|" $0
			names = substr(names, RSTART + RLENGTH)
		}
	}' "$ref")

in_code() { printf '%s\n' "$code_rules" | awk -v r="$1" '$1 == r { found = 1 } END { exit !found }'; }
is_pending() { case " $pending " in *" $1 "*) return 0 ;; esac; return 1; }

if [ -z "$code_rules" ]; then
	not_ok "rules are read from src/lib/rules.c" "no row like { \"name\", E, 0, \"...\" } found; update this script to the table's new form"
else
	ok "rules are read from src/lib/rules.c ($(printf '%s\n' "$code_rules" | wc -l) rules)"
fi
if [ -z "$index_rows" ]; then
	not_ok "the rule index of docs/reference.md §5 is found" "no row like | \`name\` | error | ... after '## §5 '"
fi

# 1. every rule of the code is documented, with its severity, an entry and an example
while read -r name sev; do
	[ -n "$name" ] || continue
	row=$(printf '%s\n' "$index_rows" | awk -F'|' -v r="$name" '$1 == r { print; exit }')
	problems=()
	if [ -z "$row" ]; then
		problems+=("no row for \`$name\` in the rule index of docs/reference.md §5")
	else
		docsev=$(printf '%s' "$row" | cut -d'|' -f2)
		case "$docsev" in
		"$sev"*) ;;
		*) problems+=("the index says \"$docsev\", rules.c says $sev") ;;
		esac
		case "$row" in
		*"(not yet implemented)"*) problems+=("the index marks it \"(not yet implemented)\", but rules.c has it: remove the marker") ;;
		esac
	fi
	grep -qF "##### \`$name\` — $sev" "$ref" ||
		problems+=("no entry \"##### \`$name\` — $sev\" in docs/reference.md §5.3")
	grep -qE "(error|warning): .*\[${name//./\\.}\]\$" "$ref" ||
		problems+=("no example finding ending in \"[$name]\" in docs/reference.md")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "rule $name is documented ($sev)"
	else
		not_ok "rule $name is documented ($sev)" "${problems[@]}"
	fi
done <<<"$code_rules"

# 2. every rule of the reference exists, or is marked as not yet implemented
while IFS='|' read -r name sev rest; do
	[ -n "$name" ] || continue
	if in_code "$name"; then
		continue # checked above
	elif is_pending "$name"; then
		ok "rule $name of the reference is being added to rules.c # SKIP pending merge"
	else
		case "$rest" in
		*"(not yet implemented)"*) ok "rule $name of the reference is marked (not yet implemented)" ;;
		*) not_ok "rule $name of the reference exists" \
			"\`$name\` is in the rule index of docs/reference.md but not in src/lib/rules.c;" \
			"add it to rules.c, correct its name, or mark its row \"(not yet implemented)\"" ;;
		esac
	fi
done <<<"$index_rows"

for name in $pending; do
	if in_code "$name"; then
		echo "# note: $name is in rules.c now; remove it from \"pending\" in $0"
	fi
done

# 3. every command has its section in §7
for cmd in $(sed -nE 's/^[[:space:]]*\{[[:space:]]*"([a-z-]+)",[[:space:]]*cmd_.*/\1/p' "$main_c"); do
	if grep -qE "^### §7\.[0-9]+ $cmd\$" "$ref"; then
		ok "command $cmd has its section in §7"
	else
		not_ok "command $cmd has its section in §7" "add \"### §7.N $cmd\" to docs/reference.md"
	fi
done

# 4. every policy key policy.c accepts is in a table of §3
keys=$(awk '/^static const char \*const (top|type|person|approval|language)_keys\[\]/, /;/' "$policy_c" |
	grep -oE '"[a-z_]+"' | tr -d '"' | sort -u)
section3=$(awk '/^## §3 /, /^## §4 /' "$ref")
for key in $keys; do
	if printf '%s\n' "$section3" | grep -qF "| \`$key\` |"; then
		ok "policy key $key is in §3"
	else
		not_ok "policy key $key is in §3" "add a row | \`$key\` | type | default | example | meaning | to docs/reference.md §3"
	fi
done

echo "1..$n"
[ "$failed" -eq 0 ]
