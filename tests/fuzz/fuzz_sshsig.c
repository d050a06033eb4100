/*
 * fuzz_sshsig.c - fuzz target for the in-process SSHSIG reader (sshsig.h),
 * a parser of what a pusher sends: the input is an armoured signature, then
 * optionally a NUL and a signers file, then optionally a NUL and the signed
 * payload. Nothing may crash, leak or hang, and "good" must never be said
 * of a signature that does not parse or of a key the signers file does not
 * list.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sshsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *sig = (const char *)data, *signers = "", *payload = "", *nul;
	size_t siglen = size, slen = 0, plen = 0;
	char fp[128];
	dc_sshsig s;
	int parsed, listed, good;

	if ((nul = memchr(sig, '\0', size))) {
		siglen = (size_t)(nul - sig);
		signers = nul + 1;
		slen = size - siglen - 1;
		if ((nul = memchr(signers, '\0', slen))) {
			payload = nul + 1;
			plen = slen - (size_t)(payload - signers);
			slen = (size_t)(nul - signers);
		}
	}
	parsed = dc_sshsig_parse(&s, sig, siglen);
	if (parsed != 0 && parsed != -1)
		abort();
	listed = parsed == 0 && dc_sshsig_listed(s.pk, signers, slen, "alice@example.com");
	good = dc_sshsig_good(sig, siglen, payload, plen, signers, slen, "alice@example.com", fp, sizeof(fp));
	if (good && (!listed || strncmp(fp, "SHA256:", 7) || strlen(fp) != 50))
		abort();
	/* the signers part as a principals list, NUL-terminated */
	{
		char *list = malloc(slen + 1);

		if (!list)
			return 0;
		memcpy(list, signers, slen);
		list[slen] = '\0';
		dc_sshsig_principal_matches("alice@example.com", list);
		free(list);
	}
	return 0;
}
