/*
 * parallel.c - see parallel.h.
 */
#include "parallel.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

size_t dc_threads_for(size_t items, size_t per)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cpus > 0 ? (size_t)cpus : 1;
	const char *env = getenv("DOCCTL_THREADS");

	if (env && atoi(env) > 0)
		n = (size_t)atoi(env);
	if (n > DC_THREADS_MAX)
		n = DC_THREADS_MAX;
	if (per && n > items / per + 1)
		n = items / per + 1;
	return n ? n : 1;
}

void dc_parallel(void *(*fn)(void *), void *args, size_t size, size_t n)
{
	pthread_t tids[DC_THREADS_MAX];
	size_t i, started = 0;

	for (i = 1; i < n && i < DC_THREADS_MAX; i++) {
		if (pthread_create(&tids[i], NULL, fn, (char *)args + i * size) != 0)
			break;
		started = i;
	}
	if (n)
		fn(args);
	for (i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	for (i = started + 1; i < n; i++)
		fn((char *)args + i * size);
}
