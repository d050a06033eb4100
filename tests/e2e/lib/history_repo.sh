# history_repo.sh - builds a controlled repository with real history for the
# reading commands (register, history, show, review-due, publish): sourced
# after tap.sh.
#
#   build_history_repo DIR   makes DIR a git repository on branch main:
#
#   2026-01-10  import of sample-repo (unsigned), with SP-004 at A/0 and
#               SP-001 still approved; WI-001 links an attachment, SP-003
#               links the confidential record RC-0001
#   2026-02-20  branch sp004-a1: li.wei revises SP-004 to A/1 (a draft)
#   2026-03-01  zhang.min approves SP-004 A/1 on the branch, signed
#   2026-03-02  main merges sp004-a1 (--no-ff, unsigned merge commit)
#   2026-03-05  wang.fang obsoletes SP-001 (superseded by SP-007), signed
#   2026-04-01  WI-003 is renamed (pure rename, no approval needed)
#   2026-05-10  li.wei revises FM-004 to A/1; 2026-05-12 liu.yang approves it,
#               signed with a key the signers file does not list
#   2026-06-01  wang.fang records the periodic review of SP-004 A/1, signed
#   2026-11-10  li.wei revises SP-004 to B/0, effective 2026-12-15
#   2026-11-20  zhang.min approves SP-004 B/0, signed: pending until 12-15
#   branch draft/sp-009: a new draft SP-009, never merged
#
# Keys are in DIR/../keys. Needs DOCCTL and SOURCE_ROOT.

# setfm FILE KEY=VALUE... -KEY...: sets or removes front-matter lines
setfm() {
	python3 - "$@" <<'PY'
import sys
path, edits = sys.argv[1], sys.argv[2:]
text = open(path, encoding="utf-8").read()
head, rest = text[4:].split("\n---\n", 1)
lines = head.split("\n")
for e in edits:
    if e.startswith("-"):
        lines = [l for l in lines if not l.startswith(e[1:] + ":")]
        continue
    k, v = e.split("=", 1)
    for i, l in enumerate(lines):
        if l.startswith(k + ":"):
            lines[i] = k + ": " + v
            break
    else:
        lines.append(k + ": " + v)
open(path, "w", encoding="utf-8").write("---\n" + "\n".join(lines) + "\n---\n" + rest)
PY
}

# as PERSON WHEN CMD...: runs CMD as PERSON (git identity, signing key,
# DOCCTL_AS_OF) at WHEN (ISO 8601 with offset)
as() {
	local who=$1 when=$2
	shift 2
	git config user.name "$who" && git config user.email "$who@example.com" &&
		git config user.signingkey "${SIGNKEY:-$KEYS/$who}" &&
		GIT_AUTHOR_NAME=$who GIT_AUTHOR_EMAIL=$who@example.com GIT_COMMITTER_NAME=$who \
		GIT_COMMITTER_EMAIL=$who@example.com GIT_AUTHOR_DATE=$when GIT_COMMITTER_DATE=$when \
		DOCCTL_AS_OF=${when%%T*} "$@"
}

build_history_repo() {
	local dir=$1 p
	KEYS=$(dirname "$dir")/keys
	mkdir -p "$KEYS" "$dir" || return 1
	for p in zhang.min wang.fang liu.yang chen.jing li.wei mallory; do
		ssh-keygen -q -t ed25519 -N '' -C "$p" -f "$KEYS/$p" || return 1
	done
	cp -a "$SOURCE_ROOT/sample-repo/." "$dir/" || return 1
	# the documents of the sign-off steps and attachments (reference §9) have
	# tests of their own (t0460, t0470): this history is the one of before
	rm -f "$dir"/docs/procedures/QP-001-*.md "$dir"/docs/forms/FM-005-*
	(
		set -e
		cd "$dir"
		for p in zhang.min wang.fang liu.yang chen.jing li.wei; do
			echo "$p@example.com namespaces=\"git\" $(cat "$KEYS/$p.pub")" >> .docctl/allowed_signers
		done
		SP4=docs/procedures/SP-004-document-control.md
		SP1=docs/procedures/SP-001-service-management.md
		FM4=docs/forms/FM-004-document-change-request.md
		setfm "$SP4" revision=A/0 approved_on=2026-01-10 effective=2026-01-10 -change
		sed -i '/^## （五）记录/i 本版本为初版。\n' "$SP4"
		setfm "$SP1" status=approved -obsoleted_by -obsoleted_on -superseded_by
		mkdir -p docs/attachments
		printf '您好，售后服务热线。\n' > docs/attachments/hotline-script.txt
		sed -i 's/^7\. \*\*记录\*\*：\(.*\)$/7. **记录**：\1\n8. **话术**：见[热线话术](..\/attachments\/hotline-script.txt)。/' \
			docs/work-instructions/WI-001-service-hotline.md
		printf '\n示例见[投诉记录 TS-2026-031](../../records/2026/RC-0001-complaint-ts-2026-031.md)（机密）。\n' \
			>> docs/procedures/SP-003-complaint-handling.md
		git init -q -b main .
		git config gpg.format ssh
		git add -A
		as wang.fang 2026-01-10T09:00:00+08:00 git commit -q -m "Import the controlled documents"

		git checkout -q -b sp004-a1
		as li.wei 2026-02-20T14:00:00+08:00 "$DOCCTL" revise SP-004 --change "明确电子文件的发放方式" >/dev/null
		sed -i 's/^本版本为初版。$/电子文件经文件管理员发布到内部网站后即视为已发放。/' "$SP4"
		as li.wei 2026-02-20T14:00:00+08:00 git commit -q -am "Revise SP-004 to A/1"
		as zhang.min 2026-03-01T10:00:00+08:00 "$DOCCTL" approve SP-004 --sign >/dev/null
		git checkout -q main
		as wang.fang 2026-03-02T09:00:00+08:00 git merge -q --no-ff -m "Merge SP-004 A/1" sp004-a1

		as wang.fang 2026-03-05T11:00:00+08:00 "$DOCCTL" obsolete SP-001 --superseded-by SP-007 --sign >/dev/null

		git mv docs/work-instructions/WI-003-document-numbering.md docs/work-instructions/WI-003-numbering.md
		sed -i 's/WI-003-document-numbering\.md/WI-003-numbering.md/g' docs/procedures/*.md
		as liu.yang 2026-04-01T09:00:00+08:00 git commit -q -am "Rename WI-003"

		as li.wei 2026-05-10T09:00:00+08:00 "$DOCCTL" revise FM-004 --change "增加申请编号栏" >/dev/null
		sed -i 's/^按\[文件控制程序\]/申请编号：______\n\n&/' "$FM4"
		as li.wei 2026-05-10T09:00:00+08:00 git commit -q -am "Revise FM-004 to A/1"
		SIGNKEY=$KEYS/mallory as liu.yang 2026-05-12T16:00:00+08:00 "$DOCCTL" approve FM-004 --sign >/dev/null

		as wang.fang 2026-06-01T08:30:00+08:00 "$DOCCTL" review SP-004 --sign >/dev/null

		as li.wei 2026-11-10T09:00:00+08:00 "$DOCCTL" revise SP-004 \
			--change "增加文件定期评审要求和电子签名批准方式" >/dev/null
		setfm "$SP4" revision=B/0 effective=2026-12-15
		sed -i 's/^电子文件经文件管理员发布到内部网站后即视为已发放。$/B 版新增：文件每年评审一次，批准以电子签名为准。/' "$SP4"
		as li.wei 2026-11-10T09:00:00+08:00 git commit -q -am "Revise SP-004 to B/0"
		as zhang.min 2026-11-20T15:30:00+08:00 "$DOCCTL" approve SP-004 --sign >/dev/null

		git checkout -q -b draft/sp-009
		sed -e 's/^id: SP-007$/id: SP-009/' -e 's/^title: .*/title: 服务连续性程序/' -e 's/^status: approved$/status: draft/' \
			docs/procedures/SP-007-service-planning.md > docs/procedures/SP-009-service-continuity.md
		git add docs/procedures/SP-009-service-continuity.md
		as li.wei 2026-11-25T09:00:00+08:00 git commit -q -m "Draft SP-009"
		git checkout -q main
		git config user.name Tester && git config user.email tester@example.com
		git config --unset user.signingkey
	)
}
