#!/usr/bin/env bash
# t0200-hostile.sh - hostile inputs of reference §4.3 that a text case cannot hold:
# huge, binary, badly encoded, deeply nested or self-multiplying files, CRLF,
# a byte-order mark, and file names with spaces and CJK characters. Each must
# give the right finding and exit code, and quickly: docctl runs under
# `timeout 5` and must answer within a second.
. "$(dirname "$0")/lib/tap.sh"

ROOT=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
LIMIT_MS=1000

plan 39

# A fresh repository: the base policy of the cases and the default schema.
repo() {
	local d
	d=$(scratch)
	cp "$ROOT/tests/cases/base/docctl.yaml" "$d/"
	mkdir -p "$d/schema" "$d/docs/forms"
	cp "$ROOT/schema/document.schema.yaml" "$d/schema/"
	git -C "$d" init -q .
	echo "$d"
}

# A valid draft form's front-matter (without the closing ---) for ID.
form_head() {
	printf -- '---\nid: %s\ntitle: 来电登记表\ntype: form\nrevision: A/0\nstatus: draft\nowner: li.wei\n' "$1"
}

# timed DIR ARGS...: docctl check in DIR under timeout 5; sets OUT ERR RC MS.
timed() {
	local dir=$1 t0
	shift
	t0=$(date +%s%N)
	run sh -c 'cd "$1" && shift && exec timeout 5 "$@"' sh "$dir" "$DOCCTL" check --as-of 2026-11-27 "$@"
	MS=$((($(date +%s%N) - t0) / 1000000))
}

# expect DESC RC WANT: $RC and $OUT are exactly that; then a test of the time.
expect() {
	local desc=$1 want_rc=$2 want=$3
	if [ "$RC" = "$want_rc" ] && [ "$OUT" = "$want" ]; then
		pass "$desc"
	else
		fail "$desc" "exit $RC (want $want_rc)
--- got
$OUT
--- want
$want
--- stderr
$ERR"
	fi
	if [ "$MS" -lt "$LIMIT_MS" ]; then
		pass "$desc: answered in ${MS} ms"
	else
		fail "$desc: answered in ${MS} ms" "limit ${LIMIT_MS} ms"
	fi
}

# --- 1. a "billion laughs": ten levels of anchors and aliases ---------------
d=$(repo)
{
	form_head FM-001
	echo 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'
	prev=a
	for n in b c d e f g h i j; do
		printf '%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n' $n $n $prev $prev $prev $prev $prev $prev $prev $prev $prev
		prev=$n
	done
	printf -- '---\n# 来电登记表\n'
} >"$d/docs/forms/FM-001.md"
timed "$d"
expect "billion laughs: yaml.alias at the first anchor" 1 \
	'docs/forms/FM-001.md:8:4: error: anchors and aliases are not allowed in front-matter; write the value out in full [yaml.alias]'

# --- 2. nesting: 30,000 brackets fit in 64 KiB, so the depth is reported ----
d=$(repo)
{
	form_head FM-001
	printf 'x: '
	head -c 30000 /dev/zero | tr '\0' '['
	head -c 30000 /dev/zero | tr '\0' ']'
	printf -- '\n---\n# 来电登记表\n'
} >"$d/docs/forms/FM-001.md"
timed "$d"
expect "30,000 nested brackets: yaml.too-deep at the 17th level" 1 \
	'docs/forms/FM-001.md:8:19: error: the value nests deeper than 16 levels; flatten the structure [yaml.too-deep]'

# 100,000 brackets are over 64 KiB: the size is checked before any parsing.
d=$(repo)
{
	form_head FM-001
	printf 'x: '
	head -c 100000 /dev/zero | tr '\0' '['
	printf -- '\n---\n# 来电登记表\n'
} >"$d/docs/forms/FM-001.md"
timed "$d"
expect "100,000 nested brackets in front-matter: frontmatter.too-large" 1 \
	'docs/forms/FM-001.md:1:1: error: the front-matter is 100091 bytes, over the limit of 64 KiB; move long values into the body [frontmatter.too-large]'

# The same in the policy: exit 2 at docctl.yaml's own line and column.
d=$(repo)
{
	printf 'extra: '
	head -c 100000 /dev/zero | tr '\0' '['
	head -c 100000 /dev/zero | tr '\0' ']'
	echo
} >>"$d/docctl.yaml"
timed "$d"
expect "100,000 nested brackets in docctl.yaml: exit 2, policy.invalid" 2 \
	'docctl.yaml:36:71: error: not valid YAML: the value nests deeper than 64 levels; flatten the structure [policy.invalid]'

# --- 3. a 5 MiB file ----------------------------------------------------------
d=$(repo)
{
	form_head FM-001
	printf -- '---\n# 来电登记表\n\n'
	yes '来电时间、来电人、电话号码、问题摘要、处理结果和工单号。' | head -c $((5 * 1024 * 1024))
} >"$d/docs/forms/FM-001.md"
timed "$d"
expect "5 MiB file: file.too-large" 1 \
	'docs/forms/FM-001.md:1:1: error: file is larger than 4 MiB; split it or move attachments out of the controlled folders [file.too-large]'

# --- 4. NUL bytes, and a PNG named .md ----------------------------------------
d=$(repo)
{
	form_head FM-001
	printf -- '---\n# 来电登记表\n\n正文\0\0\n'
} >"$d/docs/forms/FM-001.md"
timed "$d"
expect "NUL bytes: file.binary at the first NUL" 1 \
	'docs/forms/FM-001.md:11:3: error: the file contains a NUL byte; a controlled document must be a text file (remove the byte or stop tracking the file as a document) [file.binary]'

d=$(repo)
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\001\0\0\0\001\010\006\0\0\0\037\025\304\211' >"$d/docs/forms/FM-001-scan.md"
timed "$d"
expect "a PNG named .md: file.binary" 1 \
	'docs/forms/FM-001-scan.md:3:1: error: the file contains a NUL byte; a controlled document must be a text file (remove the byte or stop tracking the file as a document) [file.binary]'

# --- 5. invalid UTF-8, in the body and in the front-matter -----------------
d=$(repo)
{
	form_head FM-001
	printf -- '---\n# 来电登记表\n\n正文\377 abc\n'
} >"$d/docs/forms/FM-001.md"
{
	printf -- '---\nid: FM-002\ntitle: 来电\300\257登记表\n'
	printf 'type: form\nrevision: A/0\nstatus: draft\nowner: li.wei\n---\n# 来电登记表\n'
} >"$d/docs/forms/FM-002.md"
{
	form_head FM-003
	printf -- '---\n# 来电登记表\n\n代理对 \355\240\200 不是字符\n'
} >"$d/docs/forms/FM-003.md"
timed "$d"
expect "invalid UTF-8 (stray 0xFF, overlong, surrogate): encoding.utf8 at line:col" 1 \
	'docs/forms/FM-001.md:11:3: error: byte 0xFF is not valid UTF-8; save the file as UTF-8 [encoding.utf8]
docs/forms/FM-002.md:3:10: error: byte 0xC0 is not valid UTF-8; save the file as UTF-8 [encoding.utf8]
docs/forms/FM-003.md:11:5: error: byte 0xED is not valid UTF-8; save the file as UTF-8 [encoding.utf8]'

# --- 6. 100 KiB of front-matter ---------------------------------------------
d=$(repo)
{
	form_head FM-001
	for i in $(seq 1 1024); do
		printf 'k%04d: "%s"\n' "$i" "$(head -c 90 /dev/zero | tr '\0' x)"
	done
	printf -- '---\n# 来电登记表\n'
} >"$d/docs/forms/FM-001.md"
timed "$d"
expect "100 KiB of front-matter: frontmatter.too-large" 1 \
	'docs/forms/FM-001.md:1:1: error: the front-matter is 102487 bytes, over the limit of 64 KiB; move long values into the body [frontmatter.too-large]'

# --- 7. a catastrophic-backtracking pattern in a schema ---------------------
d=$(repo)
cat >"$d/schema/document.schema.yaml" <<'EOF'
# (\w+\s?)*$ backtracks exponentially on a long title that ends in "!"
type: object
properties:
  title: {type: string, pattern: "^(\\w+\\s?)*$"}
EOF
{
	printf -- '---\nid: FM-001\ntitle: '
	for i in $(seq 1 3000); do printf 'abcde '; done
	printf '!\ntype: form\nrevision: A/0\nstatus: draft\nowner: li.wei\n---\n# 来电登记表\n'
} >"$d/docs/forms/FM-001.md"
timed "$d"
expect "catastrophic pattern: schema.invalid, exit 2, never a pass" 2 \
	'schema/document.schema.yaml:4:34: error: pattern "^(\\w+\\s?)*$" hit the match limit on field title; simplify the pattern [schema.invalid]'
# a second run (docctl may have cached the first) says the same
timed "$d"
expect "catastrophic pattern, second run: the same finding in the schema file" 2 \
	'schema/document.schema.yaml:4:34: error: pattern "^(\\w+\\s?)*$" hit the match limit on field title; simplify the pattern [schema.invalid]'

# --- 8. CRLF line endings everywhere ------------------------------------------
crlf() { sed -i 's/$/\r/' "$@"; }
d=$(repo)
mkdir -p "$d/docs/procedures"
cat >"$d/docs/procedures/SP-004-document-control.md" <<'EOF'
---
id: SP-004
title: 文件控制程序
type: procedure
revision: B/0
status: approved
owner: li.wei
change: 增加记录保存期限表
references: [FM-001]
approved_by: zhang.min
approved_on: 2026-11-20
effective: 2026-12-01
...
# 文件控制程序

## 1 目的
规定文件的编制、批准、发布和更改。

## 2 适用范围
本公司服务管理体系的全部文件。

## 3 职责
质量管理部负责文件的归口管理。

## 4 程序
文件经批准后发布，见[来电登记表](../forms/FM-001.md)。

## 5 记录
文件发放回收记录表。
EOF
{ form_head FM-001; printf -- '---\n# 来电登记表\n'; } >"$d/docs/forms/FM-001.md"
crlf "$d/docctl.yaml" "$d/schema/document.schema.yaml" "$d/docs/procedures/SP-004-document-control.md" "$d/docs/forms/FM-001.md"
timed "$d"
expect "CRLF everywhere (policy, schema, documents): passes" 0 ''

# The same file with mistakes: lines and columns as with LF.
sed -i 's/^status: approved\r$/status: aproved\r/; s/^## 3 职责\r$/## 3 分工\r/; s/FM-001\.md)/FM-01.md)/' \
	"$d/docs/procedures/SP-004-document-control.md"
timed "$d"
expect "CRLF: findings at the right line and column" 1 \
	'docs/procedures/SP-004-document-control.md:6:9: error: status "aproved" is not one of draft, in-review, approved, obsolete [schema.enum]
docs/procedures/SP-004-document-control.md:22:4: error: missing section "职责|Responsibilities" required for type procedure; add a level-2 heading "## 职责" before this one [section.missing]
docs/procedures/SP-004-document-control.md:26:19: error: link "../forms/FM-01.md" points at "docs/forms/FM-01.md", which does not exist; fix the path or add the file [link.broken]'

# --- 9. a byte-order mark -----------------------------------------------------
d=$(repo)
{ printf '\357\273\277'; form_head FM-001; printf -- '---\n# 来电登记表\n'; } >"$d/docs/forms/FM-001.md"
timed "$d"
expect "BOM: encoding.bom warning, exit 0" 0 \
	'docs/forms/FM-001.md:1:1: warning: the file starts with a UTF-8 byte-order mark; save it as UTF-8 without a BOM [encoding.bom]'

# A BOM does not shift the columns of line 1 nor the lines after it.
{ printf '\357\273\277'; form_head FM-002 | sed 's/^status: draft$/status: aproved/'; printf -- '---\n# 来电登记表\n'; } >"$d/docs/forms/FM-002.md"
timed "$d" docs/forms/FM-002.md
expect "BOM: findings after it at the right place" 1 \
	'docs/forms/FM-002.md:1:1: warning: the file starts with a UTF-8 byte-order mark; save it as UTF-8 without a BOM [encoding.bom]
docs/forms/FM-002.md:6:9: error: status "aproved" is not one of draft, in-review, approved, obsolete [schema.enum]'

# --- 10. file names with spaces and CJK characters --------------------------
d=$(repo)
mkdir -p "$d/docs/forms/表单 目录"
{ form_head FM-001; printf -- '---\n# 来电登记表\n'; } >"$d/docs/forms/表单 目录/FM-001-来电 登记表.md"
timed "$d"
expect "CJK and spaces in a valid path: passes" 0 ''

{ form_head FM-002; printf -- '---\n# 来电记录表\n'; } >"$d/docs/forms/表单 目录/来电记录表 FM-002.md"
{ form_head FM-003 | sed 's/^status: draft$/status: aproved/'; printf -- '---\n# 调查表\n'; } >"$d/docs/forms/表单 目录/FM-003 调查表.md"
timed "$d"
expect "CJK and spaces: id.filename and other findings with the right path" 1 \
	'docs/forms/表单 目录/FM-003 调查表.md:2:5: error: file name "FM-003 调查表.md" does not match id "FM-003"; rename the file to FM-003.md or FM-003-<title>.md [id.filename]
docs/forms/表单 目录/FM-003 调查表.md:6:9: error: status "aproved" is not one of draft, in-review, approved, obsolete [schema.enum]
docs/forms/表单 目录/来电记录表 FM-002.md:2:5: error: file name "来电记录表 FM-002.md" does not match id "FM-002"; rename the file to FM-002.md or FM-002-<title>.md [id.filename]'

# The same paths read from a commit (git quotes such names; docctl must not).
worktree_out=$OUT
git -C "$d" add -A && git -C "$d" commit -q -m "forms"
timed "$d" --rev HEAD
expect "CJK and spaces in --rev HEAD: the same findings" 1 "$worktree_out"
case $OUT in
*'"'*'\3'*) fail "CJK paths are not octal-quoted" "$OUT" ;;
*) pass "CJK paths are not octal-quoted" ;;
esac

# --- 11. symbolic links are not followed (and a folder one is reported too) --------------------------------------
d=$(repo)
ln -s / "$d/docs/root"
ln -s /etc/passwd "$d/docs/forms/FM-009.md"
ln -s FM-loop.md "$d/docs/forms/FM-loop.md"
timed "$d"
expect "symbolic links to / and /etc/passwd and a loop: file.symlink, nothing followed" 1 \
	'docs/forms/FM-009.md:1:1: error: controlled file is a symbolic link; replace it with the file itself [file.symlink]
docs/forms/FM-loop.md:1:1: error: controlled file is a symbolic link; replace it with the file itself [file.symlink]
docs/root: error: docs/root is a symbolic link; only files and folders may stand under the roots: remove it with git rm --cached docs/root and put the file or folder itself there [file.symlink]'

done_testing
