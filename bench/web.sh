#!/usr/bin/env bash
# bench/web.sh - docctl-web's speed (reference §12): on the corpus of
# bench/training (bench/gen_training.py: 10,000 people, 1,000 documents,
# 1,000,000 confirmations), measures docctl-web run as a CGI directly, with
# the CGI environment a web server sets:
#   - a page of my reading list (GET ?p=home) of a reader with nothing to
#     confirm and of one with 100 revisions to confirm (target 100 ms), and
#     the first page of a day, which builds the reading lists' cache;
#   - a confirmation (POST ?p=ack with the token): the commit built in the
#     bare repository and pushed into it, the server's pre-receive hook
#     deciding (target 300 ms);
# each R times, as a Markdown table (median and max wall, median CPU, max RSS).
# The web server's bare repository is DIR/web.git, a copy of the corpus whose
# policy accepts the pusher (approval.identity [signature, pusher]) and whose
# confirmations' ref lacks the lines of p00100..p00109 (so they have
# something to confirm).
#
#   bench/web.sh [--people N] [--docs D] [--acks A] [--runs R] [--build DIR] [--dir DIR]
set -euo pipefail
shopt -s inherit_errexit

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
PEOPLE=10000 DOCS=1000 ACKS=1000000 RUNS=5 BUILD="" DIR=""
while [ $# -gt 0 ]; do
	case $1 in
	--people) PEOPLE=$2; shift 2 ;;
	--docs) DOCS=$2; shift 2 ;;
	--acks) ACKS=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--dir) DIR=$2; shift 2 ;;
	*) echo "usage: bench/web.sh [--people N] [--docs D] [--acks A] [--runs R] [--build DIR] [--dir DIR]" >&2; exit 2 ;;
	esac
done
BUILD=$(cd "${BUILD:-$ROOT/build}" && pwd)
DOCCTL=$BUILD/src/cli/docctl
WEB=$BUILD/src/web/docctl-web
DIR=${DIR:-$BENCH/training-$PEOPLE-$DOCS-$ACKS}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
exec 9>"$DIR/lock"
flock -n 9 || { echo "bench/web.sh: another run uses $DIR" >&2; exit 2; }
export GIT_CONFIG_NOSYSTEM=1 DOCCTL_AS_OF=2026-02-01
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=p00000@example.com GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=p00000@example.com

[ -f "$DIR/key" ] || ssh-keygen -q -t ed25519 -N '' -C bench -f "$DIR/key"
if [ ! -d "$DIR/repo/.git" ]; then
	echo "generating $DIR/repo ..." >&2
	python3 "$BENCH/gen_training.py" --out "$DIR/repo" --people "$PEOPLE" --docs "$DOCS" --acks "$ACKS" --key "$DIR/key.pub" >&2
	git -C "$DIR/repo" gc -q
fi
# a fresh server each run: the confirmations below land in it
BARE=$DIR/web.git
rm -rf "$BARE"
git clone -q --bare "$DIR/repo" "$BARE"
(cd "$BARE" && "$DOCCTL" init --hooks --trusted-ref refs/heads/main >/dev/null)
g() { git --git-dir="$BARE" "$@"; }
export GIT_INDEX_FILE=$DIR/web.index
rm -f "$GIT_INDEX_FILE"
g read-tree refs/heads/main
g show refs/heads/main:docctl.yaml | sed 's/^approval: .*/approval: {identity: [signature, pusher]}/' >"$DIR/web.yaml"
g update-index --cacheinfo "100644,$(g hash-object -w "$DIR/web.yaml"),docctl.yaml"
g update-ref refs/heads/main "$(g commit-tree "$(g write-tree)" -p refs/heads/main -m "bench: the web server vouches for the pusher")"
rm -f "$GIT_INDEX_FILE"
g read-tree refs/heads/docctl/acks
empty=$(g hash-object -w /dev/null)
for i in $(seq 100 109); do g update-index --cacheinfo "100644,$empty,acks/p00$i.txt"; done
g update-ref refs/heads/docctl/acks "$(g commit-tree "$(g write-tree)" -p refs/heads/docctl/acks -m "bench: ten readers to confirm")"
rm -f "$GIT_INDEX_FILE"
unset GIT_INDEX_FILE

# DIR/cgi.sh USER METHOD QUERY [BODY]: docctl-web as a web server runs it
cat >"$DIR/cgi.sh" <<EOS
#!/bin/sh
cd '$BARE' && printf '%s' "\$4" | env -i PATH="\$PATH" DOCCTL_AS_OF=$DOCCTL_AS_OF REMOTE_USER="\$1" \\
	REQUEST_METHOD="\$2" QUERY_STRING="\$3" CONTENT_TYPE=application/x-www-form-urlencoded \\
	CONTENT_LENGTH=\$(printf '%s' "\$4" | wc -c) HTTP_ACCEPT_LANGUAGE=zh-CN SCRIPT_NAME=/qms '$WEB'
EOS
chmod +x "$DIR/cgi.sh"

# measure NAME TARGET MAKER: R runs of DIR/cgi.sh with the arguments
# `MAKER i` prints (one a line); time counts the children (git, the hook).
# "| NAME | median s | max s | median CPU s | max RSS MB | target |"
measure() {
	local name=$1 target=$2 maker=$3 i t u s rss times=() cpus=() maxrss=0 args
	for ((i = 0; i < RUNS; i++)); do
		mapfile -t args < <("$maker" "$i")
		/usr/bin/time -f '%e %U %S %M' -o "$DIR/time.out" "$DIR/cgi.sh" "${args[@]}" >"$DIR/out.html" 2>"$DIR/err.out"
		head -1 "$DIR/out.html" | grep -q '^Status: 200' || { echo "$name: $(head -1 "$DIR/out.html")" >&2; }
		read -r t u s rss <"$DIR/time.out"
		times+=("$t")
		cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')")
		[ "$rss" -gt "$maxrss" ] && maxrss=$rss
	done
	med() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
	printf '| %s | %s | %s | %s | %d | %s |\n' "$name" \
		"$(printf '%s\n' "${times[@]}" | med)" "$(printf '%s\n' "${times[@]}" | sort -n | tail -1)" \
		"$(printf '%s\n' "${cpus[@]}" | med)" $((maxrss / 1024)) "$target"
}

home_42() { printf '%s\n' p00042 GET p=home; }
# the first page after a new trusted commit or a new day: it builds the
# reading lists' cache (docctl-web.reading) first
home_first() { rm -f "$BARE/docctl-web.reading"; printf '%s\n' p00042 GET p=home; }
home_101() { printf '%s\n' p00101 GET p=home; }
# p00100 confirms one more document each run (its token from a page first)
ack_100() {
	local tok
	tok=$("$DIR/cgi.sh" p00100 GET p=feedback | sed -n 's/.*name="token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
	printf '%s\n' p00100 POST p=ack "token=$tok&id=SP-$(printf %04d $((100 + 10 * $1)))"
}

echo "| docctl-web (CGI) | wall s (median of $RUNS) | wall s (max) | CPU s | max RSS MB | target |"
echo "|---|---|---|---|---|---|"
measure "my reading list, the first page of a day or of a new trusted commit (builds the cache)" "—" home_first
measure "my reading list, nothing to confirm (p00042)" "0.1 s" home_42
measure "my reading list, 100 revisions to confirm (p00101)" "0.1 s" home_101
measure "a confirmation: commit in the bare repository, push into it, the hook decides" "0.3 s" ack_100
echo
echo "p00100 has $(g show refs/heads/docctl/acks:acks/p00100.txt | wc -l) confirmations on the server after the runs (one a run)."
