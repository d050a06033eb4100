# training.sh - the server of the training tests (t0760, t0761), sourced
# after tap.sh and server.sh, with $T set and srv_init run:
#
#   training_server N   $SERVER, a bare repository with docctl's hooks, and
#                       $T/work, its first clone: the test policy with
#                       readers per type, people in departments, a trainer
#                       (qa-manager) and N readers p01..pN (keys in $SRV_KEYS,
#                       in the signers file), SP-001, SP-002 (readers eve
#                       and ann) and RC-0001 pushed to main. Two checks:
#                       the push, and a clean docctl check.
#
# Sets ACKS (the confirmations' ref) and N; leaves the shell in $T/work.

training_server() {
	N=$1
	ACKS=refs/heads/docctl/acks

	local i people=""
	for i in $(seq -w 1 $N); do
		ssh-keygen -q -t ed25519 -N '' -C "p$i" -f "$SRV_KEYS/p$i"
		people+="  p$i: {name: Reader $i, email: p$i@example.com, roles: [], departments: [客服部]}"$'\n'
	done

	SERVER=$T/server.git
	srv_bare "$SERVER"
	git init -q "$T/work" && cd "$T/work" || exit 1
	srv_policy docctl.yaml
	# people in departments, a trainer (qa-manager), readers per type
	sed -i 's/^  ann: .*/  ann:   {name: Ann Author, email: ann@example.com, roles: [author], departments: [客服部]}/' docctl.yaml
	sed -i 's/^  procedure: .*/  procedure: {id: "SP-[0-9]{3}", approvers: [qa-manager, general-manager], readers: [客服部, qa-manager]}/' docctl.yaml
	printf '%s' "$people" >people.txt
	sed -i '/^  eve: /r people.txt' docctl.yaml && rm people.txt
	printf 'training: {due: P14D, trainers: [qa-manager]}\n' >>docctl.yaml
	srv_signers .docctl/allowed_signers
	for i in $(seq -w 1 $N); do
		echo "p$i@example.com namespaces=\"git\" $(cat "$SRV_KEYS/p$i.pub")" >>.docctl/allowed_signers
	done
	doc docs/procedures/SP-001-alpha.md SP-001 A/0 approved quinn "Text one."
	doc docs/procedures/SP-002-beta.md SP-002 A/0 approved quinn "Text two." "readers: [eve, ann]"
	doc records/RC-0001-session.md RC-0001 A/0 approved quinn "Training session of 2026-05-30."
	commit_as ann "Initial controlled documents"
	git remote add origin "$SERVER"
	push_accepted "the first push sets up main" refs/heads/main origin main
	check "docctl check is clean with readers and training in the policy" "$DOCCTL" check
}
