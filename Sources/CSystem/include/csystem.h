#ifndef CSYSTEM_H
#define CSYSTEM_H

#ifdef __cplusplus
extern "C" {
#endif

/// Flushes every file system buffer of the file system holding `fd` to disk and waits for
/// it: `syncfs(2)` on Linux (which the C library declares only under _GNU_SOURCE, hence this
/// shim), `fsync` of `fd` after a global `sync` elsewhere. Returns 0 or -1 with errno set.
int csystem_syncfs(int fd);

#ifdef __cplusplus
}
#endif

#endif
