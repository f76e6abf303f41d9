/* starter.c: see starter.h. */
#include "integrity/starter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/exit_codes.h"
#include "base/files.h"
#include "base/text.h"
#include "integrity/git_repo.h"
#include "integrity/pristine.h"

/* Starters of a git workbook without a pin: the root commit of HEAD's
 * first-parent history (a clone of the template starts there). */
static int root_commit_starters(git_repository *r, pfiles *st, char id[41],
                                strbuf *err)
{
    git_commit *c = NULL;
    if (gr_resolve_commit(r, "HEAD", &c, err) != 0)
        return -1;
    for (;;) {
        git_commit *parent = NULL;
        if (git_commit_parentcount(c) == 0 ||
            git_commit_parent(&parent, c, 0) != 0)
            break; /* the root, or the end of a shallow history */
        git_commit_free(c);
        c = parent;
    }
    git_oid_tostr(id, 41, git_commit_id(c));
    git_tree *tree = NULL;
    pfiles prot = {0};
    int rc = git_commit_tree(&tree, c) == 0 ? 0 : -1;
    if (rc == 0)
        rc = pristine_from_tree(r, tree, &prot, st, err);
    pfiles_free(&prot);
    git_tree_free(tree);
    git_commit_free(c);
    return rc;
}

static int confirm(const char *question)
{
    printf("%s [y/N] ", question);
    fflush(stdout);
    char line[64];
    if (fgets(line, sizeof line, stdin) == NULL) {
        printf("\n");
        return 0;
    }
    return line[0] == 'y' || line[0] == 'Y';
}

/* Where the starters come from: the pin's (or HEAD's tree's) blob ids;
 * without a pin, the root commit's. Returns 0, or EXIT_USAGE with err. */
static int find_starters(const pristine *p, pfiles *own, const pfiles **st,
                         char from[41], strbuf *err)
{
    *st = &p->starters;
    if (p->repo == NULL) {
        sb_puts(err, "reset needs the workbook's git history, and this copy "
                     "has no .git: fetch the starter from the template "
                     "repository instead");
        return EXIT_USAGE;
    }
    if (p->source != PS_HEAD) {
        memcpy(from, p->commit, 41);
        return 0;
    }
    *st = own;
    return root_commit_starters(p->repo, own, from, err) == 0 ? 0 : EXIT_USAGE;
}

typedef struct {
    const workbook *wb;
    const pristine *p;
    const char *id;
    int yes;        /* no question */
    size_t written; /* files put back so far */
} reset_job;

/* Puts one starter back unless the file already holds it; asks first
 * (once). Returns 0, 1 when the student says no, or an exit code. */
static int reset_file(reset_job *j, const pfile *f, strbuf *err)
{
    char *data = NULL;
    size_t len = 0;
    char cur[41] = "";
    int same = wt_read(j->wb->root, f->path, &data, &len, cur) == 0 &&
               strcmp(cur, f->id) == 0;
    free(data);
    if (same)
        return 0;
    if (pristine_read(j->p, f, &data, &len) != 0) {
        sb_printf(err,
                  "the starter of %s (blob %.12s) is not in this clone "
                  "(shallow?): run `git fetch --unshallow` and retry",
                  f->path, f->id);
        return EXIT_USAGE;
    }
    if (j->written == 0 && !j->yes) {
        char *q = xasprintf("Reset %s to its starter? Your changes to its "
                            "files are lost (commit them first to keep "
                            "them).",
                            j->id);
        int ok = confirm(q);
        free(q);
        if (!ok) {
            free(data);
            printf("Not reset.\n");
            return EXIT_SOME_FAILED;
        }
    }
    char *path = path_join(j->wb->root, f->path);
    int rc = 0;
    if (file_write_atomic(path, data, len) != 0) {
        sb_printf(err, "cannot write %s: %s", path, strerror(errno));
        rc = EXIT_INTERNAL;
    } else {
        printf("Reset %s\n", f->path);
        j->written++;
    }
    free(path);
    free(data);
    return rc;
}

int starter_reset(const workbook *wb, const char *id, int yes)
{
    pristine p;
    strbuf err = {0};
    pfiles own = {0};
    const pfiles *st = NULL;
    char from[41] = "";
    int rc = pristine_open(wb->root, &p, &err) == 0 ? 0 : EXIT_USAGE;
    if (rc == 0)
        rc = find_starters(&p, &own, &st, from, &err);
    char *prefix = xasprintf("exercises/%s/", id);
    reset_job j = {wb, &p, id, yes, 0};
    size_t total = 0;
    for (size_t i = 0; rc == 0 && i < st->n; i++) {
        if (!starts_with(st->v[i].path, prefix))
            continue;
        total++;
        rc = reset_file(&j, &st->v[i], &err);
    }
    if (rc == 0 && total == 0) {
        sb_printf(&err, "no starter of %s in the pristine source (%s)", id,
                  pristine_source_name(p.source));
        rc = EXIT_USAGE;
    } else if (rc == 0 && j.written == 0) {
        printf("%s already holds its starter (from %.12s).\n", id, from);
    }
    if (rc >= EXIT_USAGE)
        fprintf(stderr, "grader: %s\n", sb_str(&err));
    sb_free(&err);
    free(prefix);
    pfiles_free(&own);
    pristine_free(&p);
    return rc;
}
