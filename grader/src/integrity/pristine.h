/* pristine.h: the workbook's protected files as the instructor published
 * them, and the starters of the files a student edits.
 *
 * The pin (PIN_FILE at the workbook's top, written by `grader pin`) names
 * the upstream commit it was made from and, for every file below
 * exercises/ and hardware/ (PROTECTED_ROOTS), its git blob id:
 * "protected" (tests, headers, shared helpers, the manifest, the CUDA
 * simulator: every file not listed in an exercise's "edit")
 * and "starters" (the files listed in "edit"). Blob ids, not the commit,
 * are what grading relies on: they are the same in a GitHub template copy
 * or a squashed history, and a shallow clone that lacks the pinned commit
 * usually still holds its blobs.
 *
 * Sources, best first:
 *   pin + git:  each protected file is read from the git object database
 *               by its pinned blob id (the working tree is never read for
 *               it); when the object is missing (shallow clone) the
 *               working-tree copy is used only if its blob id matches.
 *   pin, no git: the pin is a hash manifest: a working-tree file is used
 *               only if its blob id matches.
 *   git, no pin: HEAD's tree (protects against uncommitted edits only).
 *   neither:    none: the working tree is graded as it is. */
#ifndef GRADER_PRISTINE_H
#define GRADER_PRISTINE_H

#include <git2.h>
#include <stddef.h>

#include "base/strbuf.h"
#include "base/strlist.h"

#define PIN_FILE ".llmlings-pin.json"
/* Limits of a pin (grader/README.md, "Limits"): over any of them the pin
 * is an error, never ignored. */
#define PIN_MAX_BYTES (16 << 20)
#define PIN_MAX_ENTRIES 20000
#define PIN_MAX_PATH 1024

/* The folders whose files are pinned and graded pristine. */
extern const char *const PROTECTED_ROOTS[];

typedef struct {
    char *path; /* relative to the workbook, e.g. exercises/00_hello/x.c */
    char id[41];
} pfile;

typedef struct {
    pfile *v; /* sorted by path */
    size_t n;
} pfiles;

typedef enum {
    PS_NONE,
    PS_PIN_GIT,
    PS_PIN_HASH,
    PS_HEAD,
    PS_WORKTREE, /* grade --repo only: the organizer's own checkout */
} pristine_source;

typedef struct {
    pristine_source source;
    char commit[41];    /* pinned commit, or HEAD for PS_HEAD; "" if none */
    int commit_present; /* that commit is in this clone */
    pfiles prot, starters;
    git_repository *repo; /* the workbook's own repository; may be NULL */
    char *root;
} pristine;

const char *pristine_source_name(pristine_source s);
/* Parses pin text into p->commit, p->prot and p->starters: 0, or -1 with
 * one line in err (malformed, a duplicate path, over a limit). */
int pristine_parse_pin(const char *text, size_t len, pristine *p, strbuf *err);
/* Opens the pristine view of the workbook at root. Returns 0, or -1 with
 * err (a malformed pin file). */
int pristine_open(const char *root, pristine *p, strbuf *err);
void pristine_free(pristine *p);
const pfile *pfiles_find(const pfiles *l, const char *path);
/* The pristine bytes of f: 0, or -1 when no trustworthy copy exists. */
int pristine_read(const pristine *p, const pfile *f, char **data, size_t *len);
/* Classifies every file below exercises/ of tree by the manifest in the
 * same tree. Returns 0 or -1 with err. */
int pristine_from_tree(git_repository *r, git_tree *tree, pfiles *prot,
                       pfiles *starters, strbuf *err);
void pfiles_free(pfiles *l);
/* Takes the working tree as pristine (the organizer's trusted checkout
 * when it is neither pinned nor a git repository). 0 or -1 with err. */
int pristine_from_worktree(pristine *p, strbuf *err);

/* Reads a working-tree file (regular files only, links refused): 0, 1
 * absent, -1 not a regular file or unreadable. id may be NULL. */
int wt_read(const char *root, const char *rel, char **data, size_t *len,
            char id[41]);
/* Every file below root/exercises and root/hardware that git would track (git
 * ignore rules when repo is set; else hidden names, __pycache__ and build
 * outputs are build/ folders skipped). fn gets the relative path. */
int wt_list(const char *root, git_repository *repo,
            int (*fn)(const char *rel, void *ctx), void *ctx);

/* The tree and id of HEAD's commit: 0, or -1 when HEAD names none. */
int pristine_head(git_repository *r, git_tree **tree, char commit[41]);

/* The text of a pin file (PIN_FILE): format 1, the commit, a note, and the
 * blob ids of prot and starters (those keep accepts; keep NULL: all). The
 * caller frees it. The pin is read back by pristine_open. */
char *pin_text(const char *commit, const char *note, const pfiles *prot,
               const pfiles *starters, int (*keep)(const char *path));

#endif
