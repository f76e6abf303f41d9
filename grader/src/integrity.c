/* integrity.c: see integrity.h. */
#include "integrity.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "git_repo.h"
#include "pristine.h"
#include "student_repo.h"

typedef struct {
    char **v;
    size_t n;
} pathlist;

typedef struct {
    char *path;
    char *data;
    size_t len;
} graded_file;

struct integrity {
    pristine p;
    graded_file *files; /* everything written to graded_dir, kept so that
                           it can be put back (resync) */
    size_t nfiles;
    char *source_root; /* the workbook as found */
    char *graded_dir;  /* NULL when grading the working tree as it is */
    pathlist modified, deleted, added, unrestorable, missing_edit;
    cJSON *provenance;
};

typedef struct {
    const char *root;     /* working-tree mode */
    git_repository *repo; /* for ignore rules, or the graded commit's */
    git_tree *tree;       /* commit mode */
} student_view;

static void push_path(pathlist *l, const char *s)
{
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (v == NULL || (s = strdup(s)) == NULL)
        exit(3);
    l->v = v;
    v[l->n++] = (char *)s;
}

static void pathlist_free(pathlist *l)
{
    free_names(l->v, l->n);
    memset(l, 0, sizeof *l);
}

static int sv_read(const student_view *s, const char *path, char **data,
                   size_t *len, char id[41])
{
    if (s->tree)
        return gr_tree_read(s->repo, s->tree, path, data, len, id);
    return wt_read(s->root, path, data, len, id);
}

/* ---- comparing the student's files with the pristine set ---------------- */

typedef struct {
    integrity *ig;
    const char *const *edit;
    size_t nedit;
} added_ctx;

static int is_editable(const added_ctx *c, const char *path)
{
    for (size_t i = 0; i < c->nedit; i++)
        if (strcmp(c->edit[i], path) == 0)
            return 1;
    return 0;
}

static int added_cb(const char *path, void *vctx)
{
    added_ctx *c = vctx;
    if (!pfiles_find(&c->ig->p.prot, path) && !is_editable(c, path))
        push_path(&c->ig->added, path);
    return 0;
}

static int added_tree_cb(const char *path, const char *hex, unsigned mode,
                         void *vctx)
{
    (void)hex;
    (void)mode;
    return added_cb(path, vctx);
}

static void compare(integrity *ig, const student_view *s,
                    const char *const *edit, size_t nedit)
{
    for (size_t i = 0; i < ig->p.prot.n; i++) {
        const pfile *f = &ig->p.prot.v[i];
        if (export_excluded(f->path))
            continue; /* the student template never had it */
        char *data = NULL;
        size_t len = 0;
        char id[41];
        int rc = sv_read(s, f->path, &data, &len, id);
        free(data);
        if (rc == 1)
            push_path(&ig->deleted, f->path);
        else if (rc != 0 || strcmp(id, f->id) != 0)
            push_path(&ig->modified, f->path);
    }
    added_ctx c = {ig, edit, nedit};
    if (s->tree)
        for (const char *const *r = PROTECTED_ROOTS; *r; r++)
            gr_tree_walk(s->repo, s->tree, *r, added_tree_cb, &c);
    else
        wt_list(s->root, s->repo, added_cb, &c);
}

/* ---- the graded tree ------------------------------------------------------
 */

static int write_file(const char *dir, const char *rel, const char *data,
                      size_t len);

/* Writes a file of the graded tree and remembers it (takes data). */
static int put_file(integrity *ig, const char *rel, char *data, size_t len)
{
    graded_file *v = realloc(ig->files, (ig->nfiles + 1) * sizeof *v);
    char *path = strdup(rel);
    if (v == NULL || path == NULL)
        exit(3);
    ig->files = v;
    v[ig->nfiles++] = (graded_file){path, data, len};
    return write_file(ig->graded_dir, rel, data, len);
}

static int write_file(const char *dir, const char *rel, const char *data,
                      size_t len)
{
    char *path = path_join(dir, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    int rc = mkdir_p(path, 0700);
    *slash = '/';
    if (rc == 0)
        rc = file_write_atomic(path, data, len);
    free(path);
    return rc;
}

static int materialise(integrity *ig, const student_view *s,
                       const char *const *edit, size_t nedit, strbuf *err)
{
    for (size_t i = 0; i < ig->p.prot.n; i++) {
        const pfile *f = &ig->p.prot.v[i];
        char *data = NULL;
        size_t len = 0;
        if (pristine_read(&ig->p, f, &data, &len) != 0) {
            /* A stand-in keeps the manifest loadable; the exercises that
             * need it are "tampered" and never built (blocked_by). */
            push_path(&ig->unrestorable, f->path);
            strbuf sb = {0};
            sb_printf(&sb, "#error \"%s: no pristine copy\"\n", f->path);
            len = sb.len;
            data = sb_steal(&sb);
        }
        if (put_file(ig, f->path, data, len) != 0) {
            sb_printf(err, "cannot write the graded copy of %s: %s", f->path,
                      strerror(errno));
            return 3;
        }
    }
    if (pfiles_find(&ig->p.prot, MANIFEST_PATH) == NULL ||
        ig->unrestorable.n > 0) {
        for (size_t i = 0; i < ig->unrestorable.n; i++)
            if (strcmp(ig->unrestorable.v[i], MANIFEST_PATH) == 0) {
                sb_printf(err,
                          "%s differs from the pinned workbook and no "
                          "pristine copy is available (no git objects): "
                          "restore it (git checkout -- %s)",
                          MANIFEST_PATH, MANIFEST_PATH);
                return 2;
            }
    }
    for (size_t i = 0; i < nedit; i++) {
        char *data = NULL;
        size_t len = 0;
        int rc = sv_read(s, edit[i], &data, &len, NULL);
        if (rc != 0) {
            /* Deleted or not a regular file: the starter stands in, so
             * the exercise grades (and fails) like an untouched one. */
            const pfile *st = pfiles_find(&ig->p.starters, edit[i]);
            push_path(&ig->missing_edit, edit[i]);
            if (st == NULL || pristine_read(&ig->p, st, &data, &len) != 0) {
                strbuf sb = {0};
                sb_printf(&sb, "/* %s is missing from the submission */\n",
                          edit[i]);
                len = sb.len;
                data = sb_steal(&sb);
            }
        }
        if (put_file(ig, edit[i], data, len) != 0) {
            sb_printf(err, "cannot write the graded copy of %s: %s", edit[i],
                      strerror(errno));
            return 3;
        }
    }
    return 0;
}

/* ---- provenance ------------------------------------------------------------
 */

static int count_dirty(git_repository *r)
{
    git_status_options so;
    git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
    so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
    so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED;
    git_status_list *st = NULL;
    if (git_status_list_new(&st, r, &so) != 0)
        return -1;
    size_t n = git_status_list_entrycount(st);
    int dirty = 0;
    for (size_t i = 0; i < n; i++) {
        const git_status_entry *e = git_status_byindex(st, i);
        if (e->status != GIT_STATUS_CURRENT &&
            !(e->status & GIT_STATUS_IGNORED))
            dirty++;
    }
    git_status_list_free(st);
    return dirty;
}

static void add_commit(cJSON *o, const git_commit *c)
{
    char hex[41], when[32];
    git_oid_tostr(hex, sizeof hex, git_commit_id(c));
    cJSON_AddStringToObject(o, "commit", hex);
    gr_iso_time(git_commit_time(c), when);
    cJSON_AddStringToObject(o, "commit_time", when);
    const git_signature *a = git_commit_author(c);
    if (a) {
        strbuf sb = {0};
        sb_printf(&sb, "%s <%s>", a->name ? a->name : "",
                  a->email ? a->email : "");
        cJSON_AddStringToObject(o, "author", sb_str(&sb));
        sb_free(&sb);
        gr_iso_time(a->when.time, when);
        cJSON_AddStringToObject(o, "author_time", when);
    }
}

static void add_remote(cJSON *o, git_repository *r)
{
    git_remote *rem = NULL;
    if (git_remote_lookup(&rem, r, "origin") == 0) {
        if (git_remote_url(rem))
            cJSON_AddStringToObject(o, "remote", git_remote_url(rem));
        git_remote_free(rem);
    }
}

static cJSON *provenance_worktree(const char *root, git_repository *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "repository", root);
    cJSON_AddStringToObject(o, "graded", "worktree");
    if (r == NULL) {
        cJSON_AddNullToObject(o, "commit");
        cJSON_AddNullToObject(o, "dirty");
        cJSON_AddStringToObject(o, "note", "not a git repository");
        return o;
    }
    add_remote(o, r);
    git_commit *c = NULL;
    strbuf err = {0};
    if (gr_resolve_commit(r, "HEAD", &c, &err) == 0) {
        add_commit(o, c);
        git_commit_free(c);
    } else {
        cJSON_AddNullToObject(o, "commit");
    }
    sb_free(&err);
    git_reference *head = NULL;
    int detached = git_repository_head_detached(r) == 1;
    cJSON_AddBoolToObject(o, "detached", detached);
    if (!detached && git_repository_head(&head, r) == 0) {
        cJSON_AddStringToObject(o, "branch", git_reference_shorthand(head));
        git_reference_free(head);
    }
    cJSON_AddBoolToObject(o, "shallow", git_repository_is_shallow(r) == 1);
    int dirty = count_dirty(r);
    if (dirty < 0) {
        cJSON_AddNullToObject(o, "dirty");
    } else {
        cJSON_AddBoolToObject(o, "dirty", dirty > 0);
        cJSON_AddNumberToObject(o, "dirty_files", dirty);
    }
    return o;
}

static cJSON *provenance_commit(const char *path, git_repository *r,
                                const char *rev, const git_commit *c)
{
    cJSON *o = cJSON_CreateObject();
    char *abs = realpath(path, NULL);
    cJSON_AddStringToObject(o, "repository", abs ? abs : path);
    free(abs);
    cJSON_AddStringToObject(o, "graded", "commit");
    add_remote(o, r);
    cJSON_AddStringToObject(o, "rev", rev);
    add_commit(o, c);
    cJSON_AddBoolToObject(o, "shallow", git_repository_is_shallow(r) == 1);
    cJSON_AddBoolToObject(o, "dirty", 0); /* a commit is what it is */
    return o;
}

/* ---- apply -----------------------------------------------------------------
 */

static int open_student(integrity *ig, const integrity_options *o,
                        student_view *s, git_repository **own,
                        git_commit **commit, strbuf *err)
{
    memset(s, 0, sizeof *s);
    if (o->rev == NULL) {
        if (o->repo) {
            sb_puts(err, "--repo needs --rev (the commit to grade)");
            return 2;
        }
        s->root = ig->source_root;
        s->repo = ig->p.repo;
        ig->provenance = provenance_worktree(ig->source_root, ig->p.repo);
        return 0;
    }
    git_repository *r = ig->p.repo;
    if (o->repo) {
        if (gr_open_any(o->repo, own, err) != 0)
            return 2;
        r = *own;
    } else if (r == NULL) {
        sb_puts(err, "--rev needs a git workbook or --repo PATH");
        return 2;
    }
    if (gr_resolve_commit(r, o->rev, commit, err) != 0)
        return 2;
    if (git_commit_tree(&s->tree, *commit) != 0) {
        sb_printf(err, "cannot read the tree of %s: %s", o->rev,
                  gr_last_error());
        return 2;
    }
    s->repo = r;
    ig->provenance = provenance_commit(o->repo ? o->repo : ig->source_root, r,
                                       o->rev, *commit);
    return 0;
}

/* A grader killed mid-way (Ctrl-C) leaves its graded tree behind; trees
 * untouched for half a day are such leftovers. */
static void remove_stale_trees(const char *state)
{
    char **ns;
    size_t n;
    if (list_dir(state, 0, &ns, &n) != 0)
        return;
    time_t now = time(NULL);
    for (size_t i = 0; i < n; i++) {
        if (strncmp(ns[i], "graded.", 7) != 0)
            continue;
        char *p = path_join(state, ns[i]);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
            now - st.st_mtime > 12 * 3600)
            remove_tree(p);
        free(p);
    }
    free_names(ns, n);
}

static char *make_graded_dir(const workbook *wb, strbuf *err)
{
    remove_stale_trees(wb->state_dir);
    strbuf sb = {0};
    sb_printf(&sb, "%s/graded.XXXXXX", wb->state_dir);
    char *d = sb_steal(&sb);
    if (mkdtemp(d) == NULL) {
        sb_printf(err, "cannot create %s: %s", d, strerror(errno));
        free(d);
        return NULL;
    }
    return d;
}

static int edit_list(const integrity *ig, char ***edit, size_t *nedit,
                     strbuf *err)
{
    const pfile *mf = pfiles_find(&ig->p.prot, MANIFEST_PATH);
    char *text = NULL;
    size_t len = 0;
    if (mf == NULL || pristine_read(&ig->p, mf, &text, &len) != 0) {
        sb_printf(err,
                  "%s has no pristine copy: restore it (git checkout -- %s)",
                  MANIFEST_PATH, MANIFEST_PATH);
        return 2;
    }
    int rc = manifest_edit_paths(text, edit, nedit, err);
    free(text);
    return rc == 0 ? 0 : 2;
}

int integrity_apply(workbook *wb, const integrity_options *o, integrity **out,
                    strbuf *err)
{
    *out = NULL;
    integrity *ig = calloc(1, sizeof *ig);
    if (ig == NULL)
        return 3;
    ig->source_root = strdup(wb->root);
    int rc = pristine_open(wb->root, &ig->p, err);
    if (rc == 0 && o->rev && ig->p.source == PS_NONE &&
        pristine_from_worktree(&ig->p, err) != 0)
        rc = 2;
    student_view s = {0};
    git_repository *own = NULL;
    git_commit *commit = NULL;
    if (rc == 0)
        rc = open_student(ig, o, &s, &own, &commit, err);
    char **edit = NULL;
    size_t nedit = 0;
    if (rc == 0 && ig->p.source != PS_NONE) {
        rc = edit_list(ig, &edit, &nedit, err);
        if (rc == 0) {
            compare(ig, &s, (const char *const *)edit, nedit);
            ig->graded_dir = make_graded_dir(wb, err);
            rc = ig->graded_dir ? materialise(ig, &s, (const char *const *)edit,
                                              nedit, err)
                                : 3;
        }
        if (rc == 0) {
            manifest m;
            if (manifest_load(ig->graded_dir, &m, err) != 0) {
                rc = 2;
            } else {
                manifest_free(&wb->m);
                wb->m = m;
                free(wb->root);
                wb->root = strdup(ig->graded_dir);
            }
        }
    }
    free_names(edit, nedit);
    if (s.tree)
        git_tree_free(s.tree);
    git_commit_free(commit);
    if (own)
        git_repository_free(own);
    if (rc != 0) {
        integrity_free(ig);
        return rc;
    }
    *out = ig;
    return 0;
}

int integrity_graded(const integrity *ig)
{
    return ig && ig->graded_dir;
}

void integrity_free(integrity *ig)
{
    if (ig == NULL)
        return;
    if (ig->graded_dir)
        remove_tree(ig->graded_dir);
    free(ig->graded_dir);
    for (size_t i = 0; i < ig->nfiles; i++) {
        free(ig->files[i].path);
        free(ig->files[i].data);
    }
    free(ig->files);
    free(ig->source_root);
    pristine_free(&ig->p);
    pathlist_free(&ig->modified);
    pathlist_free(&ig->deleted);
    pathlist_free(&ig->added);
    pathlist_free(&ig->unrestorable);
    pathlist_free(&ig->missing_edit);
    cJSON_Delete(ig->provenance);
    free(ig);
}

/* ---- reporting -------------------------------------------------------------
 */

static size_t changes(const integrity *ig)
{
    return ig->modified.n + ig->deleted.n + ig->added.n;
}

static void list_some(strbuf *sb, const integrity *ig)
{
    const struct {
        const pathlist *l;
        const char *what;
    } kinds[] = {{&ig->modified, "modified"},
                 {&ig->deleted, "deleted"},
                 {&ig->added, "added"}};
    size_t shown = 0, total = changes(ig);
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < kinds[k].l->n && shown < 3; i++, shown++)
            sb_printf(sb, "%s%s (%s)", shown ? ", " : "", kinds[k].l->v[i],
                      kinds[k].what);
    if (total > shown)
        sb_printf(sb, " and %zu more", total - shown);
}

static char *message(const integrity *ig)
{
    strbuf sb = {0};
    if (ig->p.source == PS_NONE) {
        sb_puts(&sb, "no pristine source (not a git repository, no " PIN_FILE
                     "): the files were graded as they are");
        return sb_steal(&sb);
    }
    if (changes(ig) == 0)
        return NULL;
    sb_printf(&sb,
              "%zu protected file%s differ%s from the workbook and %s not "
              "used: ",
              changes(ig), changes(ig) == 1 ? "" : "s",
              changes(ig) == 1 ? "s" : "", changes(ig) == 1 ? "was" : "were");
    list_some(&sb, ig);
    if (ig->unrestorable.n)
        sb_printf(&sb,
                  "; %zu ha%s no pristine copy here, so the exercises using "
                  "%s are marked tampered",
                  ig->unrestorable.n, ig->unrestorable.n == 1 ? "s" : "ve",
                  ig->unrestorable.n == 1 ? "it" : "them");
    else
        sb_puts(&sb, "; the pristine copies were graded");
    return sb_steal(&sb);
}

void integrity_notice(FILE *f, const integrity *ig)
{
    if (ig == NULL || ig->p.source == PS_NONE || changes(ig) == 0)
        return;
    char *m = message(ig);
    fprintf(f, "Integrity: %s (`git checkout -- PATH` restores one).\n", m);
    free(m);
}

static cJSON *paths_json(const pathlist *l)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < l->n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(l->v[i]));
    return a;
}

cJSON *integrity_extra(const integrity *ig)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *o = cJSON_AddObjectToObject(doc, "integrity");
    cJSON_AddStringToObject(o, "source", pristine_source_name(ig->p.source));
    if (ig->p.commit[0]) {
        cJSON_AddStringToObject(o, "pristine_commit", ig->p.commit);
        cJSON_AddBoolToObject(o, "pristine_commit_present",
                              ig->p.commit_present);
    } else {
        cJSON_AddNullToObject(o, "pristine_commit");
    }
    cJSON_AddNumberToObject(o, "protected_files", (double)ig->p.prot.n);
    cJSON_AddBoolToObject(o, "ok",
                          ig->p.source != PS_NONE && changes(ig) == 0 &&
                              ig->unrestorable.n == 0);
    cJSON_AddItemToObject(o, "modified", paths_json(&ig->modified));
    cJSON_AddItemToObject(o, "deleted", paths_json(&ig->deleted));
    cJSON_AddItemToObject(o, "added", paths_json(&ig->added));
    cJSON_AddItemToObject(o, "unrestorable", paths_json(&ig->unrestorable));
    cJSON_AddItemToObject(o, "missing_editable", paths_json(&ig->missing_edit));
    char *m = message(ig);
    if (m)
        cJSON_AddStringToObject(o, "message", m);
    free(m);
    if (ig->provenance)
        cJSON_AddItemToObject(doc, "provenance",
                              cJSON_Duplicate(ig->provenance, 1));
    return doc;
}

/* ---- grading ---------------------------------------------------------------
 */

static void needed_dirs(const manifest *m, const exercise *ex, int *want)
{
    want[ex - m->ex] = 1;
    for (size_t i = 0; i < ex->links.n; i++) {
        const exercise *l = manifest_find(m, ex->links.v[i]);
        if (l && !want[l - m->ex])
            needed_dirs(m, l, want);
    }
}

/* The first unrestorable file ex needs: its own folder, a linked
 * exercise's, or exercises/common. */
static const char *blocked_by(const integrity *ig, const workbook *wb,
                              const exercise *ex)
{
    if (ig == NULL || ig->unrestorable.n == 0)
        return NULL;
    int *want = calloc(wb->m.n, sizeof *want);
    if (want == NULL)
        exit(3);
    needed_dirs(&wb->m, ex, want);
    const char *hit = NULL;
    for (size_t i = 0; i < ig->unrestorable.n && !hit; i++) {
        const char *p = ig->unrestorable.v[i];
        if (strncmp(p, "exercises/common/", 17) == 0)
            hit = p;
        /* hardware/: the CUDA simulator and the device probe */
        if (strncmp(p, "hardware/", 9) == 0 &&
            (strcmp(ex->kind, "cuda") == 0 || strcmp(ex->kind, "opencl") == 0))
            hit = p;
        for (size_t e = 0; e < wb->m.n && !hit && p[0] == 'e'; e++) {
            size_t n = strlen(wb->m.ex[e].id);
            if (want[e] && strncmp(p + 10, wb->m.ex[e].id, n) == 0 &&
                p[10 + n] == '/')
                hit = p;
        }
    }
    free(want);
    return hit;
}

static const graded_file *find_graded(const integrity *ig, const char *rel)
{
    for (size_t i = 0; i < ig->nfiles; i++)
        if (strcmp(ig->files[i].path, rel) == 0)
            return &ig->files[i];
    return NULL;
}

/* Removes whatever is in the graded tree that this grader did not write
 * (a file, a folder, a link planted by an earlier exercise's tests). */
static void prune(const integrity *ig, const char *rel)
{
    char *dir = path_join(ig->graded_dir, rel);
    char **ns;
    size_t n;
    if (list_dir(dir, 0, &ns, &n) != 0) {
        free(dir);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char *child = rel[0] ? path_join(rel, ns[i]) : strdup(ns[i]);
        char *abs = path_join(ig->graded_dir, child);
        struct stat st;
        if (child && lstat(abs, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                prune(ig, child);
            else if (find_graded(ig, child) == NULL)
                unlink(abs);
        }
        free(abs);
        free(child);
    }
    free_names(ns, n);
    free(dir);
}

/* Puts the graded tree back as written. Tests run as the grader's own user
 * when it is not root, and without Landlock nothing stops them writing
 * here; checking before each exercise keeps one exercise's tests from
 * changing the next one's inputs. Returns 0 or -1 with err. */
static int resync(const integrity *ig, strbuf *err)
{
    if (ig == NULL || ig->graded_dir == NULL)
        return 0;
    prune(ig, "");
    for (size_t i = 0; i < ig->nfiles; i++) {
        const graded_file *f = &ig->files[i];
        char *data = NULL;
        size_t len = 0;
        char *abs = path_join(ig->graded_dir, f->path);
        struct stat st;
        int same = lstat(abs, &st) == 0 && S_ISREG(st.st_mode) &&
                   file_read(abs, &data, &len, GR_MAX_FILE_BYTES) == 0 &&
                   len == f->len && memcmp(data, f->data, len) == 0;
        free(data);
        if (!same) {
            remove_tree(abs);
            if (write_file(ig->graded_dir, f->path, f->data, f->len) != 0) {
                sb_printf(err, "cannot restore the graded copy of %s: %s",
                          f->path, strerror(errno));
                free(abs);
                return -1;
            }
        }
        free(abs);
    }
    return 0;
}

int integrity_grade(const integrity *ig, const workbook *wb, const exercise *ex,
                    const grade_options *o, exercise_result *out, strbuf *err)
{
    const char *file = blocked_by(ig, wb, ex);
    if (file == NULL) {
        if (resync(ig, err) != 0)
            return 3;
        return grade_exercise(wb, ex, o, out, err);
    }
    memset(out, 0, sizeof *out);
    out->id = xstrdup(ex->id);
    out->title = xstrdup(ex->title);
    out->chapter = ex->chapter;
    out->verdict = EV_TAMPERED;
    out->max_score = ex->points;
    out->hash = xstrdup("");
    strbuf sb = {0};
    sb_printf(&sb,
              "%s was changed and no pristine copy of it is available here "
              "(no git objects): restore it with `git checkout -- %s`",
              file, file);
    out->message = sb_steal(&sb);
    out->tests = calloc(1, sizeof *out->tests);
    if (out->tests == NULL)
        exit(3);
    return 0;
}

int integrity_check_worktree(const char *root, const char *id,
                             const grade_options *o, exercise_result *out,
                             char **notice, strbuf *err)
{
    *notice = NULL;
    workbook wb;
    strbuf manifest_err = {0};
    int rc = workbook_open_lenient(root, &wb, &manifest_err, err);
    if (rc != 0) {
        sb_free(&manifest_err);
        return rc;
    }
    integrity *ig = NULL;
    const integrity_options io = {NULL, NULL};
    rc = integrity_apply(&wb, &io, &ig, err);
    if (rc == 0 && manifest_err.len && !integrity_graded(ig)) {
        sb_puts(err, sb_str(&manifest_err));
        rc = 2;
    }
    const exercise *ex = rc == 0 ? manifest_find(&wb.m, id) : NULL;
    if (rc == 0 && ex == NULL) {
        sb_printf(err, "no exercise \"%s\" in the workbook's manifest", id);
        rc = 2;
    }
    if (rc == 0)
        rc = integrity_grade(ig, &wb, ex, o, out, err);
    if (rc == 0) {
        size_t len = 0;
        FILE *f = open_memstream(notice, &len);
        if (f != NULL) {
            integrity_notice(f, ig);
            fclose(f);
        }
    }
    integrity_free(ig);
    workbook_close(&wb);
    sb_free(&manifest_err);
    return rc;
}
