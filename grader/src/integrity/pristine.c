/* pristine.c: see pristine.h. */
#include "integrity/pristine.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "integrity/git_repo.h"
#include "workbook/manifest.h"

static void pfiles_push(pfiles *l, const char *path, const char *id)
{
    l->v = xgrow(l->v, l->n, sizeof *l->v);
    pfile *v = l->v;
    v[l->n].path = xstrdup(path);
    memcpy(v[l->n].id, id, 40);
    v[l->n].id[40] = '\0';
    l->n++;
}

static int cmp_pfile(const void *a, const void *b)
{
    return strcmp(((const pfile *)a)->path, ((const pfile *)b)->path);
}

static void pfiles_sort(pfiles *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_pfile);
}

const pfile *pfiles_find(const pfiles *l, const char *path)
{
    pfile key = {(char *)path, {0}};
    return l->n ? bsearch(&key, l->v, l->n, sizeof *l->v, cmp_pfile) : NULL;
}

void pfiles_free(pfiles *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    free(l->v);
    memset(l, 0, sizeof *l);
}

const char *pristine_source_name(pristine_source s)
{
    switch (s) {
    case PS_PIN_GIT: return "pin";
    case PS_PIN_HASH: return "hash_manifest";
    case PS_HEAD: return "head";
    case PS_WORKTREE: return "worktree";
    case PS_NONE: break;
    }
    return "none";
}

static int is_hex40(const char *s)
{
    if (s == NULL || strlen(s) != 40)
        return 0;
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return 0;
    return 1;
}

const char *const PROTECTED_ROOTS[] = {"exercises", "hardware", NULL};

/* A path inside a protected root, with no "..", "//", absolute part or
 * control character. */
static int safe_exercise_path(const char *p)
{
    int inside = 0;
    for (const char *const *r = PROTECTED_ROOTS; *r; r++) {
        size_t n = strlen(*r);
        inside |= strncmp(p, *r, n) == 0 && p[n] == '/';
    }
    for (const char *c = p; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            return 0;
    return inside && strstr(p, "..") == NULL && strstr(p, "//") == NULL &&
           p[strlen(p) - 1] != '/';
}

static int bad_entry(const char *what, const char *path, const char *why,
                     strbuf *err)
{
    char *shown = utf8_visible(path, 200);
    sb_printf(err, "%s: \"%s\": bad entry \"%s\": %s", PIN_FILE, what, shown,
              why);
    free(shown);
    return -1;
}

/* One map of the pin; *total counts the entries of both maps. */
static int parse_map(const cJSON *o, pfiles *l, const char *what, size_t *total,
                     strbuf *err)
{
    if (!cJSON_IsObject(o)) {
        sb_printf(err, "%s: \"%s\" must be an object", PIN_FILE, what);
        return -1;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, o)
    {
        if (++*total > PIN_MAX_ENTRIES) {
            sb_printf(err, "%s: more than the limit of %d files", PIN_FILE,
                      PIN_MAX_ENTRIES);
            return -1;
        }
        if (!cJSON_IsString(it) || !is_hex40(it->valuestring))
            return bad_entry(what, it->string, "not a 40-hex blob id", err);
        if (strlen(it->string) > PIN_MAX_PATH)
            return bad_entry(what, it->string,
                             "path longer than the limit of 1024 bytes", err);
        if (!safe_exercise_path(it->string))
            return bad_entry(what, it->string,
                             "not a plain path below exercises/ or hardware/",
                             err);
        pfiles_push(l, it->string, it->valuestring);
    }
    pfiles_sort(l);
    for (size_t i = 1; i < l->n; i++)
        if (strcmp(l->v[i - 1].path, l->v[i].path) == 0)
            return bad_entry(what, l->v[i].path, "listed twice", err);
    return 0;
}

int pristine_parse_pin(const char *text, size_t len, pristine *p, strbuf *err)
{
    cJSON *j = cJSON_ParseWithLength(text, len);
    if (j == NULL) {
        sb_printf(err, "%s is not valid JSON (run `grader pin` again)",
                  PIN_FILE);
        return -1;
    }
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(j, "format");
    const cJSON *commit = cJSON_GetObjectItemCaseSensitive(j, "commit");
    int rc = -1;
    size_t total = 0;
    if (!cJSON_IsNumber(fmt) || fmt->valuedouble != 1)
        sb_printf(err, "%s: unknown \"format\" (this grader reads 1)",
                  PIN_FILE);
    else if (!cJSON_IsString(commit) || !is_hex40(commit->valuestring))
        sb_printf(err, "%s: \"commit\" must be a 40-hex commit id", PIN_FILE);
    else if (parse_map(cJSON_GetObjectItemCaseSensitive(j, "protected"),
                       &p->prot, "protected", &total, err) == 0 &&
             parse_map(cJSON_GetObjectItemCaseSensitive(j, "starters"),
                       &p->starters, "starters", &total, err) == 0) {
        memcpy(p->commit, commit->valuestring, 41);
        rc = pfiles_find(&p->prot, MANIFEST_PATH) ? 0 : -1;
        if (rc)
            sb_printf(err, "%s does not list %s", PIN_FILE, MANIFEST_PATH);
    }
    cJSON_Delete(j);
    return rc;
}

/* ---- classification of a tree by its own manifest ------------------------ */

typedef struct {
    const strlist *edit;
    pfiles *prot, *starters;
} classify_ctx;

static int classify_cb(const char *path, const char *hex, unsigned mode,
                       void *vctx)
{
    classify_ctx *c = vctx;
    if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
        return 0;
    pfiles_push(strlist_has(c->edit, path) ? c->starters : c->prot, path, hex);
    return 0;
}

int pristine_from_tree(git_repository *r, git_tree *tree, pfiles *prot,
                       pfiles *starters, strbuf *err)
{
    char *text = NULL;
    size_t len = 0;
    if (gr_tree_read(r, tree, MANIFEST_PATH, &text, &len, NULL) != 0) {
        sb_printf(err, "the commit has no %s", MANIFEST_PATH);
        return -1;
    }
    strlist edit = {0};
    int rc = manifest_edit_paths_of(text, &edit, err);
    free(text);
    if (rc != 0)
        return -1;
    classify_ctx c = {&edit, prot, starters};
    for (const char *const *root = PROTECTED_ROOTS; *root && rc == 0; root++)
        rc = gr_tree_walk(r, tree, *root, classify_cb, &c);
    strlist_free(&edit);
    pfiles_sort(prot);
    pfiles_sort(starters);
    if (rc != 0)
        sb_printf(err, "cannot walk the commit's tree: %s", gr_last_error());
    return rc;
}

int pristine_head(git_repository *r, git_tree **tree, char commit[41])
{
    git_commit *c = NULL;
    strbuf err = {0};
    int rc = gr_resolve_commit(r, "HEAD", &c, &err);
    sb_free(&err);
    if (rc != 0)
        return -1;
    git_oid_tostr(commit, 41, git_commit_id(c));
    rc = git_commit_tree(tree, c);
    git_commit_free(c);
    return rc;
}

int pristine_open(const char *root, pristine *p, strbuf *err)
{
    memset(p, 0, sizeof *p);
    p->root = xstrdup(root);
    p->repo = gr_open_workdir(root);
    char *pin_path = path_join(root, PIN_FILE);
    char *text = NULL;
    size_t len = 0;
    int have_pin = file_read(pin_path, &text, &len, PIN_MAX_BYTES) == 0;
    free(pin_path);
    if (!have_pin && errno != ENOENT) {
        /* A pin that is there but unusable is an error, never a silent
         * fall back to HEAD. */
        if (errno == EFBIG)
            sb_printf(err, "%s is larger than the limit of %d MiB", PIN_FILE,
                      PIN_MAX_BYTES >> 20);
        else
            sb_printf(err, "cannot read %s: %s", PIN_FILE, strerror(errno));
        return -1;
    }
    if (have_pin) {
        int rc = pristine_parse_pin(text, len, p, err);
        free(text);
        if (rc != 0)
            return -1;
        p->source = p->repo ? PS_PIN_GIT : PS_PIN_HASH;
        git_oid oid;
        git_commit *c = NULL;
        if (p->repo && git_oid_fromstr(&oid, p->commit) == 0 &&
            git_commit_lookup(&c, p->repo, &oid) == 0) {
            p->commit_present = 1;
            git_commit_free(c);
        }
        return 0;
    }
    git_tree *tree = NULL;
    if (p->repo && pristine_head(p->repo, &tree, p->commit) == 0) {
        strbuf why = {0};
        if (pristine_from_tree(p->repo, tree, &p->prot, &p->starters, &why) ==
            0) {
            p->source = PS_HEAD;
            p->commit_present = 1;
        } else {
            pfiles_free(&p->prot);
            pfiles_free(&p->starters);
            p->commit[0] = '\0';
        }
        sb_free(&why);
        git_tree_free(tree);
    }
    return 0;
}

void pristine_free(pristine *p)
{
    pfiles_free(&p->prot);
    pfiles_free(&p->starters);
    if (p->repo)
        git_repository_free(p->repo);
    free(p->root);
    memset(p, 0, sizeof *p);
}

int wt_read(const char *root, const char *rel, char **data, size_t *len,
            char id[41])
{
    char *path = path_join(root, rel);
    struct stat st;
    int rc = 1;
    if (lstat(path, &st) == 0) {
        rc = -1;
        if (S_ISREG(st.st_mode) &&
            file_read(path, data, len, GR_MAX_FILE_BYTES) == 0) {
            rc = 0;
            if (id)
                gr_blob_id(*data, *len, id);
        }
    }
    free(path);
    return rc;
}

int pristine_read(const pristine *p, const pfile *f, char **data, size_t *len)
{
    if (p->repo && gr_blob_read(p->repo, f->id, data, len) == 0)
        return 0;
    /* No object (a shallow clone, or no git at all): the working-tree
     * copy is as good as the original when its blob id matches. */
    char id[41];
    if (wt_read(p->root, f->path, data, len, id) != 0)
        return -1;
    if (strcmp(id, f->id) == 0)
        return 0;
    free(*data);
    *data = NULL;
    return -1;
}

static int skipped_name(const char *n)
{
    size_t l = strlen(n);
    if (n[0] == '.' || strcmp(n, "__pycache__") == 0 || strcmp(n, "build") == 0)
        return 1;
    static const char *const ext[] = {".o", ".a", ".so", ".d", NULL};
    for (const char *const *e = ext; *e; e++) {
        size_t el = strlen(*e);
        if (l > el && strcmp(n + l - el, *e) == 0)
            return 1;
    }
    return 0;
}

static int wt_list_rec(const char *root, const char *rel, git_repository *repo,
                       int (*fn)(const char *, void *), void *ctx)
{
    char *dir = path_join(root, rel);
    strlist ns = {0};
    int rc = list_dir(dir, 0, &ns);
    free(dir);
    if (rc != 0)
        return errno == ENOENT ? 0 : -1;
    for (size_t i = 0; i < ns.n && rc == 0; i++) {
        char *child = path_join(rel, ns.v[i]);
        char *abs = path_join(root, child);
        struct stat st;
        int ignored = 0;
        if (strcmp(ns.v[i], ".git") == 0)
            ignored = 1;
        else if (repo)
            git_ignore_path_is_ignored(&ignored, repo, child);
        else
            ignored = skipped_name(ns.v[i]);
        if (!ignored && lstat(abs, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                rc = wt_list_rec(root, child, repo, fn, ctx);
            else
                rc = fn(child, ctx);
        }
        free(abs);
        free(child);
    }
    strlist_free(&ns);
    return rc;
}

int wt_list(const char *root, git_repository *repo,
            int (*fn)(const char *rel, void *ctx), void *ctx)
{
    int rc = 0;
    for (const char *const *r = PROTECTED_ROOTS; *r && rc == 0; r++)
        rc = wt_list_rec(root, *r, repo, fn, ctx);
    return rc;
}

typedef struct {
    pristine *p;
    const strlist *edit;
} wt_classify_ctx;

static int wt_classify_cb(const char *rel, void *vctx)
{
    wt_classify_ctx *c = vctx;
    char *data = NULL;
    size_t len = 0;
    char id[41];
    if (wt_read(c->p->root, rel, &data, &len, id) == 0)
        pfiles_push(strlist_has(c->edit, rel) ? &c->p->starters : &c->p->prot,
                    rel, id);
    free(data);
    return 0;
}

int pristine_from_worktree(pristine *p, strbuf *err)
{
    char *text = NULL;
    size_t len = 0;
    if (wt_read(p->root, MANIFEST_PATH, &text, &len, NULL) != 0) {
        sb_printf(err, "cannot read %s/%s", p->root, MANIFEST_PATH);
        return -1;
    }
    strlist edit = {0};
    int rc = manifest_edit_paths_of(text, &edit, err);
    free(text);
    if (rc != 0)
        return -1;
    wt_classify_ctx c = {p, &edit};
    rc = wt_list(p->root, p->repo, wt_classify_cb, &c);
    strlist_free(&edit);
    pfiles_sort(&p->prot);
    pfiles_sort(&p->starters);
    p->source = PS_WORKTREE;
    if (rc != 0)
        sb_printf(err, "cannot list %s/exercises", p->root);
    return rc;
}

/* ---- the pin file -------------------------------------------------------- */

static cJSON *map_json(const pfiles *l, int (*keep)(const char *path))
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < l->n; i++)
        if (keep == NULL || keep(l->v[i].path))
            cJSON_AddStringToObject(o, l->v[i].path, l->v[i].id);
    return o;
}

char *pin_text(const char *commit, const char *note, const pfiles *prot,
               const pfiles *starters, int (*keep)(const char *path))
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "format", 1);
    cJSON_AddStringToObject(j, "commit", commit);
    cJSON_AddStringToObject(j, "note", note);
    cJSON_AddItemToObject(j, "protected", map_json(prot, keep));
    cJSON_AddItemToObject(j, "starters", map_json(starters, keep));
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    if (text == NULL)
        die_internal("out of memory");
    char *line = xasprintf("%s\n", text);
    free(text);
    return line;
}
