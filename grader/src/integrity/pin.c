/* pin.c: see pin.h. */
#include "integrity/pin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/exit_codes.h"
#include "base/files.h"
#include "base/i18n.h"
#include "integrity/git_repo.h"
#include "integrity/pristine.h"

static const char PIN_NOTE[] =
    "written by `grader pin`: git blob ids of the pristine files below "
    "exercises/ and hardware/ at that commit; see grader/README.md, "
    "Integrity";

typedef struct {
    const pristine *p;
    strbuf *problems;
    size_t count;
} check_ctx;

static void problem(check_ctx *c, const char *path, const char *what)
{
    if (c->count < 20)
        sb_printf(c->problems, "  %s: %s\n", path, what);
    c->count++;
}

static int check_extra_cb(const char *rel, void *vctx)
{
    check_ctx *c = vctx;
    if (!pfiles_find(&c->p->prot, rel) && !pfiles_find(&c->p->starters, rel))
        problem(c, rel, "not in the pin (added since)");
    return 0;
}

static void check_list(check_ctx *c, const pfiles *l)
{
    for (size_t i = 0; i < l->n; i++) {
        char *data = NULL;
        size_t len = 0;
        char id[41];
        int rc = wt_read(c->p->root, l->v[i].path, &data, &len, id);
        free(data);
        if (rc == 1)
            problem(c, l->v[i].path, "pinned but missing");
        else if (rc != 0)
            problem(c, l->v[i].path, "pinned but not a regular file");
        else if (strcmp(id, l->v[i].id) != 0)
            problem(c, l->v[i].path, "changed since the pin");
    }
}

int pin_check(const char *root)
{
    pristine p;
    strbuf err = {0};
    if (pristine_open(root, &p, &err) != 0) {
        fprintf(stderr, "grader: %s\n", sb_str(&err));
        sb_free(&err);
        pristine_free(&p);
        return EXIT_USAGE;
    }
    if (p.source != PS_PIN_GIT && p.source != PS_PIN_HASH) {
        fprintf(stderr, _("grader: no %s here (run `grader pin`)\n"), PIN_FILE);
        pristine_free(&p);
        return EXIT_SOME_FAILED;
    }
    strbuf problems = {0};
    check_ctx c = {&p, &problems, 0};
    check_list(&c, &p.prot);
    check_list(&c, &p.starters);
    wt_list(root, p.repo, check_extra_cb, &c);
    int rc = 0;
    if (c.count) {
        fprintf(stderr,
                _("grader: %s is stale: %zu file(s) below exercises/ or "
                  "hardware/ differ from it; commit them, then run `make pin` "
                  "(grader pin) and commit %s:\n%s"),
                PIN_FILE, c.count, PIN_FILE, sb_str(&problems));
        rc = EXIT_SOME_FAILED;
    } else {
        printf(_("%s matches the working tree: %zu protected files, %zu "
                 "starters (pinned from %.12s%s)\n"),
               PIN_FILE, p.prot.n, p.starters.n, p.commit,
               p.repo ? (p.commit_present ? "" : _(", not in this clone"))
                      : "");
    }
    sb_free(&problems);
    pristine_free(&p);
    return rc;
}

int pin_write(const char *root)
{
    git_repository *r = gr_open_workdir(root);
    if (r == NULL) {
        fprintf(stderr, "%s",
                _("grader: pin needs the workbook to be a git repository "
                  "(its top folder)\n"));
        return EXIT_USAGE;
    }
    pfiles prot = {0}, starters = {0};
    git_tree *tree = NULL;
    char commit[41];
    strbuf err = {0};
    int rc = EXIT_INTERNAL;
    if (pristine_head(r, &tree, commit) != 0)
        sb_puts(&err, _("HEAD names no commit: commit the workbook first"));
    else if (pristine_from_tree(r, tree, &prot, &starters, &err) == 0) {
        char *text = pin_text(commit, PIN_NOTE, &prot, &starters, NULL);
        char *path = path_join(root, PIN_FILE);
        if (file_write_atomic(path, text, strlen(text)) == 0) {
            printf(_("Pinned %zu protected files and %zu starters of commit "
                     "%.12s into %s; commit it.\n"),
                   prot.n, starters.n, commit, PIN_FILE);
            rc = 0;
        } else {
            sb_printf(&err, "cannot write %s: %s", path, strerror(errno));
        }
        free(path);
        free(text);
    }
    if (rc != 0)
        fprintf(stderr, "grader: %s\n", sb_str(&err));
    sb_free(&err);
    pfiles_free(&prot);
    pfiles_free(&starters);
    git_tree_free(tree);
    git_repository_free(r);
    return rc;
}
