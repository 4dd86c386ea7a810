#ifndef CREADLINE_H
#define CREADLINE_H

#ifdef __cplusplus
extern "C" {
#endif

/// Sets the application name readline uses for its conditional init-file sections
/// (`$if scn` in ~/.inputrc). The string must stay alive for the process's lifetime.
void scn_set_name(const char *name);

/// Reads one line with line editing, showing `prompt`. Returns a malloc'd line without
/// its newline, to be released with `scn_free_line`, or NULL at end of input (Ctrl-D).
char *scn_readline(const char *prompt);

/// Releases a line returned by `scn_readline`.
void scn_free_line(char *line);

/// Appends a line to the in-memory history (recalled with the arrow keys).
void scn_add_history(const char *line);

/// Loads history from a file; returns 0 on success, an errno value otherwise.
int scn_read_history(const char *path);

/// Writes the in-memory history to a file, keeping at most `limit` entries (all when
/// `limit` <= 0); returns 0 on success, an errno value otherwise.
int scn_write_history(const char *path, int limit);

/// A completer: given the whole line and the byte range of the word being completed, it
/// calls `scn_add_completion` once per candidate for that word (each a full replacement of
/// the word) and returns 0, or returns 1 to have readline complete file names instead.
typedef int (*scn_completer)(void *context, const char *line, int start, int end);

/// Installs `completer` (called with `context`) as readline's Tab completion.
void scn_set_completer(scn_completer completer, void *context);

/// Adds a candidate; only valid while a completer is running.
void scn_add_completion(const char *candidate);

#ifdef __cplusplus
}
#endif

#endif
