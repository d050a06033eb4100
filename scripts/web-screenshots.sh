#!/bin/bash
# scripts/web-screenshots.sh - remakes the README's pictures of docctl-web
# (docs/img/web-*.png): a small server set up as tests/e2e/t0780-web.sh sets
# it up (a bare repository with docctl's hooks, lighttpd with basic auth in
# front of docctl-web), a few documents, confirmations and feedback items,
# then headless Chromium renders, in Chinese:
#   web-reading-list.png   my reading list (a PC window)
#   web-feedback-phone.png the open feedback with the decision form (a phone)
#   web-matrix.png         the training matrix (a PC window)
#
#   scripts/web-screenshots.sh [BUILD_DIR]       (default: build)
# Needs lighttpd, curl, chromium and fonts-noto-cjk (scripts/deps.sh --test).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
export DOCCTL=$BUILD/src/cli/docctl SOURCE_ROOT=$ROOT DOCCTL_AS_OF=2026-06-01
export DOCCTL_LOCALEDIR=$BUILD/po GIT_CONFIG_NOSYSTEM=1
for tool in lighttpd curl chromium; do
	command -v "$tool" >/dev/null || { echo "web-screenshots: $tool is not installed" >&2; exit 2; }
done
. "$ROOT/tests/e2e/lib/tap.sh"
. "$ROOT/tests/e2e/lib/server.sh"
. "$ROOT/tests/e2e/lib/web.sh"
set +u # the helpers read unset variables
T=$(scratch)
srv_init "$T"
SERVER=$T/server.git
srv_bare "$SERVER"
git clone -q "$SERVER" "$T/work" 2>/dev/null
cd "$T/work"
SRV_IDENTITY="signature, pusher" srv_policy docctl.yaml
sed -i 's/name: Ann Author/name: 李伟/; s/name: Quinn QA/name: 张敏/; s/name: Gina GM/name: 王芳/; s/name: Eve Else/name: 陈静/' docctl.yaml
sed -i 's/^  procedure: .*/  procedure: {id: "SP-[0-9]{3}", approvers: [qa-manager, general-manager], readers: [all]}/' docctl.yaml
printf 'training: {due: P14D, trainers: [qa-manager]}\n' >>docctl.yaml
srv_signers .docctl/allowed_signers
doc docs/procedures/SP-001-control.md SP-001 A/0 approved quinn "本程序规定文件的编制、审核、批准和发放。"
doc docs/procedures/SP-002-records.md SP-002 A/0 approved gina "本程序规定记录的标识、保存和处置。"
doc docs/procedures/SP-003-complaints.md SP-003 A/0 approved quinn "本程序规定客户投诉的受理和处理。"
doc records/RC-0001-session.md RC-0001 A/0 approved quinn "2026-05-30 培训记录。"
sed -i 's/^title: Document SP-001/title: 文件控制程序/' docs/procedures/SP-001-control.md
sed -i 's/^title: Document SP-002/title: 记录控制程序/' docs/procedures/SP-002-records.md
sed -i 's/^title: Document SP-003/title: 投诉处理程序/' docs/procedures/SP-003-complaints.md
sed -i 's/^title: Document RC-0001/title: 培训签到表/' records/RC-0001-session.md
commit_as ann "受控文件"
git push -q origin main 2>/dev/null
web_start "$SERVER" ann:pw quinn:pw gina:pw eve:pw
export WEB_CURL_ARGS="-H Accept-Language:zh-CN"
for who in quinn gina; do
	web_post "$who:pw" "?p=ack" "token=$(web_token "$who:pw")&id=SP-001"
done
web_post eve:pw "?p=ack" "token=$(web_token eve:pw)&id=SP-002"
web_post eve:pw "?p=feedback" "token=$(web_token eve:pw)&id=SP-003&kind=improvement&text=%E7%AC%AC3%E6%AD%A5%E5%BA%94%E6%B3%A8%E6%98%8E%E5%9B%9E%E5%A4%8D%E6%97%B6%E9%99%90%E3%80%82"
web_post gina:pw "?p=feedback" "token=$(web_token gina:pw)&id=SP-001&kind=error&text=%E5%8F%91%E6%94%BE%E8%AE%B0%E5%BD%95%E8%A1%A8%E7%BC%96%E5%8F%B7%E5%BA%94%E4%B8%BA+FM-003%E3%80%82"

shot() { # FILE WIDTHxHEIGHT USER QUERY
	timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars \
		--user-data-dir="$(scratch)" --lang=zh-CN --accept-lang=zh-CN --window-size="${2/x/,}" --screenshot="$1" \
		"http://$3:pw@127.0.0.1:$WEB_PORT/qms$4" >/dev/null 2>&1
	echo "$1: $(($(stat -c %s "$1") / 1024)) KB"
}
mkdir -p "$ROOT/docs/img"
shot "$ROOT/docs/img/web-reading-list.png" 1000x520 ann "?p=home"
shot "$ROOT/docs/img/web-feedback-phone.png" 390x760 quinn "?p=open"
shot "$ROOT/docs/img/web-matrix.png" 1000x700 quinn "?p=matrix"
