/* term.h: the few terminal tricks the student commands use: a status line
 * while they work, clearing the screen, and single-key input for watch
 * mode. Everything here
 * is a no-op (or plain text) when the stream is not a terminal. */
#ifndef GRADER_TERM_H
#define GRADER_TERM_H

#include <stddef.h>
#include <stdio.h>

/* ANSI colour codes, used only when term_color_fd (or NO_COLOR rules)
 * allow colour. */
#define GREEN "\033[32m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/* Colour on stream fd: a terminal and NO_COLOR unset or empty. */
int term_color_fd(int fd);
/* code when color is on, else "": printf("%sdone%s", paint(c, GREEN),
 * paint(c, RESET)). */
const char *paint(int color, const char *code);
/* Columns of the terminal f is, or 0 when f is not a terminal. */
size_t term_width(FILE *f);
/* The status line on f (a terminal): "[####----] 3/31 04_vector: what",
 * cut to the terminal's width so it never wraps; \r redraws it. */
void term_status(FILE *f, size_t index, size_t total, const char *id,
                 const char *what);
void term_status_clear(FILE *f);
/* Clears the terminal and moves to the top left (only on a terminal). */
void term_clear_screen(FILE *f);
/* Puts a terminal stdin into single-key mode (no line buffering, no echo)
 * until term_keys_end; returns 1 when it did, 0 when stdin is not a
 * terminal. The old settings come back on exit and on SIGINT/SIGTERM. */
int term_keys_begin(void);
void term_keys_end(void);

#endif
