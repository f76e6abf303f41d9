/* integrity.c: see integrity.h. */
#include "integrity/integrity.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/exit_codes.h"
#include "base/files.h"
#include "base/i18n.h"
#include "base/text.h"
#include "base/utf8.h"
#include "integrity/git_repo.h"
#include "integrity/pristine.h"
#include "integrity/provenance.h"
#include "integrity/template.h"
#include "workbook/state.h"

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
    manifest m;        /* the graded tree's manifest (pristine) */
    strlist modified, deleted, added, unrestorable, missing_edit;
    strlist linked_edit;   /* editable paths that are (or lie below) a link */
    strlist unusable_edit; /* editable paths that are no regular file, or
                              too large: "path\tproblem" */
    cJSON *provenance;
};

/* The largest editable file read: far above any solution's source. */
enum { EDITABLE_FILE_MAX = 1 << 20 };

typedef struct {
    const char *root;     /* working-tree mode */
    git_repository *repo; /* for ignore rules, or the graded commit's */
    git_tree *tree;       /* commit mode */
} student_view;

static path_kind sv_kind(const student_view *s, const char *path)
{
    if (s->tree)
        return gr_tree_kind(s->repo, s->tree, path, EDITABLE_FILE_MAX);
    return path_kind_below(s->root, path, EDITABLE_FILE_MAX);
}

static int sv_read(const student_view *s, const char *path, char **data,
                   size_t *len, char id[41])
{
    if (s->tree)
        return gr_tree_read(s->repo, s->tree, path, data, len, id);
    return wt_read(s->root, path, data, len, id);
}

/* ---- comparing the student's files with the pristine set ----------------- */

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
        strlist_push(&c->ig->added, path);
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
        if (template_excluded(f->path))
            continue; /* the student template never had it */
        char *data = NULL;
        size_t len = 0;
        char id[41];
        int rc = sv_read(s, f->path, &data, &len, id);
        free(data);
        if (rc == 1)
            strlist_push(&ig->deleted, f->path);
        else if (rc != 0 || strcmp(id, f->id) != 0)
            strlist_push(&ig->modified, f->path);
    }
    added_ctx c = {ig, edit, nedit};
    if (s->tree)
        for (const char *const *r = PROTECTED_ROOTS; *r; r++)
            gr_tree_walk(s->repo, s->tree, *r, added_tree_cb, &c);
    else
        wt_list(s->root, s->repo, added_cb, &c);
}

/* ---- the graded tree ----------------------------------------------------- */

static int write_file(const char *dir, const char *rel, const char *data,
                      size_t len);

/* Writes a file of the graded tree and remembers it (takes data). */
static int put_file(integrity *ig, const char *rel, char *data, size_t len)
{
    ig->files = xgrow(ig->files, ig->nfiles, sizeof *ig->files);
    ig->files[ig->nfiles++] = (graded_file){xstrdup(rel), data, len};
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

/* Writes every protected file pristine; one with no trustworthy copy is
 * recorded as unrestorable, with a stand-in that keeps the manifest
 * loadable (the exercises that need it are "tampered" and never built:
 * integrity_blocked_by). */
static int put_protected(integrity *ig, strbuf *err)
{
    for (size_t i = 0; i < ig->p.prot.n; i++) {
        const pfile *f = &ig->p.prot.v[i];
        char *data = NULL;
        size_t len = 0;
        if (pristine_read(&ig->p, f, &data, &len) != 0) {
            strlist_push(&ig->unrestorable, f->path);
            data = xasprintf("#error \"%s: no pristine copy\"\n", f->path);
            len = strlen(data);
        }
        if (put_file(ig, f->path, data, len) != 0) {
            sb_printf(err, "cannot write the graded copy of %s: %s", f->path,
                      strerror(errno));
            return EXIT_INTERNAL;
        }
    }
    if (strlist_has(&ig->unrestorable, MANIFEST_PATH)) {
        sb_printf(err,
                  "%s differs from the pinned workbook and no pristine copy "
                  "is available (no git objects): restore it (git checkout "
                  "-- %s)",
                  MANIFEST_PATH, MANIFEST_PATH);
        return EXIT_USAGE;
    }
    return 0;
}

/* Writes the student's editable files. A deleted one is replaced by its
 * starter, so the exercise grades (and fails) like an untouched one. One
 * that is a link, or below one, is never followed (its exercise is
 * tampered); one that is no regular file or too large is not read (its
 * exercise is a build error saying so): both get a stand-in that does not
 * compile (integrity_editable_problem). */
static int put_editable(integrity *ig, const student_view *s,
                        const char *const *edit, size_t nedit, strbuf *err)
{
    for (size_t i = 0; i < nedit; i++) {
        char *data = NULL;
        size_t len = 0;
        const path_kind k = sv_kind(s, edit[i]);
        if (k == PATH_LINK || k == PATH_NOT_FILE || k == PATH_TOO_LARGE) {
            if (k == PATH_LINK)
                strlist_push(&ig->linked_edit, edit[i]);
            else
                strlist_pushf(&ig->unusable_edit, "%s\t%s%s", edit[i],
                              path_kind_problem(k),
                              k == PATH_TOO_LARGE ? " (1 MiB)" : "");
            data = xasprintf("#error \"%s: not graded\"\n", edit[i]);
            len = strlen(data);
        } else if (sv_read(s, edit[i], &data, &len, NULL) != 0) {
            const pfile *st = pfiles_find(&ig->p.starters, edit[i]);
            strlist_push(&ig->missing_edit, edit[i]);
            if (st == NULL || pristine_read(&ig->p, st, &data, &len) != 0) {
                data = xasprintf("/* %s is missing from the submission */\n",
                                 edit[i]);
                len = strlen(data);
            }
        }
        if (put_file(ig, edit[i], data, len) != 0) {
            sb_printf(err, "cannot write the graded copy of %s: %s", edit[i],
                      strerror(errno));
            return EXIT_INTERNAL;
        }
    }
    return 0;
}

/* ---- apply --------------------------------------------------------------- */

static int open_student(integrity *ig, const integrity_options *o,
                        student_view *s, git_repository **own,
                        git_commit **commit, strbuf *err)
{
    memset(s, 0, sizeof *s);
    if (o->rev == NULL) {
        if (o->repo) {
            sb_puts(err, "--repo needs --rev (the commit to grade)");
            return EXIT_USAGE;
        }
        s->root = ig->source_root;
        s->repo = ig->p.repo;
        ig->provenance = provenance_worktree(ig->source_root, ig->p.repo);
        return 0;
    }
    git_repository *r = ig->p.repo;
    if (o->repo) {
        if (gr_open_any(o->repo, own, err) != 0)
            return EXIT_USAGE;
        r = *own;
    } else if (r == NULL) {
        sb_puts(err, "--rev needs a git workbook or --repo PATH");
        return EXIT_USAGE;
    }
    if (gr_resolve_commit(r, o->rev, commit, err) != 0)
        return EXIT_USAGE;
    if (git_commit_tree(&s->tree, *commit) != 0) {
        sb_printf(err, "cannot read the tree of %s: %s", o->rev,
                  gr_last_error());
        return EXIT_USAGE;
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
    strlist ns = {0};
    if (list_dir(state, 0, &ns) != 0)
        return;
    time_t now = time(NULL);
    for (size_t i = 0; i < ns.n; i++) {
        if (!starts_with(ns.v[i], STATE_GRADED_PREFIX))
            continue;
        char *p = path_join(state, ns.v[i]);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
            now - st.st_mtime > 12 * 3600)
            remove_tree(p);
        free(p);
    }
    strlist_free(&ns);
}

static char *make_graded_dir(const char *state, strbuf *err)
{
    remove_stale_trees(state);
    char *d = state_graded_template(state);
    if (mkdtemp(d) == NULL) {
        sb_printf(err, "cannot create %s: %s", d, strerror(errno));
        free(d);
        return NULL;
    }
    return d;
}

/* The editable files, from the pristine manifest. */
static int edit_list(const integrity *ig, strlist *edit, strbuf *err)
{
    const pfile *mf = pfiles_find(&ig->p.prot, MANIFEST_PATH);
    char *text = NULL;
    size_t len = 0;
    if (mf == NULL || pristine_read(&ig->p, mf, &text, &len) != 0) {
        sb_printf(err,
                  "%s has no pristine copy: restore it (git checkout -- %s)",
                  MANIFEST_PATH, MANIFEST_PATH);
        return EXIT_USAGE;
    }
    int rc = manifest_edit_paths_of(text, edit, err);
    free(text);
    return rc == 0 ? 0 : EXIT_USAGE;
}

/* Compares the student's files with the pristine set, writes the graded
 * tree and loads its manifest. */
static int make_graded_tree(integrity *ig, const workbook *wb,
                            const student_view *s, strbuf *err)
{
    strlist edit = {0};
    int rc = edit_list(ig, &edit, err);
    if (rc == 0) {
        const char *const *e = (const char *const *)edit.v;
        compare(ig, s, e, edit.n);
        ig->graded_dir = make_graded_dir(wb->state_dir, err);
        rc = ig->graded_dir ? put_protected(ig, err) : EXIT_INTERNAL;
        if (rc == 0)
            rc = put_editable(ig, s, e, edit.n, err);
    }
    if (rc == 0 && manifest_load(ig->graded_dir, &ig->m, err) != 0)
        rc = EXIT_USAGE;
    strlist_free(&edit);
    return rc;
}

/* The pristine source; for a commit of a workbook that is neither pinned
 * nor a git repository, the organizer's own checkout. */
static int open_pristine(integrity *ig, const integrity_options *o, strbuf *err)
{
    if (pristine_open(ig->source_root, &ig->p, err) != 0)
        return EXIT_USAGE;
    if (o->rev && ig->p.source == PS_NONE &&
        pristine_from_worktree(&ig->p, err) != 0)
        return EXIT_USAGE;
    return 0;
}

int integrity_apply(const workbook *wb, const integrity_options *o,
                    integrity **out, strbuf *err)
{
    *out = NULL;
    integrity *ig = xcalloc(1, sizeof *ig);
    ig->source_root = xstrdup(wb->root);
    student_view s = {0};
    git_repository *own = NULL;
    git_commit *commit = NULL;
    int rc = open_pristine(ig, o, err);
    if (rc == 0)
        rc = open_student(ig, o, &s, &own, &commit, err);
    if (rc == 0 && ig->p.source != PS_NONE)
        rc = make_graded_tree(ig, wb, &s, err);
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

const char *integrity_root(const integrity *ig)
{
    return ig ? ig->graded_dir : NULL;
}

const manifest *integrity_manifest(const integrity *ig)
{
    return ig && ig->graded_dir ? &ig->m : NULL;
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
    manifest_free(&ig->m);
    pristine_free(&ig->p);
    strlist_free(&ig->modified);
    strlist_free(&ig->deleted);
    strlist_free(&ig->added);
    strlist_free(&ig->unrestorable);
    strlist_free(&ig->missing_edit);
    strlist_free(&ig->linked_edit);
    strlist_free(&ig->unusable_edit);
    cJSON_Delete(ig->provenance);
    free(ig);
}

/* ---- telling the student ------------------------------------------------- */

static size_t changes(const integrity *ig)
{
    return ig->modified.n + ig->deleted.n + ig->added.n;
}

/* The paths of unusable_edit ("path\tproblem"). */
static cJSON *unusable_json(const strlist *l)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < l->n; i++) {
        const size_t n = strcspn(l->v[i], "\t");
        char *path = xstrndup(l->v[i], n);
        cJSON_AddItemToArray(a, cJSON_CreateString(path));
        free(path);
    }
    return a;
}

/* The English text itself, or its translation (i18n.h) for a person: the
 * results JSON keeps English, the terminal notice speaks the student's
 * language. */
static const char *say(int localized, const char *english)
    __attribute__((format_arg(2)));
static const char *say(int localized, const char *english)
{
    return localized ? _(english) : english;
}

static void list_some(strbuf *sb, const integrity *ig, int loc)
{
    const struct {
        const strlist *l;
        const char *what;
    } kinds[] = {{&ig->modified, say(loc, "modified")},
                 {&ig->deleted, say(loc, "deleted")},
                 {&ig->added, say(loc, "added")}};
    size_t shown = 0, total = changes(ig);
    /* A student names added files: shown with control characters visible
     * (the message reaches the terminal and the annotations). */
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < kinds[k].l->n && shown < 3; i++, shown++) {
            char *path = utf8_visible(kinds[k].l->v[i], 200);
            sb_printf(sb, say(loc, "%s%s (%s)"), shown ? ", " : "", path,
                      kinds[k].what);
            free(path);
        }
    if (total > shown)
        sb_printf(sb, say(loc, " and %zu more"), total - shown);
}

static char *message(const integrity *ig, int loc)
{
    strbuf sb = {0};
    if (ig->p.source == PS_NONE) {
        sb_puts(&sb,
                say(loc,
                    "no pristine source (not a git repository, no " PIN_FILE
                    "): the files were graded as they are"));
        return sb_steal(&sb);
    }
    if (changes(ig) == 0)
        return NULL;
    sb_printf(&sb,
              say(loc, "%zu protected file%s differ%s from the workbook and "
                       "%s not used: "),
              changes(ig), changes(ig) == 1 ? "" : "s",
              changes(ig) == 1 ? "s" : "", changes(ig) == 1 ? "was" : "were");
    list_some(&sb, ig, loc);
    if (ig->unrestorable.n)
        sb_printf(&sb,
                  say(loc, "; %zu ha%s no pristine copy here, so the "
                           "exercises using %s are marked tampered"),
                  ig->unrestorable.n, ig->unrestorable.n == 1 ? "s" : "ve",
                  ig->unrestorable.n == 1 ? "it" : "them");
    else
        sb_puts(&sb, say(loc, "; the pristine copies were graded"));
    return sb_steal(&sb);
}

void integrity_notice(FILE *f, const integrity *ig)
{
    if (ig == NULL || ig->p.source == PS_NONE || changes(ig) == 0)
        return;
    char *m = message(ig, 1);
    fprintf(f, _("Integrity: %s (`git checkout -- PATH` restores one).\n"), m);
    free(m);
}

static cJSON *paths_json(const strlist *l)
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
                              ig->unrestorable.n == 0 &&
                              ig->linked_edit.n == 0);
    cJSON_AddItemToObject(o, "modified", paths_json(&ig->modified));
    cJSON_AddItemToObject(o, "deleted", paths_json(&ig->deleted));
    cJSON_AddItemToObject(o, "added", paths_json(&ig->added));
    cJSON_AddItemToObject(o, "unrestorable", paths_json(&ig->unrestorable));
    cJSON_AddItemToObject(o, "missing_editable", paths_json(&ig->missing_edit));
    cJSON_AddItemToObject(o, "linked_editable", paths_json(&ig->linked_edit));
    cJSON_AddItemToObject(o, "unusable_editable",
                          unusable_json(&ig->unusable_edit));
    char *m = message(ig, 0);
    if (m)
        cJSON_AddStringToObject(o, "message", m);
    free(m);
    if (ig->provenance)
        cJSON_AddItemToObject(doc, "provenance",
                              cJSON_Duplicate(ig->provenance, 1));
    return doc;
}

/* ---- grading ------------------------------------------------------------- */

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
const char *integrity_blocked_by(const integrity *ig, const manifest *m,
                                 const exercise *ex)
{
    if (ig == NULL || ig->unrestorable.n == 0)
        return NULL;
    int *want = xcalloc(m->n, sizeof *want);
    needed_dirs(m, ex, want);
    const char *hit = NULL;
    for (size_t i = 0; i < ig->unrestorable.n && !hit; i++) {
        const char *p = ig->unrestorable.v[i];
        if (strncmp(p, "exercises/common/", 17) == 0)
            hit = p;
        /* hardware/: the CUDA simulator and the device probe */
        if (strncmp(p, "hardware/", 9) == 0 && ex->kind->uses_hardware)
            hit = p;
        for (size_t e = 0; e < m->n && !hit && p[0] == 'e'; e++) {
            size_t n = strlen(m->ex[e].id);
            if (want[e] && strncmp(p + 10, m->ex[e].id, n) == 0 &&
                p[10 + n] == '/')
                hit = p;
        }
    }
    free(want);
    return hit;
}

/* The problem of editable file path, or NULL; *tampered when it is a link. */
static const char *edit_problem(const integrity *ig, const char *path,
                                int *tampered)
{
    if (strlist_has(&ig->linked_edit, path)) {
        *tampered = 1;
        return path_kind_problem(PATH_LINK);
    }
    const size_t n = strlen(path);
    for (size_t i = 0; i < ig->unusable_edit.n; i++) {
        const char *e = ig->unusable_edit.v[i];
        if (strncmp(e, path, n) == 0 && e[n] == '\t')
            return e + n + 1;
    }
    return NULL;
}

char *integrity_editable_problem(const integrity *ig, const manifest *m,
                                 const exercise *ex, int *tampered)
{
    *tampered = 0;
    if (ig == NULL)
        return NULL;
    int *want = xcalloc(m->n, sizeof *want);
    needed_dirs(m, ex, want);
    char *msg = NULL;
    for (size_t e = 0; e < m->n && !msg; e++)
        for (size_t f = 0; want[e] && f < m->ex[e].edit.n && !msg; f++) {
            char *path =
                xasprintf("exercises/%s/%s", m->ex[e].id, m->ex[e].edit.v[f]);
            const char *why = edit_problem(ig, path, tampered);
            if (why)
                msg = xasprintf("%s %s", path, why);
            free(path);
        }
    free(want);
    return msg;
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
    strlist ns = {0};
    if (list_dir(dir, 0, &ns) != 0) {
        free(dir);
        return;
    }
    for (size_t i = 0; i < ns.n; i++) {
        char *child = rel[0] ? path_join(rel, ns.v[i]) : xstrdup(ns.v[i]);
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
    strlist_free(&ns);
    free(dir);
}

/* Puts the graded tree back as written. Tests run as the grader's own user
 * when it is not root, and without Landlock nothing stops them writing
 * here; checking before each exercise keeps one exercise's tests from
 * changing the next one's inputs. Returns 0 or -1 with err. */
int integrity_resync(const integrity *ig, strbuf *err)
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
