/*
 * script_fixture.h - what the signature unit tests (test_signature.c,
 * test_sshsig.c) share: running a shell script that makes real keys and
 * signatures in a scratch folder, and reading back what it wrote. Include
 * after <cmocka.h>.
 */
#ifndef DC_SCRIPT_FIXTURE_H
#define DC_SCRIPT_FIXTURE_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs `script` with sh in `root` (as $ROOT), its output in root/script.log. */
static inline int run_script(const char *root, const char *script)
{
	char path[PATH_MAX + 16];
	char cmd[4 * PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/script.sh", root);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(script, f);
	fclose(f);
	if ((size_t)snprintf(cmd, sizeof(cmd), "ROOT='%s' sh '%s' >'%s/script.log' 2>&1", root, path, root) >= sizeof(cmd))
		return -1;
	return system(cmd);
}

/* The whole file at `path`, NUL-terminated (caller frees), its length in
 * *len; NULL when it cannot be read. */
static inline char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(f);
	if (s) {
		s[n] = '\0';
		*len = (size_t)n;
	}
	return s;
}

#endif
