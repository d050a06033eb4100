#!/usr/bin/env bash
# t0300-formats.sh - docctl check's outputs and options (reference §5.1, §5.2, §7):
# --format json and sarif read back with python3's json module, --strict,
# check PATH..., --rev REV, the exit codes 0/1/2, and `docctl init` on an
# empty repository.
. "$(dirname "$0")/lib/tap.sh"

ROOT=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}

plan 37

# dc DIR ARGS...: docctl ARGS in DIR; sets OUT ERR RC.
dc() {
	local dir=$1
	shift
	run sh -c 'cd "$1" && shift && exec "$@"' sh "$dir" "$DOCCTL" "$@"
}

# is DESC WANT_RC WANT_OUT: the last run gave exactly that.
is() {
	if [ "$RC" = "$2" ] && [ "$OUT" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "exit $RC (want $2)
--- got
$OUT
--- want
$3
--- stderr
$ERR"
	fi
}

# py DESC SCRIPT: python3 reads $OUT on stdin; SCRIPT asserts; passes when it exits 0.
py() {
	local msg
	if msg=$(printf '%s' "$OUT" | python3 -c "$2" 2>&1); then
		pass "$1"
	else
		fail "$1" "$msg
--- output
$OUT"
	fi
}

repo() {
	local d
	d=$(scratch)
	cp "$ROOT/tests/cases/base/docctl.yaml" "$d/"
	mkdir -p "$d/schema" "$d/docs/forms" "$d/docs/procedures"
	cp "$ROOT/schema/document.schema.yaml" "$d/schema/"
	git -C "$d" init -q .
	echo "$d"
}

form() { # form FILE ID STATUS BODY
	printf -- '---\nid: %s\ntitle: 来电登记表\ntype: form\nrevision: A/0\nstatus: %s\nowner: li.wei\n---\n# 来电登记表\n\n%s\n' \
		"$2" "$3" "$4" >"$1"
}

# --- a small repository with two findings: an error and a warning ----------
R=$(repo)
form "$R/docs/forms/FM-001-register.md" FM-001 aproved '来电时间、来电人。'
form "$R/docs/forms/FM-002-survey.md" FM-002 draft '满意度调查，适当回访。'

TEXT='docs/forms/FM-001-register.md:6:9: error: status "aproved" is not one of draft, in-review, approved, obsolete [schema.enum]
docs/forms/FM-002-survey.md:11:7: warning: ambiguous term "适当"; say exactly what is meant (who, how much, by when) [language.ambiguous]'
dc "$R" check --as-of 2026-11-27
is "text: one finding a line, sorted by path" 1 "$TEXT"

dc "$R" check --as-of 2026-11-27 --format json
[ "$RC" = 1 ] && pass "json: exit 1 with an error" || fail "json: exit 1 with an error" "exit $RC"
py "json: an array of objects with file line column severity rule message id" '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and len(d) == 2, d
keys = {"file", "line", "column", "severity", "rule", "message", "id"}
for o in d:
    assert set(o) == keys, sorted(o)
a, b = d
assert a == {"file": "docs/forms/FM-001-register.md", "line": 6, "column": 9, "severity": "error",
             "rule": "schema.enum", "id": "FM-001",
             "message": "status \"aproved\" is not one of draft, in-review, approved, obsolete"}, a
assert b == {"file": "docs/forms/FM-002-survey.md", "line": 11, "column": 7, "severity": "warning",
             "rule": "language.ambiguous", "id": "FM-002",
             "message": "ambiguous term \"适当\"; say exactly what is meant (who, how much, by when)"}, b
'

dc "$R" check --as-of 2026-11-27 --format sarif
[ "$RC" = 1 ] && pass "sarif: exit 1 with an error" || fail "sarif: exit 1 with an error" "exit $RC"
py "sarif: 2.1.0, rules, results with ruleId level uri startLine startColumn" '
import json, sys
d = json.load(sys.stdin)
assert d["version"] == "2.1.0", d["version"]
assert "sarif" in d.get("$schema", ""), d.get("$schema")
run = d["runs"][0]
drv = run["tool"]["driver"]
assert drv["name"] == "docctl", drv["name"]
ids = [r["id"] for r in drv["rules"]]
for rule in ("schema.enum", "language.ambiguous", "id.duplicate", "link.broken", "policy.invalid"):
    assert rule in ids, rule
assert run["columnKind"] == "unicodeCodePoints", run.get("columnKind")
res = run["results"]
assert len(res) == 2, res
want = [("schema.enum", "error", "docs/forms/FM-001-register.md", 6, 9),
        ("language.ambiguous", "warning", "docs/forms/FM-002-survey.md", 11, 7)]
for r, (rule, level, uri, line, col) in zip(res, want):
    assert r["ruleId"] == rule, r
    assert r["level"] == level, r
    if "ruleIndex" in r:
        assert ids[r["ruleIndex"]] == rule, (r["ruleIndex"], rule)
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == uri, loc
    assert loc["region"]["startLine"] == line and loc["region"]["startColumn"] == col, loc
    assert r["message"]["text"], r
'
py "sarif: rule levels say which rules are warnings" '
import json, sys
rules = {r["id"]: r for r in json.load(sys.stdin)["runs"][0]["tool"]["driver"]["rules"]}
for w in ("language.ambiguous", "size.too-long", "review.overdue", "encoding.bom"):
    assert rules[w]["defaultConfiguration"]["level"] == "warning", w
assert rules["schema.enum"]["defaultConfiguration"]["level"] == "error"
'

# A finding without a known id has no id (or a null one) in JSON.
printf 'no front-matter\n' >"$R/docs/forms/FM-003.md"
dc "$R" check --as-of 2026-11-27 --format json docs/forms/FM-003.md
py "json: a finding with no id has none" '
import json, sys
d = json.load(sys.stdin)
assert len(d) == 1 and d[0]["rule"] == "frontmatter.missing", d
assert d[0].get("id") is None, d[0]
assert (d[0]["line"], d[0]["column"]) == (1, 1), d[0]
'
rm "$R/docs/forms/FM-003.md"

# --- --strict -----------------------------------------------------------------
W=$(repo)
form "$W/docs/forms/FM-002-survey.md" FM-002 draft '满意度调查，适当回访。'
dc "$W" check --as-of 2026-11-27
is "warnings only: exit 0" 0 'docs/forms/FM-002-survey.md:11:7: warning: ambiguous term "适当"; say exactly what is meant (who, how much, by when) [language.ambiguous]'
dc "$W" check --as-of 2026-11-27 --strict
is "--strict: the warning is an error, exit 1" 1 'docs/forms/FM-002-survey.md:11:7: error: ambiguous term "适当"; say exactly what is meant (who, how much, by when) [language.ambiguous]'
dc "$W" check --as-of 2026-11-27 --strict --format json
py "--strict --format json: severity error" '
import json, sys
d = json.load(sys.stdin)
assert [o["severity"] for o in d] == ["error"], d
'
[ "$RC" = 1 ] && pass "--strict --format json: exit 1" || fail "--strict --format json: exit 1" "exit $RC"

# --- check PATH... --------------------------------------------------------------
P=$(repo)
mkdir -p "$P/records/2026"
form "$P/docs/forms/FM-001-register.md" FM-001 aproved '来电登记。'
form "$P/docs/forms/FM-001-copy.md" FM-001 draft '来电登记副本，if possible 填写。'
printf -- '---\nid: RC-0001\ntitle: 投诉登记\ntype: record\nrevision: A/0\nstatus: draft\nowner: nobody\nreferences: [FM-009]\n---\n# 投诉登记\n\n已处理。\n' \
	>"$P/records/2026/RC-0001-complaint.md"
ALL='docs/forms/FM-001-copy.md:2:5: error: id "FM-001" is also used by docs/forms/FM-001-register.md; give each document its own id (docctl new assigns the next free one) [id.duplicate]
docs/forms/FM-001-copy.md:11:8: warning: ambiguous term "if possible"; say exactly what is meant (who, how much, by when) [language.ambiguous]
docs/forms/FM-001-register.md:2:5: error: id "FM-001" is also used by docs/forms/FM-001-copy.md; give each document its own id (docctl new assigns the next free one) [id.duplicate]
docs/forms/FM-001-register.md:6:9: error: status "aproved" is not one of draft, in-review, approved, obsolete [schema.enum]
records/2026/RC-0001-complaint.md:7:8: error: owner "nobody" is not a person in docctl.yaml; use a person id from its people list [person.unknown]
records/2026/RC-0001-complaint.md:8:14: error: reference "FM-009" names no document in the repository; fix the id or remove it [ref.unresolved]'
dc "$P" check --as-of 2026-11-27
is "check: every file" 1 "$ALL"

dc "$P" check --as-of 2026-11-27 docs/forms/FM-001-register.md
is "check FILE: its own findings, and id.duplicate on every file holding the id" 1 \
	"$(printf '%s\n' "$ALL" | grep -E 'FM-001-register.md|id.duplicate')"

dc "$P" check --as-of 2026-11-27 records
is "check FOLDER: only the files under it (references still resolved against all)" 1 \
	"$(printf '%s\n' "$ALL" | grep '^records/')"

dc "$P/docs" check --as-of 2026-11-27 forms/FM-001-copy.md
is "check PATH from a subfolder: PATH is relative to it, output to the root" 1 \
	"$(printf '%s\n' "$ALL" | grep -E 'FM-001-copy.md|id.duplicate')"

dc "$P" check --as-of 2026-11-27 records docs/forms/FM-001-copy.md
is "check PATH PATH: the union" 1 \
	"$(printf '%s\n' "$ALL" | grep -E 'FM-001-copy.md|id.duplicate|^records/')"

dc "$P" check --as-of 2026-11-27 docs/forms/FM-001-typo.md
if [ "$RC" = 2 ] && [ -n "$ERR" ]; then
	pass "check PATH that names nothing: a usage error (exit 2), not a silent pass"
else
	fail "check PATH that names nothing: a usage error (exit 2), not a silent pass" "exit $RC
stdout: $OUT
stderr: $ERR"
fi

# --- --rev REV: the tree of a commit, not the working tree -------------------
V=$(repo)
form "$V/docs/forms/FM-001-register.md" FM-001 aproved '来电登记。'
git -C "$V" add -A && git -C "$V" commit -q -m "a bad form"
sed -i 's/^status: aproved$/status: draft/' "$V/docs/forms/FM-001-register.md"
BAD='docs/forms/FM-001-register.md:6:9: error: status "aproved" is not one of draft, in-review, approved, obsolete [schema.enum]'
dc "$V" check --as-of 2026-11-27
is "working tree fixed: check passes" 0 ''
dc "$V" check --as-of 2026-11-27 --rev HEAD
is "--rev HEAD: the committed, bad file fails" 1 "$BAD"
dc "$V" check --as-of 2026-11-27 --rev main docs/forms/FM-001-register.md
is "--rev main PATH: a branch name and a path" 1 "$BAD"
git -C "$V" commit -q -am "fix the form"
dc "$V" check --as-of 2026-11-27 --rev HEAD~1
is "--rev HEAD~1: the older commit still fails" 1 "$BAD"
dc "$V" check --as-of 2026-11-27 --rev HEAD
is "--rev HEAD after the fix: passes" 0 ''
# a file only in the working tree is not in the commit
printf 'no front-matter\n' >"$V/docs/forms/FM-002.md"
dc "$V" check --as-of 2026-11-27 --rev HEAD
is "--rev HEAD ignores untracked working-tree files" 0 ''
rm "$V/docs/forms/FM-002.md"

# --- the working tree is what git would commit --------------------------------
G=$(repo)
printf '*.pdf\ndocs/forms/FM-009*\n' >"$G/.gitignore"
printf 'no front-matter\n' >"$G/docs/forms/FM-009-draft.md"
echo scan >"$G/docs/forms/tracked.pdf"
git -C "$G" add -f docs/forms/tracked.pdf
form "$G/docs/forms/FM-001-register.md" FM-001 draft '见[扫描件](tracked.pdf)。'
dc "$G" check --as-of 2026-11-27
is "an ignored document is not checked; a tracked file stays in the tree though ignored" 0 ''
printf 'no front-matter\n' >"$G/docs/forms/FM-002.md"
git -C "$G" add docs/forms/FM-002.md
echo 'docs/forms/FM-002.md' >>"$G/.gitignore"
dc "$G" check --as-of 2026-11-27
is "a tracked document is checked even when .gitignore names it" 1 \
	'docs/forms/FM-002.md:1:1: error: the file must start with a line "---" that opens the YAML front-matter [frontmatter.missing]'

# --- exit codes 0 / 1 / 2 -------------------------------------------------------
dc "$V" check --as-of 2026-11-27
[ "$RC" = 0 ] && pass "exit 0: no errors" || fail "exit 0: no errors" "exit $RC: $OUT $ERR"
dc "$R" check --as-of 2026-11-27
[ "$RC" = 1 ] && pass "exit 1: errors found" || fail "exit 1: errors found" "exit $RC: $OUT $ERR"
dc "$V" check --no-such-option
[ "$RC" = 2 ] && pass "exit 2: unknown option" || fail "exit 2: unknown option" "exit $RC: $OUT $ERR"
dc "$V" check --format xml
[ "$RC" = 2 ] && pass "exit 2: unknown format" || fail "exit 2: unknown format" "exit $RC: $OUT $ERR"
dc "$V" check --rev no-such-rev
[ "$RC" = 2 ] && pass "exit 2: a revision that does not exist" || fail "exit 2: a revision that does not exist" "exit $RC: $OUT $ERR"
B=$(repo)
sed -i 's/^docctl: 1$/docctl: 2/' "$B/docctl.yaml"
dc "$B" check --as-of 2026-11-27
is "exit 2: invalid policy, at docctl.yaml:line:col" 2 \
	'docctl.yaml:3:9: error: docctl format version 2 is not supported; this docctl reads version 1, write docctl: 1 [policy.invalid]'
S=$(repo)
printf 'type: object\nproperties:\n  title: {type: string, patern: "^A"}\n' >"$S/schema/document.schema.yaml"
dc "$S" check --as-of 2026-11-27
is "exit 2: invalid schema" 2 \
	'schema/document.schema.yaml:3:25: error: unknown schema keyword "patern"; see reference §4.9 for the keywords docctl supports [schema.invalid]'
E=$(scratch)
git -C "$E" init -q .
dc "$E" check
[ "$RC" = 2 ] && pass "exit 2: no docctl.yaml" || fail "exit 2: no docctl.yaml" "exit $RC: $OUT $ERR"

# --- docctl init -----------------------------------------------------------------
I=$(scratch)
git -C "$I" init -q .
dc "$I" init
if [ "$RC" = 0 ] && [ -f "$I/docctl.yaml" ] && [ -f "$I/schema/document.schema.yaml" ] && [ -f "$I/.docctl/allowed_signers" ]; then
	pass "init: creates docctl.yaml, schema/document.schema.yaml, .docctl/allowed_signers"
else
	fail "init: creates docctl.yaml, schema/document.schema.yaml, .docctl/allowed_signers" "exit $RC
$OUT
$ERR
$(cd "$I" && find . -path ./.git -prune -o -type f -print)"
fi
cmp -s "$I/schema/document.schema.yaml" "$ROOT/schema/document.schema.yaml" &&
	pass "init: the schema is the default schema" || fail "init: the schema is the default schema"
echo "# edited by the quality manager" >>"$I/docctl.yaml"
cp "$I/docctl.yaml" "$I/.want"
dc "$I" init
if [ "$RC" = 0 ] && [ "$(printf '%s\n' "$OUT" "$ERR" | grep -c 'kept')" -ge 3 ] && cmp -s "$I/docctl.yaml" "$I/.want"; then
	pass "init again: keeps all three files as they are (prints kept)"
else
	fail "init again: keeps all three files as they are (prints kept)" "exit $RC
$OUT
$ERR"
fi
rm "$I/.want"
dc "$I" check
is "check passes on the fresh scaffold" 0 ''

done_testing
