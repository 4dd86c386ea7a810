// Every readline global is touched here, behind plain functions, so Swift (strict
// concurrency) never sees a mutable C global.
#include "creadline.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

// Tab completion: readline asks `scn_attempt_completion`, which asks the Swift completer
// registered with `scn_set_completer`; the completer hands its candidates back one by one
// with `scn_add_completion`, and they become readline's match list here.
static scn_completer completer_function = NULL;
static void *completer_context = NULL;
static char **candidates = NULL;
static size_t candidate_count = 0;
static size_t candidate_capacity = 0;

void scn_add_completion(const char *candidate) {
  if (candidate_count == candidate_capacity) {
    size_t capacity = candidate_capacity == 0 ? 16 : candidate_capacity * 2;
    char **grown = realloc(candidates, capacity * sizeof(char *));
    if (grown == NULL) return;
    candidates = grown;
    candidate_capacity = capacity;
  }
  char *copy = strdup(candidate);
  if (copy != NULL) candidates[candidate_count++] = copy;
}

static char **scn_attempt_completion(const char *text, int start, int end) {
  (void)text;
  rl_attempted_completion_over = 1;  // no file-name completion unless asked for
  if (completer_function == NULL) return NULL;
  candidate_count = 0;
  int wants_file_names = completer_function(completer_context, rl_line_buffer, start, end);
  if (wants_file_names) {
    rl_attempted_completion_over = 0;
    for (size_t i = 0; i < candidate_count; i++) free(candidates[i]);
    candidate_count = 0;
    return NULL;
  }
  if (candidate_count == 0) return NULL;
  // readline's convention: [0] is what replaces the word (the candidates' longest common
  // prefix), then the candidates, then NULL; a single candidate stands alone.
  char **matches = malloc((candidate_count + 2) * sizeof(char *));
  if (matches == NULL) return NULL;
  if (candidate_count == 1) {
    matches[0] = candidates[0];
    matches[1] = NULL;
  } else {
    size_t common = strlen(candidates[0]);
    for (size_t i = 1; i < candidate_count; i++) {
      size_t k = 0;
      while (k < common && candidates[i][k] == candidates[0][k]) k++;
      common = k;
    }
    matches[0] = strndup(candidates[0], common);
    for (size_t i = 0; i < candidate_count; i++) matches[i + 1] = candidates[i];
    matches[candidate_count + 1] = NULL;
  }
  candidate_count = 0;  // readline owns (and frees) the strings now
  return matches;
}

// Words end at spaces, brackets, commas and operators, but not at '.', '/', '-' or ':'
// (fields, units such as km/h, paths and :commands stay one word).
static char scn_word_breaks[] = " \t\n\"'`@$><=;|&{}()[],+*%";

void scn_set_completer(scn_completer completer, void *context) {
  completer_function = completer;
  completer_context = context;
  rl_attempted_completion_function = scn_attempt_completion;
  rl_basic_word_break_characters = scn_word_breaks;
  rl_completer_word_break_characters = scn_word_breaks;
}
