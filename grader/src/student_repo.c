/* student_repo.c: see student_repo.h. */
#include "student_repo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"
#include "git_repo.h"
#include "pristine.h"

const char *const EXPORT_EXCLUDED[] = {
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

/* ---- reset -------------------------------------------------------------- */

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

static int parse_reset_args(int argc, char **argv, const char **id, int *yes)
{
    *id = NULL;
    *yes = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--yes") == 0 || strcmp(argv[i], "-y") == 0)
            *yes = 1;
        else if (*id == NULL && argv[i][0] != '-')
            *id = argv[i];
        else
            return -1;
    }
    return *id ? 0 : -1;
}

int reset_command(const workbook *wb, int argc, char **argv)
{
    const char *id;
    int yes;
    if (parse_reset_args(argc, argv, &id, &yes) != 0) {
        fprintf(stderr, "grader: usage: grader reset EX [--yes]\n");
        return 2;
    }
    if (manifest_find(&wb->m, id) == NULL) {
        fprintf(stderr,
                "grader: no exercise \"%s\" (run `grader list` for the "
                "names)\n",
                id);
        return 2;
    }
    pristine p;
    strbuf err = {0};
    int rc = pristine_open(wb->root, &p, &err);
    pfiles own = {0};
    const pfiles *st = &p.starters;
    char from[41] = "";
    if (rc == 0 && p.repo == NULL) {
        sb_puts(&err, "reset needs the workbook's git history, and this copy "
                      "has no .git: fetch the starter from the template "
                      "repository instead");
        rc = 2;
    } else if (rc == 0 && p.source == PS_HEAD) {
        st = &own;
        if (root_commit_starters(p.repo, &own, from, &err) != 0)
            rc = 2;
    } else if (rc == 0) {
        memcpy(from, p.commit, sizeof from);
    }
    strbuf prefix = {0};
    sb_printf(&prefix, "exercises/%s/", id);
    size_t todo = 0, total = 0;
    for (size_t i = 0; rc == 0 && i < st->n; i++) {
        if (strncmp(st->v[i].path, sb_str(&prefix), prefix.len) != 0)
            continue;
        total++;
        char *data = NULL;
        size_t len = 0;
        char cur[41] = "";
        if (wt_read(wb->root, st->v[i].path, &data, &len, cur) == 0 &&
            strcmp(cur, st->v[i].id) == 0) {
            free(data);
            continue;
        }
        free(data);
        if (pristine_read(&p, &st->v[i], &data, &len) != 0) {
            sb_printf(&err,
                      "the starter of %s (blob %.12s) is not in this clone "
                      "(shallow?): run `git fetch --unshallow` and retry",
                      st->v[i].path, st->v[i].id);
            rc = 2;
            break;
        }
        if (todo == 0 && !yes) {
            strbuf q = {0};
            sb_printf(&q,
                      "Reset %s to its starter? Your changes to its files "
                      "are lost (commit them first to keep them).",
                      id);
            int ok = confirm(sb_str(&q));
            sb_free(&q);
            if (!ok) {
                free(data);
                printf("Not reset.\n");
                rc = 1;
                break;
            }
        }
        char *path = path_join(wb->root, st->v[i].path);
        if (file_write_atomic(path, data, len) != 0) {
            sb_printf(&err, "cannot write %s: %s", path, strerror(errno));
            rc = 3;
        } else {
            printf("Reset %s\n", st->v[i].path);
            todo++;
        }
        free(path);
        free(data);
    }
    if (rc == 0 && total == 0) {
        sb_printf(&err, "no starter of %s in the pristine source (%s)", id,
                  pristine_source_name(p.source));
        rc = 2;
    } else if (rc == 0 && todo == 0) {
        printf("%s already holds its starter (from %.12s).\n", id, from);
    }
    if (rc >= 2)
        fprintf(stderr, "grader: %s\n", sb_str(&err));
    sb_free(&err);
    sb_free(&prefix);
    pfiles_free(&own);
    pristine_free(&p);
    return rc;
}

/* ---- export --------------------------------------------------------------
 */

int export_excluded(const char *path)
{
    for (const char *const *e = EXPORT_EXCLUDED; *e; e++) {
        size_t n = strlen(*e);
        if ((*e)[n - 1] == '/' ? strncmp(path, *e, n) == 0
                               : strcmp(path, *e) == 0)
            return 1;
    }
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
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
    if (out->data == NULL)
        sb_puts(out, "");
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
        rc = file_write_atomic(path, text.data, text.len);
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
    if (!export_excluded(sb_str(&rel)) &&
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

static int write_pin(git_repository *r, git_tree *tree, const char *commit,
                     const char *dest, strbuf *err)
{
    pfiles prot = {0}, st = {0};
    if (pristine_from_tree(r, tree, &prot, &st, err) != 0)
        return -1;
    strbuf sb = {0};
    sb_printf(&sb, "{\n  \"format\": 1,\n  \"commit\": \"%s\",\n", commit);
    sb_puts(&sb, "  \"note\": \"written by `grader export`: git blob ids of "
                 "the pristine files below exercises/; see grader/README.md, "
                 "Integrity\",\n");
    const pfiles *lists[] = {&prot, &st};
    const char *names[] = {"protected", "starters"};
    for (int k = 0; k < 2; k++) {
        sb_printf(&sb, "  \"%s\": {", names[k]);
        int first = 1;
        for (size_t i = 0; i < lists[k]->n; i++) {
            if (export_excluded(lists[k]->v[i].path))
                continue; /* not in the export, so not pristine there */
            sb_printf(&sb, "%s\n    \"%s\": \"%s\"", first ? "" : ",",
                      lists[k]->v[i].path, lists[k]->v[i].id);
            first = 0;
        }
        sb_printf(&sb, "\n  }%s\n", k == 0 ? "," : "");
    }
    sb_puts(&sb, "}\n");
    char *path = path_join(dest, PIN_FILE);
    int rc = file_write_atomic(path, sb_str(&sb), sb.len);
    if (rc != 0)
        sb_printf(err, "cannot write %s: %s", path, strerror(errno));
    free(path);
    sb_free(&sb);
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

int export_command(const workbook *wb, int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') {
        fprintf(stderr, "grader: usage: grader export DIR\n");
        return 2;
    }
    const char *dest = argv[0];
    char **names = NULL;
    size_t n = 0;
    if (list_dir(dest, 0, &names, &n) == 0 && n > 0) {
        free_names(names, n);
        fprintf(stderr, "grader: export: %s is not empty\n", dest);
        return 2;
    }
    free_names(names, n);
    git_repository *r = gr_open_workdir(wb->root);
    if (r == NULL) {
        fprintf(stderr,
                "grader: export writes the committed workbook, and "
                "%s is not the top of a git repository\n",
                wb->root);
        return 2;
    }
    strbuf err = {0};
    git_commit *c = NULL;
    git_tree *tree = NULL;
    int rc = 3;
    char commit[41] = "";
    if (gr_resolve_commit(r, "HEAD", &c, &err) == 0 &&
        git_commit_tree(&tree, c) == 0 && mkdir_p(dest, 0755) == 0) {
        git_oid_tostr(commit, sizeof commit, git_commit_id(c));
        export_ctx x = {r, dest, 0, &err};
        if (git_tree_walk(tree, GIT_TREEWALK_PRE, export_cb, &x) == 0 &&
            write_pin(r, tree, commit, dest, &err) == 0 &&
            init_and_commit(dest, commit, &err) == 0) {
            printf("Exported %zu files of %.12s to %s (no solutions-private/, "
                   "no instructor-only files), pinned and committed.\n",
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
