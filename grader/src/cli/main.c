/* main.c: the grader's command line. Each command is a small function;
 * the work happens in grading.c, the words in report_table.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/files.h"
#include "base/term.h"
#include "build/hardware.h"
#include "cli/compile_commands.h"
#include "cli/standing.h"
#include "cli/watch.h"
#include "grade/grading.h"
#include "grade/result_cache.h"
#include "grade/verify.h"
#include "integrity/integrity.h"
#include "integrity/pristine.h"
#include "integrity/student_repo.h"
#include "report/export.h"
#include "report/leaderboard.h"
#include "report/report_json.h"
#include "report/report_table.h"
#include "sandbox/sandbox.h"
#include "workbook/workbook.h"

enum {
    EXIT_ALL_PASSED = 0,
    EXIT_SOME_FAILED = 1,
    EXIT_USAGE = 2,
    EXIT_INTERNAL = 3,
};

static const char USAGE[] =
    "usage: grader [--root DIR] COMMAND [ARGS]\n"
    "\n"
    "student commands:\n"
    "  watch [EX] [--poll SECONDS]\n"
    "                       re-check the current exercise on every save\n"
    "  list                 every exercise with its status\n"
    "  next [--skip]        move on to the next unfinished exercise\n"
    "  check [EX]           build and test one exercise (default: the first\n"
    "                       unfinished one)\n"
    "  hint EX [--all]      the next hint of an exercise (or all of them)\n"
    "  grade [--json FILE] [--no-cache] [--repo PATH] [--rev REV]\n"
    "                       grade everything; FILE gets the results JSON;\n"
    "                       --rev grades a commit (of PATH) without checking\n"
    "                       it out\n"
    "  reset EX [--yes]     restore an exercise's files to the starter\n"
    "  compile-commands     write compile_commands.json for clangd\n"
    "results (no workbook needed):\n"
    "  report --format FMT [--out F] RESULTS.json\n"
    "                       json gradescope classroom junit opencamp\n"
    "                       annotations summary (see grader/README.md)\n"
    "  leaderboard [--out DIR] FILES_OR_DIRS...\n"
    "                       rank many results: JSON, Markdown, HTML page\n"
    "instructor commands:\n"
    "  verify [EX...]       prove every starter fails every test and every\n"
    "                       reference solution scores full points\n"
    "  pin [--check]        record (check) the pristine protected files\n"
    "  export DIR           write the student repository (no solutions)\n"
    "\n"
    "exit codes: 0 all passed, 1 some not passed, 2 usage or manifest\n"
    "error, 3 internal error\n";

typedef struct {
    workbook wb;
    int color;
    integrity *ig;       /* protected files graded pristine (integrity.h) */
    result_cache *cache; /* earlier results, read before grading */
    strbuf manifest_err; /* the working tree's manifest did not load */
} app;

/* Points the workbook at the graded tree: pristine protected files and
 * the student's editable ones (from the working tree, or from a commit). */
static int use_pristine(app *a, const char *repo, const char *rev)
{
    integrity_options o = {repo, rev};
    strbuf err = {0};
    int rc = integrity_apply(&a->wb, &o, &a->ig, &err);
    if (rc == 0 && a->manifest_err.len && !integrity_graded(a->ig)) {
        sb_puts(&err, sb_str(&a->manifest_err));
        rc = 2;
    }
    if (rc != 0)
        fprintf(stderr, "grader: %s\n", sb_str(&err));
    sb_free(&err);
    return rc;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "grader: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n%s", USAGE);
    return EXIT_USAGE;
}

static const exercise *find_or_complain(const app *a, const char *id)
{
    const exercise *ex = manifest_find(&a->wb.m, id);
    if (ex == NULL)
        fprintf(stderr,
                "grader: no exercise \"%s\" (run `grader list` for the "
                "names)\n",
                id);
    return ex;
}

/* ---- progress on stderr, only for a person watching -------------------- */

typedef struct {
    const char *id;
    size_t index, total;
} progress_state;

static void show_progress(const char *what, void *ctx)
{
    const progress_state *p = ctx;
    term_progress(stderr, p->index, p->total, p->id, what);
}

static void clear_progress(int on)
{
    if (on)
        fprintf(stderr, "\r\033[K");
}

static grade_options student_options(const app *a, progress_state *p,
                                     int use_cache)
{
    grade_options o = {
        .build = BUILD_STUDENT,
        .cache = a->cache,
        .use_cache = use_cache,
        .store_cache = 1,
        .on_step = isatty(STDERR_FILENO) ? show_progress : NULL,
        .step_ctx = p,
    };
    return o;
}

/* ---- commands --------------------------------------------------------------
 */

static int cmd_list(app *a)
{
    int prc = use_pristine(a, NULL, NULL);
    if (prc != 0)
        return prc;
    standing_print_list(stdout, &a->wb, a->cache, a->color);
    return EXIT_ALL_PASSED;
}

/* The first exercise whose current files have not passed. */
static const exercise *first_unfinished(const app *a)
{
    for (size_t i = 0; i < a->wb.m.n; i++) {
        exercise_result r;
        int hit = grade_cached(&a->wb, a->cache, &a->wb.m.ex[i], &r);
        int done = hit && r.verdict == EV_PASSED;
        if (hit)
            exercise_result_free(&r);
        if (!done)
            return &a->wb.m.ex[i];
    }
    return NULL;
}

static int cmd_check(app *a, int argc, char **argv)
{
    const exercise *ex;
    if (argc > 1)
        return usage_error("check takes at most one exercise, got \"%s\"",
                           argv[1]);
    int prc = use_pristine(a, NULL, NULL);
    if (prc != 0)
        return prc;
    if (argc == 1) {
        ex = find_or_complain(a, argv[0]);
        if (ex == NULL)
            return EXIT_USAGE;
    } else {
        ex = first_unfinished(a);
        if (ex == NULL) {
            printf("Every exercise passes. Run `make grade` for the table.\n");
            return EXIT_ALL_PASSED;
        }
    }
    progress_state p = {ex->id, (size_t)(ex - a->wb.m.ex), a->wb.m.n};
    grade_options o = student_options(a, &p, 1);
    exercise_result r;
    strbuf err = {0};
    int rc = integrity_grade(a->ig, &a->wb, ex, &o, &r, &err);
    clear_progress(o.on_step != NULL);
    if (rc != 0) {
        fprintf(stderr, "grader: internal error: %s\n", sb_str(&err));
        sb_free(&err);
        return EXIT_INTERNAL;
    }
    table_print_check(stdout, ex, &r, a->color);
    standing_note(&a->wb, ex->id, r.verdict);
    integrity_notice(stdout, a->ig);
    int code = r.verdict == EV_PASSED ? EXIT_ALL_PASSED : EXIT_SOME_FAILED;
    exercise_result_free(&r);
    return code;
}

static int cmd_hint(app *a, int argc, char **argv)
{
    int all = 0;
    const char *id = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0)
            all = 1;
        else if (id == NULL)
            id = argv[i];
        else
            return usage_error("hint takes one exercise, got also \"%s\"",
                               argv[i]);
    }
    int prc = use_pristine(a, NULL, NULL);
    if (prc != 0)
        return prc;
    const exercise *ex = id ? find_or_complain(a, id) : first_unfinished(a);
    if (ex == NULL)
        return id ? EXIT_USAGE : EXIT_ALL_PASSED;
    /* Hints are revealed one at a time; the count lives in the state dir. */
    strbuf path = {0};
    sb_printf(&path, "%s/results/%s.hints", a->wb.state_dir, ex->id);
    char *text = NULL;
    size_t shown = 0;
    if (file_read(sb_str(&path), &text, NULL, 64) == 0)
        shown = (size_t)strtoul(text, NULL, 10);
    free(text);
    size_t upto = all ? ex->hints.n : shown + 1;
    if (upto > ex->hints.n)
        upto = ex->hints.n;
    printf("Hints for %s — %s\n", ex->id, ex->title);
    for (size_t i = 0; i < upto; i++)
        printf("  %zu/%zu. %s\n", i + 1, ex->hints.n, ex->hints.v[i]);
    if (upto < ex->hints.n)
        printf("(run `make hint EX=%s` again for the next one)\n", ex->id);
    if (ex->lecture)
        printf("Lecture: %s\n", ex->lecture);
    char count[32];
    int len = snprintf(count, sizeof count, "%zu\n", upto);
    (void)file_write_atomic(sb_str(&path), count, (size_t)len);
    sb_free(&path);
    return EXIT_ALL_PASSED;
}

/* Top-level extras of the results document: the hardware probe and the
 * integrity and provenance blocks. */
static cJSON *results_extra(const app *a)
{
    cJSON *extra = hw_results_extra(&a->wb);
    if (a->ig == NULL)
        return extra;
    cJSON *ig = integrity_extra(a->ig);
    if (extra == NULL)
        return ig;
    while (ig->child) {
        cJSON *item = cJSON_DetachItemViaPointer(ig, ig->child);
        cJSON_AddItemToObject(extra, item->string, item);
    }
    cJSON_Delete(ig);
    return extra;
}

static int write_json(const char *path, const app *a, const exercise_result *rs,
                      size_t n)
{
    results_doc doc = {a->wb.m.course_id, a->wb.m.course_title, rs, n,
                       results_extra(a)};
    char *text = results_document_print(&doc);
    cJSON_Delete(doc.extra);
    int rc = file_write_atomic(path, text, strlen(text));
    if (rc != 0)
        fprintf(stderr, "grader: cannot write %s: %s\n", path, strerror(errno));
    free(text);
    return rc;
}

static int cmd_grade(app *a, int argc, char **argv)
{
    const char *json = NULL;
    const char *repo = NULL, *rev = NULL;
    int use_cache = 1;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
            json = argv[++i];
        else if (strcmp(argv[i], "--repo") == 0 && i + 1 < argc)
            repo = argv[++i];
        else if (strcmp(argv[i], "--rev") == 0 && i + 1 < argc)
            rev = argv[++i];
        else if (strcmp(argv[i], "--no-cache") == 0)
            use_cache = 0;
        else
            return usage_error("grade: unknown argument \"%s\"", argv[i]);
    }
    int prc = use_pristine(a, repo, rev);
    if (prc != 0)
        return prc;
    size_t n = a->wb.m.n;
    exercise_result *rs = xcalloc(n, sizeof *rs);
    int code = EXIT_ALL_PASSED;
    progress_state p = {NULL, 0, n};
    grade_options o = student_options(a, &p, use_cache);
    for (size_t i = 0; i < n; i++) {
        p.id = a->wb.m.ex[i].id;
        p.index = i;
        strbuf err = {0};
        if (integrity_grade(a->ig, &a->wb, &a->wb.m.ex[i], &o, &rs[i], &err) !=
            0) {
            clear_progress(o.on_step != NULL);
            fprintf(stderr, "grader: internal error in %s: %s\n", p.id,
                    sb_str(&err));
            code = EXIT_INTERNAL;
            sb_free(&err);
            exercise_result_free(&rs[i]); /* may be half filled */
            n = i; /* what was graded so far still gets reported */
            break;
        }
        sb_free(&err);
        standing_note(&a->wb, rs[i].id, rs[i].verdict);
        if (rs[i].verdict != EV_PASSED && code == EXIT_ALL_PASSED)
            code = EXIT_SOME_FAILED;
    }
    clear_progress(o.on_step != NULL);
    if (code == EXIT_INTERNAL) {
        fprintf(stderr,
                "grader: grading stopped after %zu of %zu exercises; the "
                "results JSON holds only those\n",
                n, a->wb.m.n);
        /* the table must not call a partial run "everything passes" */
        printf("Grading stopped early (internal error above): %zu of %zu "
               "exercises graded.\n",
               n, a->wb.m.n);
    } else {
        table_print_grade(stdout, &a->wb.m, rs, n, a->color);
    }
    integrity_notice(stdout, a->ig);
    if (json && write_json(json, a, rs, n) != 0)
        code = EXIT_INTERNAL;
    else if (json)
        printf("Results written to %s\n", json);
    for (size_t i = 0; i < n; i++)
        exercise_result_free(&rs[i]);
    free(rs);
    return code;
}

static int run_command(app *a, const char *cmd, int argc, char **argv)
{
    if (strcmp(cmd, "list") == 0)
        return argc ? usage_error("list takes no arguments%s", "")
                    : cmd_list(a);
    if (strcmp(cmd, "watch") == 0)
        return watch_main(&a->wb, a->cache, argc, argv, a->color);
    if (strcmp(cmd, "next") == 0)
        return standing_next_command(&a->wb, a->cache, argc, argv, a->color);
    if (strcmp(cmd, "compile-commands") == 0)
        return compile_commands_main(&a->wb, argc, argv);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(a, argc, argv);
    if (strcmp(cmd, "hint") == 0)
        return cmd_hint(a, argc, argv);
    if (strcmp(cmd, "grade") == 0)
        return cmd_grade(a, argc, argv);
    if (strcmp(cmd, "verify") == 0) {
        for (int i = 0; i < argc; i++)
            if (find_or_complain(a, argv[i]) == NULL)
                return EXIT_USAGE;
        return verify_exercises(&a->wb, (const char *const *)argv, argc,
                                a->color);
    }
    if (strcmp(cmd, "pin") == 0)
        return pin_command(a->wb.root, argc, argv);
    if (strcmp(cmd, "reset") == 0)
        return reset_command(&a->wb, argc, argv);
    if (strcmp(cmd, "export") == 0)
        return export_command(&a->wb, argc, argv);
    return usage_error("unknown command \"%s\"", cmd);
}

int main(int argc, char **argv)
{
    const char *root = ".";
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "--root") == 0) {
        root = argv[i + 1];
        i += 2;
    }
    if (i >= argc || strcmp(argv[i], "help") == 0 ||
        strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
        fputs(USAGE, i >= argc ? stderr : stdout);
        return i >= argc ? EXIT_USAGE : EXIT_ALL_PASSED;
    }
    if (strcmp(argv[i], "version") == 0 || strcmp(argv[i], "--version") == 0) {
        printf("grader %s (results schema %s)\n", GRADER_VERSION,
               RESULTS_SCHEMA);
        return EXIT_ALL_PASSED;
    }
    if (strcmp(argv[i], "report") == 0)
        return report_main(argc - i - 1, argv + i + 1);
    if (strcmp(argv[i], "leaderboard") == 0)
        return leaderboard_main(argc - i - 1, argv + i + 1);
    static const char *const known[] = {
        "list", "check", "hint",  "grade",  "verify",           "watch",
        "next", "pin",   "reset", "export", "compile-commands", NULL};
    int ok = 0;
    for (const char *const *k = known; *k; k++)
        ok |= strcmp(argv[i], *k) == 0;
    if (!ok)
        return usage_error("unknown command \"%s\"", argv[i]);

    app a = {.color = table_use_color()};
    strbuf err = {0};
    if (sandbox_init(&err) != 0) {
        fprintf(stderr, "grader: %s\n", sb_str(&err));
        sb_free(&err);
        return EXIT_INTERNAL;
    }
    /* Commands that grade read the manifest from the pristine source
     * (integrity.h): the working tree's may be broken or edited. */
    int graded = strcmp(argv[i], "list") == 0 ||
                 strcmp(argv[i], "check") == 0 ||
                 strcmp(argv[i], "hint") == 0 || strcmp(argv[i], "grade") == 0;
    int rc = graded ? workbook_open_lenient(root, &a.wb, &a.manifest_err, &err)
                    : workbook_open(root, &a.wb, &err);
    if (rc != 0) {
        fprintf(stderr, "grader: %s\n", sb_str(&err));
        sb_free(&err);
        return rc == 2 ? EXIT_USAGE : EXIT_INTERNAL;
    }
    sb_free(&err);
    a.cache = result_cache_open(&a.wb);
    rc = run_command(&a, argv[i], argc - i - 1, argv + i + 1);
    result_cache_close(a.cache);
    integrity_free(a.ig);
    sb_free(&a.manifest_err);
    workbook_close(&a.wb);
    return rc;
}
