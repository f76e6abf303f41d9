/* template.c: see template.h. */
#include "integrity/template.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/exit_codes.h"
#include "base/files.h"
#include "base/i18n.h"
#include "base/text.h"
#include "integrity/git_repo.h"
#include "integrity/pristine.h"

const char *const TEMPLATE_EXCLUDED[] = {
    "solutions-private/", /* the reference solutions */
    ".ci/",               /* the project's own CI entry point */
    "grader/tests/",      /* the grader's tests overlay the solutions */
    "grader/bench/",      /* instructor benchmarks: build the solutions, and
                             hold a reference matmul */
    "hardware/cudasim/tests/", /* the simulator's own tests and bench hold */
    "hardware/cudasim/bench/", /* correct kernels of chapter 3 (tiled matmul) */
    ".github/workflows/ci.yml",          /* the project's own CI workflow */
    ".github/workflows/leaderboard.yml", /* the organizer's workflow */
    ".github/roster.txt",                /* and its list of students */
    PIN_FILE,                            /* written afresh for the export */
    NULL,
};

/* Markdown outside exercises/ and hardware/ may hold parts for instructors
 * only, between these two lines: the export leaves them out, markers
 * included. (Files below exercises/ and hardware/ are exported byte for
 * byte: the pin protects them.) */
#define INSTRUCTORS_BEGIN "<!-- instructors-only:begin -->"
#define INSTRUCTORS_END "<!-- instructors-only:end -->"

static const char PIN_NOTE[] =
    "written by `grader export`: git blob ids of the pristine files below "
    "exercises/ and hardware/; see grader/README.md, Integrity";

int template_excluded(const char *path)
{
    for (const char *const *e = TEMPLATE_EXCLUDED; *e; e++) {
        size_t n = strlen(*e);
        if ((*e)[n - 1] == '/' ? strncmp(path, *e, n) == 0
                               : strcmp(path, *e) == 0)
            return 1;
    }
    return 0;
}

static int is_protected(const char *path)
{
    for (const char *const *r = PROTECTED_ROOTS; *r; r++) {
        size_t n = strlen(*r);
        if (strncmp(path, *r, n) == 0 && path[n] == '/')
            return 1;
    }
    return 0;
}

/* A line that is exactly the marker (surrounding blanks allowed). */
static int marker_line(const char *line, size_t len, const char *marker)
{
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
                       line[len - 1] == '\r'))
        len--;
    while (len > 0 && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
    }
    return len == strlen(marker) && memcmp(line, marker, len) == 0;
}

/* The text without its instructors-only parts. -1 when a part is not
 * closed (the export would otherwise drop the rest of the file). */
static int strip_instructors(const char *data, size_t len, strbuf *out)
{
    int inside = 0;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        size_t text = nl ? n - 1 : n;
        if (!inside && marker_line(p, text, INSTRUCTORS_BEGIN))
            inside = 1;
        else if (inside && marker_line(p, text, INSTRUCTORS_END))
            inside = 0;
        else if (!inside)
            sb_append(out, p, n);
        p += n;
    }
    return inside ? -1 : 0;
}

/* What the export writes for one file: Markdown outside the protected
 * folders without its instructors-only parts, anything else as it is. */
static int export_write(const char *rel, const char *path, const char *data,
                        size_t len, strbuf *err)
{
    if (!ends_with(rel, ".md") || is_protected(rel))
        return file_write_atomic(path, data, len);
    strbuf text = {0};
    int rc = strip_instructors(data, len, &text);
    if (rc != 0) {
        sb_printf(err, "%s: \"%s\" without \"%s\" after it", rel,
                  INSTRUCTORS_BEGIN, INSTRUCTORS_END);
        errno = EINVAL;
    } else {
        rc = file_write_atomic(path, sb_str(&text), text.len);
    }
    sb_free(&text);
    return rc;
}

typedef struct {
    git_repository *r;
    const char *dest;
    size_t files;
    strbuf *err;
} export_ctx;

static int export_cb(const char *root, const git_tree_entry *e, void *payload)
{
    export_ctx *x = payload;
    git_filemode_t mode = git_tree_entry_filemode(e);
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
        return 0;
    strbuf rel = {0};
    sb_printf(&rel, "%s%s", root, git_tree_entry_name(e));
    int rc = 0;
    if (!template_excluded(sb_str(&rel)) &&
        (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE)) {
        char hex[41];
        char *data = NULL;
        size_t len = 0;
        git_oid_tostr(hex, sizeof hex, git_tree_entry_id(e));
        char *path = path_join(x->dest, sb_str(&rel));
        char *slash = strrchr(path, '/');
        *slash = '\0';
        int ok = mkdir_p(path, 0755) == 0;
        *slash = '/';
        ok = ok && gr_blob_read(x->r, hex, &data, &len) == 0 &&
             export_write(sb_str(&rel), path, data, len, x->err) == 0 &&
             chmod(path, mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644) ==
                 0;
        if (!ok && x->err->len == 0) {
            sb_printf(x->err, "cannot export %s: %s", sb_str(&rel),
                      strerror(errno));
            rc = -1;
        } else if (!ok) {
            rc = -1;
        } else {
            x->files++;
        }
        free(path);
        free(data);
    }
    sb_free(&rel);
    return rc;
}

/* Files of the export are pristine there; the others are not in it. */
static int exported(const char *path)
{
    return !template_excluded(path);
}

static int write_pin(git_repository *r, git_tree *tree, const char *commit,
                     const char *dest, strbuf *err)
{
    pfiles prot = {0}, st = {0};
    if (pristine_from_tree(r, tree, &prot, &st, err) != 0)
        return -1;
    char *text = pin_text(commit, PIN_NOTE, &prot, &st, exported);
    char *path = path_join(dest, PIN_FILE);
    int rc = file_write_atomic(path, text, strlen(text));
    if (rc != 0)
        sb_printf(err, "cannot write %s: %s", path, strerror(errno));
    free(path);
    free(text);
    pfiles_free(&prot);
    pfiles_free(&st);
    return rc;
}

/* git init + one commit of everything, so the folder is ready to push. */
static int init_and_commit(const char *dest, const char *from, strbuf *err)
{
    git_repository *r = NULL;
    git_index *idx = NULL;
    git_signature *sig = NULL;
    git_oid tree_id, commit_id;
    git_tree *tree = NULL;
    int rc = -1;
    if (git_repository_init(&r, dest, 0) != 0 ||
        git_repository_index(&idx, r) != 0 ||
        git_index_add_all(idx, NULL, 0, NULL, NULL) != 0 ||
        git_index_write(idx) != 0 || git_index_write_tree(&tree_id, idx) != 0 ||
        git_tree_lookup(&tree, r, &tree_id) != 0)
        goto out;
    if (git_signature_default(&sig, r) != 0 &&
        git_signature_now(&sig, "llmlings", "llmlings@invalid") != 0)
        goto out;
    strbuf msg = {0};
    sb_printf(&msg, "llmlings student workbook (exported from %.12s)\n", from);
    rc = git_commit_create(&commit_id, r, "HEAD", sig, sig, NULL, sb_str(&msg),
                           tree, 0, NULL);
    sb_free(&msg);
out:
    if (rc != 0)
        sb_printf(err, "cannot create the git repository in %s: %s", dest,
                  gr_last_error());
    git_signature_free(sig);
    git_tree_free(tree);
    git_index_free(idx);
    git_repository_free(r);
    return rc == 0 ? 0 : -1;
}

int template_export(const workbook *wb, const char *dest)
{
    strlist names = {0};
    if (list_dir(dest, 0, &names) == 0 && names.n > 0) {
        strlist_free(&names);
        fprintf(stderr, _("grader: export: %s is not empty\n"), dest);
        return EXIT_USAGE;
    }
    strlist_free(&names);
    git_repository *r = gr_open_workdir(wb->root);
    if (r == NULL) {
        fprintf(stderr,
                _("grader: export writes the committed workbook, and "
                  "%s is not the top of a git repository\n"),
                wb->root);
        return EXIT_USAGE;
    }
    strbuf err = {0};
    git_commit *c = NULL;
    git_tree *tree = NULL;
    int rc = EXIT_INTERNAL;
    char commit[41] = "";
    if (gr_resolve_commit(r, "HEAD", &c, &err) == 0 &&
        git_commit_tree(&tree, c) == 0 && mkdir_p(dest, 0755) == 0) {
        git_oid_tostr(commit, sizeof commit, git_commit_id(c));
        export_ctx x = {r, dest, 0, &err};
        if (git_tree_walk(tree, GIT_TREEWALK_PRE, export_cb, &x) == 0 &&
            write_pin(r, tree, commit, dest, &err) == 0 &&
            init_and_commit(dest, commit, &err) == 0) {
            printf(_("Exported %zu files of %.12s to %s (no "
                     "solutions-private/, no instructor-only files), pinned "
                     "and committed.\n"),
                   x.files, commit, dest);
            rc = 0;
        }
    }
    if (rc != 0)
        fprintf(stderr, "grader: export: %s\n",
                err.len ? sb_str(&err) : gr_last_error());
    sb_free(&err);
    git_tree_free(tree);
    git_commit_free(c);
    git_repository_free(r);
    return rc;
}
