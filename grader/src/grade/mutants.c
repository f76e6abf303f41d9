/* mutants.c: see mutants.h.
 *
 * A patched copy of the reference lives in the build folder as
 * mutants/<id>/<id>/... beside copies of the references of the exercises
 * it links, so the grade reads it as an edit base (inputs.h). Each mutant
 * is graded up to its first failing test only: one is enough. */
#include "grade/mutants.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/strlist.h"
#include "base/unidiff.h"
#include "grade/grading.h"
#include "grade/verdict.h"

enum { PATCH_MAX = 1 << 20 };

/* Copies the reference files of ex (and of the exercises it links) from
 * the workbook's solutions-private/ into base/<id>/. */
static int copy_reference(const graded_view *v, const exercise *ex,
                          const char *base, strbuf *err)
{
    strlist ids = {0};
    strlist_push(&ids, ex->id);
    for (size_t i = 0; i < ex->links.n; i++)
        strlist_push(&ids, ex->links.v[i]);
    int rc = remove_tree(base) == 0 ? 0 : -1;
    for (size_t i = 0; i < ids.n && rc == 0; i++) {
        const exercise *e = manifest_find(v->m, ids.v[i]);
        for (size_t f = 0; e && f < e->edit.n && rc == 0; f++) {
            char *from = xasprintf("%s/solutions-private/%s/%s", v->wb->root,
                                   e->id, e->edit.v[f]);
            char *to = xasprintf("%s/%s/%s", base, e->id, e->edit.v[f]);
            char *dir = xstrdup(to);
            *strrchr(dir, '/') = '\0';
            char *data = NULL;
            size_t len = 0;
            rc = mkdir_p(dir, 0755) == 0 &&
                         file_read(from, &data, &len, 16 << 20) == 0 &&
                         file_write_atomic(to, data, len) == 0
                     ? 0
                     : -1;
            if (rc != 0)
                sb_printf(err, "cannot copy %s into %s: %s", from, base,
                          strerror(errno));
            free(data);
            free(dir);
            free(from);
            free(to);
        }
    }
    strlist_free(&ids);
    return rc;
}

/* The patch files of one kind ("mutants" or "variants"), sorted. */
static void list_patches(const graded_view *v, const exercise *ex,
                         const char *kind, strlist *out)
{
    char *dir =
        xasprintf("%s/solutions-private/%s/%s", v->wb->root, ex->id, kind);
    strlist names = {0};
    if (dir_exists(dir) && list_dir(dir, 1, &names) == 0)
        for (size_t i = 0; i < names.n; i++) {
            const size_t n = strlen(names.v[i]);
            if (n > 6 && strcmp(names.v[i] + n - 6, ".patch") == 0)
                strlist_pushf(out, "%s/%s", dir, names.v[i]);
        }
    strlist_free(&names);
    free(dir);
}

/* "suite/name: verdict: message" of r's first test that did not pass, or
 * passed below the top tier of its counter (verdict.h); NULL when none. */
static char *first_failure(const exercise *ex, const exercise_result *r)
{
    if (r->verdict == EV_BUILD_ERROR)
        return xasprintf("does not compile: %s", r->message ? r->message : "");
    for (size_t i = 0; i < r->ntests; i++) {
        const test_result *t = &r->tests[i];
        if (t->verdict != TV_PASSED || below_counter_top_tier(ex, t))
            return xasprintf("%s: %s: %s", t->name,
                             t->verdict == TV_PASSED
                                 ? "below the top counter tier"
                                 : test_verdict_name(t->verdict),
                             t->message ? t->message : "");
    }
    return r->verdict == EV_PASSED ? NULL : xstrdup("");
}

/* How one patched reference fared: 1 every test passed (at the top tier
 * of the counter-graded ones), 0 some did not (*failure says which first), -1
 * the patch does not apply (why says so), -2 internal error (err). */
static int grade_patched(const graded_view *v, const exercise *ex,
                         const char *patch, int first_failure_only,
                         char **description, char **failure, strbuf *why,
                         strbuf *err)
{
    char *diff = NULL;
    size_t len = 0;
    if (file_read(patch, &diff, &len, PATCH_MAX) != 0) {
        sb_printf(err, "cannot read %s: %s", patch, strerror(errno));
        return -2;
    }
    *description = unidiff_description(diff, len);
    char *base = xasprintf("%s/mutants/%s", v->wb->build_dir, ex->id);
    char *folder = path_join(base, ex->id);
    int rc = copy_reference(v, ex, base, err) == 0 ? 0 : -2;
    strbuf bad = {0};
    if (rc == 0 && unidiff_apply(folder, diff, len, &bad) != 0) {
        sb_printf(why, "%s does not apply: %s\n", patch, sb_str(&bad));
        rc = -1;
    }
    if (rc == 0) {
        grade_options o = {
            .build = {base, 0, NULL, "mutant"},
            .first_failure_only = first_failure_only,
        };
        exercise_result r;
        if (grade_exercise(v, ex, &o, &r, err) != 0) {
            rc = -2;
        } else {
            *failure = first_failure(ex, &r);
            rc = *failure == NULL ? 1 : 0;
        }
        exercise_result_free(&r);
    }
    sb_free(&bad);
    remove_tree(base);
    free(folder);
    free(base);
    free(diff);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int mutants_verify(const graded_view *v, const exercise *ex, mutant_tally *t,
                   strbuf *why, strbuf *err)
{
    memset(t, 0, sizeof *t);
    strlist mutants = {0}, variants = {0};
    list_patches(v, ex, "mutants", &mutants);
    list_patches(v, ex, "variants", &variants);
    int rc = 0;
    for (size_t i = 0; i < mutants.n && rc == 0; i++) {
        char *what = NULL, *failure = NULL;
        int g =
            grade_patched(v, ex, mutants.v[i], 1, &what, &failure, why, err);
        t->mutants++;
        if (g == 0)
            t->killed++;
        else if (g == 1)
            sb_printf(why, "mutant %s survives every test: %s\n",
                      base_name(mutants.v[i]), what);
        rc = g == -2 ? -1 : 0;
        free(what);
        free(failure);
    }
    for (size_t i = 0; i < variants.n && rc == 0; i++) {
        char *what = NULL, *failure = NULL;
        int g =
            grade_patched(v, ex, variants.v[i], 0, &what, &failure, why, err);
        t->variants++;
        if (g == 1)
            t->passing++;
        else if (g == 0)
            sb_printf(why,
                      "variant %s (%s) fails: %s (do the tests demand an "
                      "incidental choice of the reference?)\n",
                      base_name(variants.v[i]), what, failure);
        rc = g == -2 ? -1 : 0;
        free(what);
        free(failure);
    }
    strlist_free(&mutants);
    strlist_free(&variants);
    return rc;
}
