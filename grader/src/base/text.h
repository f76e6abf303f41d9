/* text.h: small string tests and edits the grader repeats. */
#ifndef GRADER_TEXT_H
#define GRADER_TEXT_H

int starts_with(const char *s, const char *prefix);
int ends_with(const char *s, const char *suffix);
/* Removes every occurrence of needle from s, in place (absolute staged
 * paths in compiler and sanitizer messages become the workbook-relative
 * paths students know). NULL or "" needle: nothing. */
void remove_all(char *s, const char *needle);

#endif
