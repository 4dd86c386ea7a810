// Every readline global is touched here, behind plain functions, so Swift (strict
// concurrency) never sees a mutable C global.
#include "creadline.h"

#include <stdio.h>
#include <stdlib.h>
#include <readline/history.h>
#include <readline/readline.h>

void scn_set_name(const char *name) { rl_readline_name = name; }

char *scn_readline(const char *prompt) { return readline(prompt); }

void scn_free_line(char *line) { free(line); }

void scn_add_history(const char *line) { add_history(line); }

int scn_read_history(const char *path) { return read_history(path); }

int scn_write_history(const char *path, int limit) {
  int status = write_history(path);
  if (status == 0 && limit > 0) status = history_truncate_file(path, limit);
  return status;
}
