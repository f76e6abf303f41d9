/* inputs.c: see inputs.h. */
#include "compile/inputs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/sha256.h"
#include "base/text.h"

enum { MAX_INPUT_BYTES = 64 << 20 };

static void push_input(build_inputs *in, char *src, char *dest, int edited)
{
    in->v = xgrow(in->v, in->n, sizeof *in->v);
    in->v[in->n++] = (build_input){src, dest, edited};
}

/* Adds every file below root/rel (recursively, skipping hidden entries and
 * caches) except the edited ones of ex_dir, which come from elsewhere. */
static int add_protected_tree(const char *root, const char *rel,
                              const strlist *edited_here, const char *ex_dir,
                              build_inputs *in)
{
    char *dir = path_join(root, rel);
    strlist names = {0};
    int rc = list_dir(dir, 0, &names);
    free(dir);
    for (size_t i = 0; i < names.n && rc == 0; i++) {
        const char *name = names.v[i];
        if (name[0] == '.' || strcmp(name, "__pycache__") == 0)
            continue;
        char *child_rel = path_join(rel, name);
        char *child = path_join(root, child_rel);
        /* Edited files are named relative to their exercise folder. */
        const char *within = child_rel + strlen(ex_dir) + 1;
        if (dir_exists(child)) {
            rc = add_protected_tree(root, child_rel, edited_here, ex_dir, in);
            free(child);
            free(child_rel);
        } else if (edited_here && strlist_has(edited_here, within)) {
            free(child);
            free(child_rel);
        } else {
            push_input(in, child, child_rel, 0);
        }
    }
    strlist_free(&names);
    return rc;
}

/* Where the edited files of exercise id come from. */
static char *edit_path(const graded_view *v, const build_options *o,
                       const char *id, const char *file)
{
    if (o->edit_base[0] == '/')
        return xasprintf("%s/%s/%s", o->edit_base, id, file);
    return xasprintf("%s/%s/%s/%s", v->root, o->edit_base, id, file);
}

/* Adds ex's folder and edited files; its tests too when it is the exercise
 * being built (compile), not one it links. */
static int add_exercise(const graded_view *v, const exercise *ex,
                        const build_options *o, build_inputs *in, int compile,
                        strbuf *err)
{
    char *rel = xasprintf("exercises/%s", ex->id);
    int rc = add_protected_tree(v->root, rel, &ex->edit, rel, in);
    if (rc != 0)
        sb_printf(err, "cannot read the folder %s", rel);
    else
        strlist_push(&in->include_dirs, rel);
    for (size_t i = 0; rc == 0 && i < ex->edit.n; i++) {
        char *src = edit_path(v, o, ex->id, ex->edit.v[i]);
        char *dest = xasprintf("%s/%s", rel, ex->edit.v[i]);
        /* below the workbook, a submission's own path: plain files only */
        char *own = xasprintf("%s/%s/%s", o->edit_base, ex->id, ex->edit.v[i]);
        const path_kind k =
            o->edit_base[0] == '/'
                ? (file_exists(src) ? PATH_FILE : PATH_MISSING)
                : path_kind_below(v->root, own, MAX_INPUT_BYTES);
        free(own);
        if (k != PATH_FILE) {
            sb_printf(err, "%s/%s/%s %s", o->edit_base, ex->id, ex->edit.v[i],
                      path_kind_problem(k));
            free(src);
            free(dest);
            rc = -1;
            break;
        }
        if (ends_with(dest, ".c"))
            strlist_push(&in->sources, dest);
        push_input(in, src, dest, 1);
    }
    for (size_t i = 0; rc == 0 && compile && i < ex->tests.n; i++)
        strlist_pushf(&in->sources, "%s/%s", rel, ex->tests.v[i]);
    free(rel);
    return rc;
}

/* Linked exercises in manifest order, each once, including links of links. */
static void collect_links(const manifest *m, const exercise *ex, int *want)
{
    for (size_t i = 0; i < ex->links.n; i++) {
        const exercise *l = manifest_find(m, ex->links.v[i]);
        if (l == NULL || want[l - m->ex])
            continue;
        want[l - m->ex] = 1;
        collect_links(m, l, want);
    }
}

/* Adds the folders and files the kind stages with every exercise. */
static int add_kind_parts(const graded_view *v, const kind_spec *k,
                          build_inputs *in, strbuf *err)
{
    for (const char *const *p = k->staged; p && *p; p++) {
        char *abs = path_join(v->root, *p);
        int rc = 0;
        if (dir_exists(abs))
            rc = add_protected_tree(v->root, *p, NULL, *p, in);
        else if (file_exists(abs))
            push_input(in, xstrdup(abs), xstrdup(*p), 0);
        else
            rc = -1;
        free(abs);
        if (rc != 0) {
            sb_printf(err, "cannot read %s", *p);
            return -1;
        }
    }
    return 0;
}

int build_collect(const graded_view *v, const exercise *ex,
                  const build_options *o, build_inputs *in, strbuf *err)
{
    memset(in, 0, sizeof *in);
    if (add_exercise(v, ex, o, in, 1, err) != 0)
        return -1;
    int *want = xcalloc(v->m->n, sizeof *want);
    collect_links(v->m, ex, want);
    int rc = 0;
    for (size_t i = 0; i < v->m->n && rc == 0; i++)
        if (want[i])
            rc = add_exercise(v, &v->m->ex[i], o, in, 0, err);
    free(want);
    if (rc != 0)
        return -1;
    if (add_protected_tree(v->root, "exercises/common", NULL,
                           "exercises/common", in) != 0) {
        sb_puts(err, "cannot read exercises/common");
        return -1;
    }
    strlist_push(&in->include_dirs, "exercises/common");
    strlist_push(&in->sources, "exercises/common/llmlings_harness.c");
    return add_kind_parts(v, ex->kind, in, err);
}

void build_inputs_free(build_inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        free(in->v[i].src);
        free(in->v[i].dest);
    }
    free(in->v);
    strlist_free(&in->include_dirs);
    strlist_free(&in->sources);
    memset(in, 0, sizeof *in);
}

static int cmp_inputs(const void *a, const void *b)
{
    return strcmp(((const build_input *)a)->dest,
                  ((const build_input *)b)->dest);
}

void build_hash(const graded_view *v, const exercise *ex,
                const build_options *o, const build_inputs *in, char hex[65])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, v->wb->grader_id, 64);
    sha256_update(&c, ex->entry_json, strlen(ex->entry_json) + 1);
    sha256_update(&c, o->werror ? "W1" : "W0", 2);
    for (const char *const *d = o->defines; d && *d; d++)
        sha256_update(&c, *d, strlen(*d) + 1);
    build_input *sorted = xcalloc(in->n, sizeof *sorted);
    memcpy(sorted, in->v, in->n * sizeof *sorted);
    qsort(sorted, in->n, sizeof *sorted, cmp_inputs);
    for (size_t i = 0; i < in->n; i++) {
        char *data = NULL;
        size_t len = 0;
        sha256_update(&c, sorted[i].dest, strlen(sorted[i].dest) + 1);
        if (file_read(sorted[i].src, &data, &len, MAX_INPUT_BYTES) == 0) {
            sha256_update(&c, &len, sizeof len);
            sha256_update(&c, data, len);
            free(data);
        } else {
            sha256_update(&c, "(unreadable)", 12);
        }
    }
    free(sorted);
    sha256_final_hex(&c, hex);
}

int build_stage(const build_inputs *in, const char *tree, strbuf *err)
{
    if (remove_tree(tree) != 0 || mkdir_p(tree, 0755) != 0) {
        sb_printf(err, "cannot prepare %s: %s", tree, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < in->n; i++) {
        char *data = NULL;
        size_t len = 0;
        char *dest = path_join(tree, in->v[i].dest);
        char *slash = strrchr(dest, '/');
        *slash = '\0';
        int ok = mkdir_p(dest, 0755) == 0;
        *slash = '/';
        ok = ok && file_read(in->v[i].src, &data, &len, MAX_INPUT_BYTES) == 0 &&
             file_write_atomic(dest, data, len) == 0;
        free(data);
        free(dest);
        if (!ok) {
            sb_printf(err, "cannot stage %s: %s", in->v[i].dest,
                      strerror(errno));
            return -1;
        }
    }
    return 0;
}
