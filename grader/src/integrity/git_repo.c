/* git_repo.c: see git_repo.h. */
#include "integrity/git_repo.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"

static void shutdown_libgit2(void)
{
    git_libgit2_shutdown();
}

void gr_init(void)
{
    static int done;
    if (!done) {
        git_libgit2_init();
        atexit(shutdown_libgit2); /* frees its caches: clean leak reports */
        done = 1;
    }
}

const char *gr_last_error(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

/* Two paths name the same folder (symlinks resolved, trailing '/'). */
static int same_dir(const char *a, const char *b)
{
    char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
    int same = ra && rb && strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return same;
}

git_repository *gr_open_workdir(const char *dir)
{
    gr_init();
    git_repository *r = NULL;
    /* NO_SEARCH: only dir itself; a workbook nested in another repository
     * (a test fixture) is not that repository's working tree. */
    if (git_repository_open_ext(&r, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) !=
        0)
        return NULL;
    const char *wd = git_repository_workdir(r);
    if (wd == NULL || !same_dir(wd, dir)) {
        git_repository_free(r);
        return NULL;
    }
    return r;
}

int gr_open_any(const char *path, git_repository **out, strbuf *err)
{
    gr_init();
    if (git_repository_open_ext(out, path, GIT_REPOSITORY_OPEN_NO_SEARCH,
                                NULL) != 0) {
        sb_printf(err, "%s is not a git repository (%s)", path,
                  gr_last_error());
        return -1;
    }
    return 0;
}

int gr_blob_read(git_repository *r, const char *hex, char **data, size_t *len)
{
    git_oid oid;
    git_blob *b = NULL;
    if (git_oid_fromstr(&oid, hex) != 0 || git_blob_lookup(&b, r, &oid) != 0)
        return -1;
    git_object_size_t n = git_blob_rawsize(b);
    if (n > GR_MAX_FILE_BYTES) {
        git_blob_free(b);
        return -1;
    }
    *len = (size_t)n;
    *data = xmemdup(git_blob_rawcontent(b), *len);
    git_blob_free(b);
    return 0;
}

void gr_blob_id(const char *data, size_t len, char hex[41])
{
    git_oid oid;
    gr_init();
    if (git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) != 0)
        memset(&oid, 0, sizeof oid);
    git_oid_tostr(hex, 41, &oid);
}

int gr_resolve_commit(git_repository *r, const char *rev, git_commit **out,
                      strbuf *err)
{
    git_object *obj = NULL, *peeled = NULL;
    if (git_revparse_single(&obj, r, rev) != 0) {
        sb_printf(err, "no commit \"%s\" in %s (%s)", rev,
                  git_repository_path(r), gr_last_error());
        return -1;
    }
    int rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
    git_object_free(obj);
    if (rc != 0) {
        sb_printf(err, "\"%s\" does not name a commit (%s)", rev,
                  gr_last_error());
        return -1;
    }
    *out = (git_commit *)peeled;
    return 0;
}

typedef struct {
    const char *prefix;
    gr_file_fn fn;
    void *ctx;
    int stopped;
} walk_ctx;

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
    walk_ctx *w = payload;
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
        return 0;
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%s%s", w->prefix, root,
                     git_tree_entry_name(e));
    if (n < 0 || (size_t)n >= sizeof path)
        return 0;
    char hex[41];
    git_oid_tostr(hex, sizeof hex, git_tree_entry_id(e));
    if (w->fn(path, hex, (unsigned)git_tree_entry_filemode(e), w->ctx) != 0) {
        w->stopped = 1;
        return -1;
    }
    return 0;
}

int gr_tree_walk(git_repository *r, git_tree *tree, const char *prefix,
                 gr_file_fn fn, void *ctx)
{
    git_tree_entry *e = NULL;
    if (git_tree_entry_bypath(&e, tree, prefix) != 0)
        return 0; /* nothing there */
    git_object *sub = NULL;
    int rc = 0;
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE &&
        git_tree_entry_to_object(&sub, r, e) == 0) {
        walk_ctx w = {prefix, fn, ctx, 0};
        if (git_tree_walk((git_tree *)sub, GIT_TREEWALK_PRE, walk_cb, &w) !=
                0 &&
            !w.stopped)
            rc = -1;
        git_object_free(sub);
    }
    git_tree_entry_free(e);
    return rc;
}

int gr_tree_read(git_repository *r, git_tree *tree, const char *path,
                 char **data, size_t *len, char id[41])
{
    git_tree_entry *e = NULL;
    if (git_tree_entry_bypath(&e, tree, path) != 0)
        return 1;
    git_filemode_t mode = git_tree_entry_filemode(e);
    char hex[41];
    git_oid_tostr(hex, sizeof hex, git_tree_entry_id(e));
    git_tree_entry_free(e);
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
        return -1;
    if (id)
        memcpy(id, hex, 41);
    return gr_blob_read(r, hex, data, len) == 0 ? 0 : -1;
}

/* The kind of one tree entry on the way to a path (last: the path's own). */
static path_kind entry_kind(git_repository *r, const git_tree_entry *e,
                            int last, size_t max_bytes)
{
    const git_filemode_t mode = git_tree_entry_filemode(e);
    if (mode == GIT_FILEMODE_LINK)
        return PATH_LINK;
    if (!last)
        return mode == GIT_FILEMODE_TREE ? PATH_FILE : PATH_MISSING;
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
        return PATH_NOT_FILE;
    git_blob *b = NULL;
    if (git_blob_lookup(&b, r, git_tree_entry_id(e)) != 0)
        return PATH_MISSING;
    const path_kind k =
        (size_t)git_blob_rawsize(b) > max_bytes ? PATH_TOO_LARGE : PATH_FILE;
    git_blob_free(b);
    return k;
}

path_kind gr_tree_kind(git_repository *r, git_tree *tree, const char *path,
                       size_t max_bytes)
{
    char *prefix = xstrdup(path);
    path_kind k = PATH_FILE;
    for (char *p = prefix;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        const char c = *p;
        *p = '\0';
        git_tree_entry *e = NULL;
        if (git_tree_entry_bypath(&e, tree, prefix) != 0)
            k = PATH_MISSING;
        else
            k = entry_kind(r, e, c == '\0', max_bytes);
        git_tree_entry_free(e);
        *p = c;
        if (k != PATH_FILE || c == '\0')
            break;
    }
    free(prefix);
    return k;
}

void gr_iso_time(git_time_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
