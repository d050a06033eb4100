#!/bin/bash
# t0470-attachments.sh - attachments under approval (reference §9.3) with the
# real binary, real git and, on a bare server, real ssh signatures: the
# entries of files (files.invalid, link.broken, file.too-large), files no
# document lists (file.unclaimed), and a listed file's bytes as part of the
# content in pre-commit and on the server (file.changed, doc.deleted, a
# changed attachment after the signed approval, an attachment swapped
# between documents, a file smuggled under the roots), files a document
# links to (claimed, but not part of the content), a policy change that
# moves the roots, odd tree entries under the roots, next to the
# legitimate revision.
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/tap.sh"
. "$HERE/lib/server.sh"

plan 70
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
expect_exit 1 "check PATH of a document judges its files entries" "$DOCCTL" check $F1
expect_contains "... (link.broken)" 'files lists "FM-009.xlsx", but docs/forms/FM-009.xlsx is not in the tree'
expect_exit 0 "... and not another document's" "$DOCCTL" check $F2
form $F1 FM-001 A/0 approved quinn "files: [FM-001.xlsx]"
head -c 70000 /dev/urandom > docs/forms/big.bin
form docs/forms/FM-003-big.md FM-003 A/0 approved quinn "files: [big.bin]"
expect_exit 1 "a listed file over the type's max_file_size is file.too-large" "$DOCCTL" check
expect_contains "... named so" "[file.too-large]"
expect_exit 1 "check PATH of the document judges its file's size" "$DOCCTL" check docs/forms/FM-003-big.md
expect_contains "... (file.too-large)" "[file.too-large]"
rm docs/forms/big.bin docs/forms/FM-003-big.md
echo "stray" > docs/forms/notes.txt
expect_exit 0 "a file no document lists is a warning in check" "$DOCCTL" check
expect_contains "... file.unclaimed" "docs/forms/notes.txt: warning: docs/forms/notes.txt is under the roots, but no document lists it in files or links to it"
run "$DOCCTL" check docs/forms/notes.txt
expect_contains "check PATH of a file under the roots that no document claims reports it" \
	"docs/forms/notes.txt: warning: docs/forms/notes.txt is under the roots, but no document lists it"
run "$DOCCTL" check docs/forms/FM-001.xlsx
expect_not_contains "... and a listed file passes" "[file.unclaimed]"
run "$DOCCTL" check $F2
expect_not_contains "check PATH of a document leaves out the files it does not claim" "notes.txt"
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
form $F1 FM-001 A/2 draft "" "files: [FM-001.xlsx]"
commit_as ann "Revise FM-001 to A/2 with the swapped template"
ON=2026-05-26 form $F1 FM-001 A/2 approved quinn "files: [FM-001.xlsx]"
sign_as quinn quinn "Approve FM-001 A/2 (FM-002 not revised)"
push_refused "... and still refused with a fresh approval of only one of them" file.changed refs/heads/main origin main
expect_contains "... FM-002 named" "FM-002"
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

# --- linked files: an image in the text is claimed, but is not part of the content ---------
# linked FILE ID STATUS BY: a form whose text shows two images (its folder, and a sibling one)
linked() {
	form "$1" "$2" A/0 "$3" "$4"
	printf '\n![flow](img/flow.gif) and ![logo](../images/%%E6%%A0%%87%%E5%%BF%%97.gif)\n' >>"$1"
}
F4=docs/forms/FM-004-linked.md
reset_work
git config --unset core.hooksPath
mkdir -p docs/forms/img docs/images
printf 'GIF89a flow A/0' >docs/forms/img/flow.gif
printf 'GIF89a logo' >docs/images/标志.gif
linked $F4 FM-004 draft ""
git add -A
expect_exit 0 "pre-commit: a document with its linked images (not in files) passes" \
	env GIT_AUTHOR_NAME=ann GIT_AUTHOR_EMAIL=ann@example.com git commit -q -m "Draft FM-004 with two images"
expect_not_contains "... without file.unclaimed" "[file.unclaimed]"
echo "stray" >docs/forms/img/stray.gif
git add -A
expect_exit 0 "pre-commit: an unlisted, unlinked file beside them is committed (off a protected ref) ..." \
	env GIT_AUTHOR_NAME=ann GIT_AUTHOR_EMAIL=ann@example.com git commit -q -m "A stray image"
expect_contains "... with a file.unclaimed warning" "docs/forms/img/stray.gif: warning: docs/forms/img/stray.gif is under the roots, but no document lists it in files or links to it"
git config core.hooksPath /dev/null
git reset -q --hard HEAD~1
ON=2026-05-28 linked $F4 FM-004 approved quinn
sign_as quinn quinn "Approve FM-004"
push_accepted "a push of a document with its linked images (not in files) is accepted" refs/heads/main origin main
APPROVED4=$(git rev-parse HEAD)
printf 'GIF89a flow, changed without approval' >docs/forms/img/flow.gif
commit_as ann "Change a linked image only"
push_accepted "a linked image changed without approval is accepted: it is not part of the approved content" \
	refs/heads/main origin main
run sh -c "cd '$SERVER' && '$DOCCTL' publish --out '$T/site4'"
[ "$(cat "$T/site4/files/docs/forms/img/flow.gif")" = "GIF89a flow A/0" ] &&
	pass "... and publish serves the bytes of the approval, not the unapproved ones" ||
	fail "... and publish serves the bytes of the approval, not the unapproved ones" "$(ls -R "$T/site4" | head) $ERR"
sed -i 's|!\[flow\](img/flow.gif) and ||' $F4
printf 'GIF89a flow, changed again' >docs/forms/img/flow.gif
commit_as ann "Drop the image's link and change the image"
push_refused "a link that only OLD's document holds claims nothing (file.unclaimed)" file.unclaimed refs/heads/main origin main
expect_contains "... the image named" "docs/forms/img/flow.gif: error:"
git reset -q --hard HEAD~1
echo "smuggled" >docs/forms/flow.gif
commit_as ann "A file named like a linked one, in another folder"
push_refused "an unlisted file that no document links to is still refused (its name is a linked file's)" file.unclaimed \
	refs/heads/main origin main
reset_work
echo "smuggled" >docs/forms/img/readme-linked.gif
printf '# Read me\n\n![x](docs/forms/img/readme-linked.gif)\n' >README.md
commit_as ann "A link from a file that is not a controlled document"
push_refused "a link from a file that is not a controlled document claims nothing" file.unclaimed \
	refs/heads/main origin main

# --- a policy change that moves the roots judges the files already there ---------------------
reset_work
mkdir -p templates && echo "old template" >templates/old.docx
commit_as ann "A template outside the roots"
push_accepted "a file outside the roots is no attachment" refs/heads/main origin main
sed -i 's/^roots: \[docs, records\]$/roots: [docs, records, templates]/' docctl.yaml
sign_as gina gina "templates/ becomes a root"
push_refused "a policy change that makes templates/ a root judges the .docx already there" file.unclaimed \
	refs/heads/main origin main
expect_contains "... named" "templates/old.docx"
git rm -q templates/old.docx
sign_as gina gina "templates/ becomes a root, without the stray template"
push_accepted "... and without it the policy change is accepted" refs/heads/main origin main

# --- odd entries under the roots: refused with a finding, never a crash --------------------------
reset_work
# odd ENTRY MESSAGE: a commit on HEAD whose docs/forms gains the raw tree entry ENTRY (mode type oid\tname)
odd() {
	local forms docs root
	forms=$( (git ls-tree -z HEAD:docs/forms; printf '%s\0' "$1") | git mktree -z) &&
		docs=$( (git ls-tree -z HEAD:docs | grep -zv $'\tforms$'; printf '040000 tree %s\tforms\0' "$forms") | git mktree -z) &&
		root=$( (git ls-tree -z HEAD | grep -zv $'\tdocs$'; printf '040000 tree %s\tdocs\0' "$docs") | git mktree -z) &&
		GIT_AUTHOR_NAME=ann GIT_AUTHOR_EMAIL=ann@example.com GIT_COMMITTER_NAME=ann GIT_COMMITTER_EMAIL=ann@example.com \
			git commit-tree -p HEAD -m "$2" "$root"
}
blob=$(echo "odd" | git hash-object -w --stdin)
target=$(printf 'FM-001.xlsx' | git hash-object -w --stdin)
# odd_refused DESC RULE ENTRY
odd_refused() {
	local c
	c=$(odd "$3" "An odd entry under the roots") || { fail "$1" "git mktree refused $3"; return; }
	push_refused "$1" "$2" refs/heads/main origin "$c:refs/heads/main"
}
odd_refused "a symbolic link under the roots is refused (file.symlink)" file.symlink "120000 blob $target	link.xlsx"
odd_refused "a submodule (gitlink) under the roots is refused (file.submodule)" file.submodule \
	"160000 commit $(git rev-parse HEAD)	sub"
odd_refused "a tree entry named .. under the roots is refused (file.unclaimed)" file.unclaimed "100644 blob $blob	.."
expect_contains "... named as it is" "docs/forms/..: error: docs/forms/.. is under the roots"
odd_refused "a file whose name holds a line feed is refused (file.unclaimed)" file.unclaimed "100644 blob $blob	new
line.xlsx"
expect_contains "... its name escaped, on one line" 'docs/forms/new\x0aline.xlsx: error:'
odd_refused "a file named a..b.xlsx that no document lists is refused (file.unclaimed)" file.unclaimed \
	"100644 blob $blob	a..b.xlsx"

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
