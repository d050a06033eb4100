/*
 * parallel.h - the same work on every core: how many threads a job
 * deserves, and running a function on each of its arguments, one on the
 * calling thread and the others on threads of their own (the document
 * phase, the repository rules, the lstat of a working tree).
 */
#ifndef DC_PARALLEL_H
#define DC_PARALLEL_H

#include <stddef.h>

#define DC_THREADS_MAX 8

/* The threads for `items` items, at least `per` each: as many as there are
 * cores (DOCCTL_THREADS=N says how many instead), at most DC_THREADS_MAX,
 * at least 1. */
size_t dc_threads_for(size_t items, size_t per);

/* Runs fn on each of n arguments: (char *)args + i * size (size 0: args
 * itself each time). The first runs on the calling thread; one whose
 * thread cannot start runs there afterwards. Returns when all are done. */
void dc_parallel(void *(*fn)(void *), void *args, size_t size, size_t n);

#endif
