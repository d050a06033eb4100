#!/bin/bash
# t0930-man-pages.sh - the man pages as built (man/, from scdoc): each one,
# English and Chinese, renders without a single groff warning; docctl(1)
# names every command and every option the commands accept (their tables
# in src/cli, as `docctl __complete options CMD` lists them), in both
# languages (t0935 checks each in its command's section); the Chinese pages use the
# glossary's terms and not their rivals.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../e2e/lib/tap.sh"
SOURCE_ROOT=${SOURCE_ROOT:-$(cd "$HERE/../.." && pwd)}
BUILD_ROOT=${BUILD_ROOT:-$(cd "$(dirname "$DOCCTL")/../.." && pwd)}
M=$BUILD_ROOT/man
pages="docctl.1 docctl.yaml.5 docctl-documents.7 docctl-web.8"

if [ ! -f "$M/docctl.1" ]; then
	echo "1..0 # SKIP the man pages were not built (no scdoc; scripts/deps.sh installs it)"
	exit 0
fi
command -v man >/dev/null && command -v groff >/dev/null || {
	echo "1..0 # SKIP man or groff is missing (Debian: man-db, groff-base)"
	exit 0
}

locales="C.UTF-8"
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' && locales="$locales zh_CN.UTF-8"

for page in $pages; do
	for f in "$M/$page" "$M/zh_CN/$page"; do
		name=${f#"$M/"}
		for loc in $locales; do
			w=$(LC_ALL=$loc MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
			if [ -z "$w" ]; then pass "$name renders without warnings ($loc)"
			else fail "$name renders without warnings ($loc)" "$w"; fi
		done
		w=$(groff -ww -z -man -Tutf8 -k "$f" 2>&1)
		if [ -z "$w" ]; then pass "$name: groff -ww finds nothing"
		else fail "$name: groff -ww finds nothing" "$w"; fi
	done
done

# the text as a reader sees it
en=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$M/docctl.1" 2>/dev/null)
zh=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$M/zh_CN/docctl.1" 2>/dev/null)

commands=$("$DOCCTL" --help | awk '/^   [a-z]/ { print $1 }')
missing=""
for c in $commands; do
	grep -q "^       $c\b" <<<"$en" || missing="$missing en:$c"
	grep -q "^       $c\b" <<<"$zh" || missing="$missing zh:$c"
done
if [ -n "$commands" ] && [ -z "$missing" ]; then pass "docctl(1) has a section for every command ($(wc -w <<<"$commands"))"
else fail "docctl(1) has a section for every command" "missing:$missing"; fi

options=$(for c in $commands; do "$DOCCTL" __complete options "$c" | cut -f1 | sed 's/^--//'; done | sort -u)
missing=""
for o in $options; do
	grep -q -- "--$o\b" <<<"$en" || missing="$missing en:--$o"
	grep -q -- "--$o\b" <<<"$zh" || missing="$missing zh:--$o"
done
if [ "$(wc -w <<<"$options")" -ge 10 ] && [ -z "$missing" ]; then
	pass "docctl(1) describes every option of src/cli ($(wc -w <<<"$options"))"
else fail "docctl(1) describes every option of src/cli" "options in the command tables (docctl __complete options CMD): $(echo $options)
missing:$missing"; fi

# the glossary (po/zh_CN.po): one word for one thing
all_zh=$(for p in $pages; do LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$M/zh_CN/$p" 2>/dev/null; done)
missing=""
for term in 受控文件 生效 作废 批准 审核 评审 记录 外来文件; do
	grep -q "$term" <<<"$all_zh" || missing="$missing $term"
done
if [ -z "$missing" ]; then pass "the Chinese pages use the glossary's terms"
else fail "the Chinese pages use the glossary's terms" "missing:$missing"; fi
rivals=$(grep -o '废止\|审批\|审查\|复审\|受控文档\|外部文件\|生效期' <<<"$all_zh" | sort -u | tr '\n' ' ')
if [ -z "$rivals" ]; then pass "and none of their rivals"
else fail "and none of their rivals" "found: $rivals"; fi

plan "$TAP_N"
done_testing
