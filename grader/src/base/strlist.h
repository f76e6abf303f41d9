/* strlist.h: a growable list of owned strings, always NULL-terminated, so
 * the same list serves as a string list and as an argv or envp vector.
 *
 *     strlist argv = {0};
 *     strlist_push(&argv, "gcc");
 *     strlist_pushf(&argv, "-I%s", dir);
 *     execv(argv.v[0], argv.v);
 *     strlist_free(&argv);
 *
 * A zeroed strlist is empty (v is NULL until the first push). */
#ifndef GRADER_STRLIST_H
#define GRADER_STRLIST_H

#include <stddef.h>

typedef struct {
    char **v; /* n strings, then NULL; NULL while empty */
    size_t n;
    size_t cap;
} strlist;

void strlist_push(strlist *l, const char *s); /* a copy of s */
void strlist_take(strlist *l, char *s);       /* s itself, owned by l now */
void strlist_pushf(strlist *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Copies every string of a NULL-terminated array (NULL: none). */
void strlist_push_all(strlist *l, const char *const *v);
int strlist_has(const strlist *l, const char *s);
void strlist_sort(strlist *l);
void strlist_free(strlist *l);

/* Whether s is one of the strings of a NULL-terminated array. */
int str_in(const char *s, const char *const *v);

#endif
