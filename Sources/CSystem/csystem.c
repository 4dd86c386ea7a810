// POSIX calls the C library does not expose to Swift without feature macros.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "csystem.h"

int csystem_syncfs(int fd) {
#if defined(__linux__)
  return syncfs(fd);
#else
  sync();
  return fsync(fd);
#endif
}

int csystem_start_writeback(int fd) {
#if defined(__linux__)
  return sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
  (void)fd;
  return 0;
#endif
}

int csystem_open_pty(char *slave_name, size_t length) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) return -1;
  const char *name = NULL;
  if (grantpt(master) != 0 || unlockpt(master) != 0 || (name = ptsname(master)) == NULL
      || strlen(name) + 1 > length) {
    close(master);
    return -1;
  }
  memcpy(slave_name, name, strlen(name) + 1);
  return master;
}

void csystem_keep_freed_memory(void) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}
