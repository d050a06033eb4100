#!/bin/bash
# t0470-attachments.sh - attachments under approval (reference §9.3) with the
# real binary, real git and, on a bare server, real ssh signatures: the
# entries of files (files.invalid, link.broken, file.too-large), files no
# document lists (file.unclaimed), and a listed file's bytes as part of the
# content in pre-commit and on the server (file.changed, doc.deleted, a
# changed attachment after the signed approval, an attachment swapped
# between documents, a file smuggled under the roots), next to the
# legitimate revision.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 38
export DOCCTL_AS_OF=2026-06-01
T=$(scratch)
srv_init "$T"
F1=docs/forms/FM-001-call-log.md
F2=docs/forms/FM-002-survey.md
xlsx() { python3 "$HERE/lib/xlsx.py" "$@"; }

# form FILE ID REV STATUS BY FILES-LINE
form() {
	mkdir -p "$(dirname "$1")"
	{
		echo ---; echo "id: $2"; echo "title: Form $2"; echo "type: form"; echo "revision: $3"; echo "status: $4"
		echo "owner: ann"; [ "$3" = A/0 ] || echo "change: revised to $3"
		if [ -n "$5" ]; then echo "approved_by: $5"; echo "approved_on: ${ON:-2026-01-10}"; fi
		[ -z "${6:-}" ] || echo "$6"
		echo ---; echo "# Form $2"; echo; echo "The template is attached."
	} > "$1"
}

SERVER=$T/server.git
srv_bare "$SERVER"
git init -q "$T/work" && cd "$T/work" || exit 1
srv_policy docctl.yaml
sed -i 's/^  record: .*/&\n  form:      {id: "FM-[0-9]{3}", approvers: [qa-manager], max_file_size: 64KiB}/' docctl.yaml
srv_signers .docctl/allowed_signers
mkdir -p docs/forms && xlsx docs/forms/FM-001.xlsx "来电登记表"
mkdir -p docs/forms/附件 && xlsx docs/forms/附件/survey.xlsx "满意度调查"
form $F1 FM-001 A/0 approved quinn "files: [FM-001.xlsx]"
form $F2 FM-002 A/0 approved quinn "files: [附件/survey.xlsx]"

# --- check ------------------------------------------------------------------------
expect_exit 0 "documents with their attachments pass check" "$DOCCTL" check
form $F1 FM-001 A/0 approved quinn "files: [../FM-001.xlsx, /etc/passwd, FM-001.xlsx, FM-001.xlsx, FM-009.xlsx]"
expect_exit 1 "bad entries of files are refused" "$DOCCTL" check
expect_contains "... '..' (files.invalid)" 'files entry "../FM-001.xlsx" has an empty, "." or ".." part'
expect_contains "... absolute (files.invalid)" 'files entry "/etc/passwd" is not a path relative to the document'
expect_contains "... listed twice (files.invalid)" 'files lists "FM-001.xlsx" twice'
expect_contains "... missing (link.broken)" 'files lists "FM-009.xlsx", but docs/forms/FM-009.xlsx is not in the tree'
form $F1 FM-001 A/0 approved quinn "files: [FM-001.xlsx]"
head -c 70000 /dev/urandom > docs/forms/big.bin
form docs/forms/FM-003-big.md FM-003 A/0 approved quinn "files: [big.bin]"
expect_exit 1 "a listed file over the type's max_file_size is file.too-large" "$DOCCTL" check
expect_contains "... named so" "[file.too-large]"
rm docs/forms/big.bin docs/forms/FM-003-big.md
echo "stray" > docs/forms/notes.txt
expect_exit 0 "a file no document lists is a warning in check" "$DOCCTL" check
expect_contains "... file.unclaimed" "docs/forms/notes.txt: warning: docs/forms/notes.txt is under the roots, but no document lists it in files or links to it"
rm docs/forms/notes.txt
form $F2 FM-002 A/0 approved quinn "files: [附件/survey.xlsx, FM-001.xlsx]"
expect_exit 0 "a file two documents list is file.unclaimed" "$DOCCTL" check
expect_contains "... naming one of them" "docs/forms/FM-001.xlsx is listed in files by FM-001 and by another document"
form $F2 FM-002 A/0 approved quinn "files: [附件/survey.xlsx]"

commit_as ann "Forms with their templates"
git remote add origin "$SERVER"
push_accepted "the first push sets up main" refs/heads/main origin main
run "$DOCCTL" register
expect_contains "register lists each attachment with its size and blob id" "docs/forms/FM-001.xlsx ($(stat -c %s docs/forms/FM-001.xlsx) bytes, $(git rev-parse HEAD:docs/forms/FM-001.xlsx | cut -c1-12))"
cmp -s <("$DOCCTL" show FM-001 --file FM-001.xlsx) docs/forms/FM-001.xlsx && pass "show --file prints the attachment's bytes" ||
	fail "show --file prints the attachment's bytes" "$ERR"
run "$DOCCTL" publish --out "$T/site"
grep -q '<a href="files/docs/forms/FM-001.xlsx">FM-001.xlsx</a>' "$T/site/FM-001.html" &&
	pass "publish links the attachment on the document's page" || fail "publish links the attachment on the document's page" "$OUT $ERR"
cmp -s "$T/site/files/docs/forms/FM-001.xlsx" docs/forms/FM-001.xlsx && pass "... and copies its approved bytes" ||
	fail "... and copies its approved bytes" "$(ls -R "$T/site" | head -30)"

# --- pre-commit ----------------------------------------------------------------------
"$DOCCTL" init --hooks >/dev/null
xlsx docs/forms/FM-001.xlsx "来电登记表（改）"
git add -A
expect_exit 1 "pre-commit: a changed attachment without a new revision is refused" git commit -q -m "edit the template"
expect_contains "... file.changed" "[file.changed]"
git reset -q --hard
git rm -q docs/forms/FM-001.xlsx
expect_exit 1 "pre-commit: deleting a listed file is refused" git commit -q -m "drop the template"
expect_contains "... doc.deleted" "[doc.deleted]"
git reset -q --hard
git config core.hooksPath /dev/null

# --- the server ------------------------------------------------------------------------
xlsx docs/forms/FM-001.xlsx "来电登记表（改）"
commit_as ann "Edit FM-001's template only"
push_refused "a changed attachment without a new approved revision is refused" file.changed refs/heads/main origin main
reset_work
form $F1 FM-001 A/1 draft "" "files: [FM-001.xlsx]"
xlsx docs/forms/FM-001.xlsx "来电登记表 A/1"
commit_as ann "Revise FM-001 with a new template"
ON=2026-05-20 form $F1 FM-001 A/1 approved quinn "files: [FM-001.xlsx]"
sign_as quinn quinn "Approve FM-001 A/1"
good=$(git rev-parse HEAD)
xlsx docs/forms/FM-001.xlsx "来电登记表 A/1, changed after the approval"
commit_as ann "Swap the template after the approval"
push_refused "an attachment changed after the signed approval is refused" approval.unsigned refs/heads/main origin main
git reset -q --hard "$good"
push_accepted "the new revision with its template, approved and signed, is accepted" refs/heads/main origin main
reset_work
form $F1 FM-001 A/2 draft "" "files: [FM-001.xlsx]"
commit_as ann "Revise FM-001"
xlsx docs/forms/FM-001.xlsx "quinn's own template"
ON=2026-05-25 form $F1 FM-001 A/2 approved quinn "files: [FM-001.xlsx]"
sign_as quinn quinn "Change the template and approve FM-001 A/2"
push_refused "an approver who changes the attachment in her signed approval is refused" approval.self \
	refs/heads/main origin main
git reset -q --hard HEAD~1
xlsx docs/forms/FM-001.xlsx "quinn's own template"
commit_as quinn "Quinn edits the template"
ON=2026-05-25 form $F1 FM-001 A/2 approved quinn "files: [FM-001.xlsx]"
sign_as quinn quinn "Approve FM-001 A/2"
push_refused "... and one who changed it in a commit of her own before approving (four eyes)" approval.self \
	refs/heads/main origin main
reset_work
cp docs/forms/FM-001.xlsx "$T/a" && cp docs/forms/附件/survey.xlsx docs/forms/FM-001.xlsx && cp "$T/a" docs/forms/附件/survey.xlsx
commit_as ann "Swap the two templates"
push_refused "attachments swapped between two documents are refused" file.changed refs/heads/main origin main
expect_contains "... for both documents" "FM-002"
reset_work
echo "not approved" > docs/forms/extra.pdf
commit_as ann "Smuggle a file under the roots"
push_refused "a file smuggled under the roots is refused on a protected ref" file.unclaimed refs/heads/main origin main
git push -q origin HEAD:refs/heads/topic 2>/dev/null && pass "... and accepted on another ref (a warning there)" ||
	fail "... and accepted on another ref (a warning there)"
reset_work
form $F2 FM-002 A/1 draft "" "files: [附件/survey.xlsx, 附件/missing.xlsx]"
ON=2026-05-27 form $F2 FM-002 A/1 approved quinn "files: [附件/survey.xlsx, 附件/missing.xlsx]"
commit_as ann "FM-002 lists a file that is not there"
push_refused "a revision that lists a file not in the tree is refused (as check says)" link.broken refs/heads/main origin main
reset_work
ON=2026-05-27 form $F2 FM-002 A/1 approved quinn "files: []"
commit_as ann "FM-002 drops its template from the list, the file stays"
push_refused "a file dropped from its document's list but left under the roots is refused" file.unclaimed \
	refs/heads/main origin main

# --- new --file, revise ------------------------------------------------------------------
reset_work
git config user.name ann && git config user.email ann@example.com
xlsx docs/forms/FM-003.xlsx "投诉记录"
expect_exit 0 "new --file lists an attachment" "$DOCCTL" new form --title "Complaints" --file docs/forms/FM-003.xlsx
grep -q '^files: \["FM-003.xlsx"\]$' "$OUT" && pass "... relative to the document's folder" || fail "... relative to the document's folder" "$(cat "$OUT")"
expect_exit 2 "new --file refuses a path outside the document's folder" "$DOCCTL" new form --title "Other" --file ../x.xlsx
"$DOCCTL" revise FM-002 --change "new survey" >/dev/null
grep -q '^files: \[附件/survey.xlsx\]$' $F2 && pass "revise keeps the list" || fail "revise keeps the list" "$(cat $F2)"
git fetch -q origin && git checkout -q -B main origin/main
run "$DOCCTL" history FM-001
expect_contains "history shows when a listed file changed" "revision A/1 approved"
case $OUT in
*"  file:      FM-001.xlsx "*", changed"*"  file:      FM-001.xlsx "*) pass "... each approval with its file's blob, A/1 marked changed" ;;
*) fail "... each approval with its file's blob, A/1 marked changed" "$OUT" ;;
esac
