#!/usr/bin/env bash
# po-complete.sh - every catalogue in po/LINGUAS is complete (reference §7:
# zh_CN complete): msgfmt --check passes (printf conversions agree with the
# msgid), no message is fuzzy or untranslated, and the catalogue holds every
# message marked in the sources of po/POTFILES today (xgettext run afresh,
# as `ninja -C build docctl-update-po` would merge it).
#
# Usage: SOURCE_ROOT=/path/to/docctl bash tests/docs/po-complete.sh
# Speaks TAP; skips when gettext's tools are missing.
set -u

root=${SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done; }

if ! command -v msgfmt >/dev/null || ! command -v xgettext >/dev/null || ! command -v msgmerge >/dev/null; then
	echo "1..0 # SKIP gettext's tools (msgfmt, xgettext, msgmerge) are missing"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 1
grep -v '^#' po/POTFILES | grep . >"$tmp/files"
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=P_:1,2 --add-comments=TRANSLATORS: \
	--package-name=docctl -o "$tmp/docctl.pot" --files-from="$tmp/files" 2>"$tmp/xgettext.err" ||
	not_ok "xgettext reads the sources of po/POTFILES" "$(cat "$tmp/xgettext.err")"

for lang in $(grep -v '^#' po/LINGUAS); do
	po=po/$lang.po
	if stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
		case $stats in
		*fuzzy*|*untranslated*) not_ok "$po: no fuzzy or untranslated message" "$stats" ;;
		*) ok "$po: msgfmt --check passes, no fuzzy or untranslated message ($stats)" ;;
		esac
	else
		not_ok "$po: msgfmt --check passes" "$stats"
	fi
	if [ -s "$tmp/docctl.pot" ]; then
		msgmerge -q --no-fuzzy-matching "$po" "$tmp/docctl.pot" -o "$tmp/$lang.po" 2>/dev/null
		missing=$(msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" | grep '^msgid ".' )
		if [ -z "$missing" ]; then
			ok "$po translates every message marked in the sources"
		else
			not_ok "$po translates every message marked in the sources: $(grep -c . <<<"$missing") missing (ninja -C build docctl-update-po, then translate)" \
				"$(head -n 20 <<<"$missing")"
		fi
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
