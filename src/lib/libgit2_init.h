/*
 * libgit2_init.h - libgit2 started once a process, with docctl's settings:
 * both programs (docctl, docctl-web) start it so, and docctl's hooks only
 * when they need it (post-receive's usual path does not).
 *
 * The settings, as git does: trust the object store rather than re-hash
 * every object read (git verifies objects as they arrive, and in fsck);
 * keep trees of a few MB in the object cache (a folder of 50,000
 * documents is one such tree, which would otherwise be read and inflated
 * again for every lookup in it).
 */
#ifndef DC_LIBGIT2_INIT_H
#define DC_LIBGIT2_INIT_H

/* Starts libgit2 (once: later calls do nothing). Starting it costs a few
 * milliseconds: libgit2 reads the system's TLS certificates. */
void dc_libgit2_init(void);
/* Stops it, when dc_libgit2_init() started it. */
void dc_libgit2_shutdown(void);

#endif
