// Every readline global is touched here, behind plain functions, so Swift (strict
// concurrency) never sees a mutable C global.
#include "creadline.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <readline/history.h>
#include <readline/readline.h>

void scn_set_name(const char *name) { rl_readline_name = name; }

// Ctrl-C while editing drops the line and shows a fresh prompt, as shells do. Outside
// `readline` (a long `:hist`) SIGINT keeps its default action, so it still stops scn.
static void scn_cancel_line(int signal) {
  (void)signal;
  rl_crlf();
  rl_on_new_line();
  rl_replace_line("", 0);
  rl_redisplay();
}

char *scn_readline(const char *prompt) {
  struct sigaction cancel;
  struct sigaction previous;
  cancel.sa_handler = scn_cancel_line;
  cancel.sa_flags = SA_RESTART;
  sigemptyset(&cancel.sa_mask);
  rl_catch_signals = 0;  // readline would otherwise install its own SIGINT handler
  sigaction(SIGINT, &cancel, &previous);
  char *line = readline(prompt);
  sigaction(SIGINT, &previous, NULL);
  return line;
}

void scn_free_line(char *line) { free(line); }

void scn_add_history(const char *line) { add_history(line); }

int scn_read_history(const char *path) { return read_history(path); }

int scn_write_history(const char *path, int limit) {
  int status = write_history(path);
  if (status == 0 && limit > 0) status = history_truncate_file(path, limit);
  return status;
}
