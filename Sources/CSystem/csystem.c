// POSIX calls the C library does not expose to Swift without feature macros.
#define _GNU_SOURCE
#include <unistd.h>

#include "csystem.h"

int csystem_syncfs(int fd) {
#if defined(__linux__)
  return syncfs(fd);
#else
  sync();
  return fsync(fd);
#endif
}
