#ifndef CSYSTEM_H
#define CSYSTEM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Flushes every file system buffer of the file system holding `fd` to disk and waits for
/// it: `syncfs(2)` on Linux (which the C library declares only under _GNU_SOURCE, hence this
/// shim), `fsync` of `fd` after a global `sync` elsewhere. Returns 0 or -1 with errno set.
int csystem_syncfs(int fd);

/// Starts writing `fd`'s dirty pages to disk without waiting for the writes to finish, so a
/// later `csystem_syncfs` has less left to wait for: `sync_file_range(fd, 0, 0,
/// SYNC_FILE_RANGE_WRITE)` on Linux (declared only under _GNU_SOURCE), nothing elsewhere.
/// It promises no durability (no metadata, no device cache flush): only `csystem_syncfs`
/// does. Returns 0 or -1 with errno set.
int csystem_start_writeback(int fd);

/// Opens a pseudo-terminal (`posix_openpt`, `grantpt`, `unlockpt`, which the C library
/// declares only under _XOPEN_SOURCE): returns the master's descriptor and writes the
/// slave's path into `slave_name` (`length` bytes at most), or returns -1 with errno set.
/// For the tests that drive `scn repl` through a terminal.
int csystem_open_pty(char *slave_name, size_t length);

/// Asks glibc's allocator (other C libraries: nothing) to serve blocks up to 32 MiB from its
/// heaps and to keep up to 256 MiB free at a heap's top instead of returning it to the
/// kernel: `mallopt(M_MMAP_THRESHOLD)` and `mallopt(M_TRIM_THRESHOLD)`, declared in
/// <malloc.h>, which the C library module does not expose to Swift. For `scn generate`,
/// whose every frame frees and allocates again the same tens of megabytes.
void csystem_keep_freed_memory(void);

#ifdef __cplusplus
}
#endif

#endif
