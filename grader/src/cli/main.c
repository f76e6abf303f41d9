/* main.c: the grader's command line: one table of commands (name, what it
 * needs, its usage line, what it does, its handler), and the dispatch. The
 * handlers live in the cmd_*.c files (commands.h); the work happens below
 * them (grade/grading.h, report/...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/exit_codes.h"
#include "base/i18n.h"
#include "base/term.h"
#include "base/utf8.h"
#include "cli/app.h"
#include "cli/commands.h"
#include "report/results_doc.h"
#include "run/worker_pool.h"
#include "sandbox/sandbox.h"

typedef enum {
    NEEDS_NOTHING,  /* reads its own files (results, leaderboards) */
    NEEDS_WORKBOOK, /* the workbook, whose manifest must load */
    NEEDS_GRADED,   /* the workbook, graded from pristine files: its own
                       manifest may be broken (integrity.h) */
} command_needs;

typedef struct {
    const char *name;
    const char *args;  /* after the name, for the usage line */
    const char *what;  /* one line */
    const char *group; /* heading of the list in `grader help` */
    command_needs needs;
    int (*run)(app *a, int argc, char **argv);
} command;

static const char STUDENT[] = N_("student commands");
static const char RESULTS[] = N_("results (no workbook needed)");
static const char INSTRUCTOR[] = N_("instructor commands");

static const command COMMANDS[] = {
    {"watch", "[EX] [--poll SECONDS]",
     N_("re-check the current exercise on every save"), STUDENT, NEEDS_WORKBOOK,
     cmd_watch},
    {"list", "", N_("every exercise with its status"), STUDENT, NEEDS_GRADED,
     cmd_list},
    {"next", "[--skip]", N_("move on to the next unfinished exercise"), STUDENT,
     NEEDS_WORKBOOK, cmd_next},
    {"check", "[EX]",
     N_("build and test one exercise (default: the first unfinished one)"),
     STUDENT, NEEDS_GRADED, cmd_check},
    {"hint", "EX [--all]", N_("the next hint of an exercise (or all of them)"),
     STUDENT, NEEDS_GRADED, cmd_hint},
    {"grade",
     "[--json FILE] [--no-cache] [--repo PATH] [--rev REV] [--judge | "
     "--no-judge] [--seed HEX]",
     N_("grade everything; FILE gets the results JSON; --rev grades a commit "
        "(of PATH) without checking it out; --judge: the organizer's trusted "
        "grading (the default for --rev with solutions-private/)"),
     STUDENT, NEEDS_GRADED, cmd_grade},
    {"reset", "EX [--yes]", N_("restore an exercise's files to the starter"),
     STUDENT, NEEDS_WORKBOOK, cmd_reset},
    {"compile-commands", "[--quiet]",
     N_("write compile_commands.json for clangd"), STUDENT, NEEDS_WORKBOOK,
     cmd_compile_commands},
    {"report",
     "--format FMT [--out FILE] [--name LOGIN] [--channel C] "
     "[--course-id N] [--ext TEXT] [--manifest PATH] RESULTS.json",
     N_("a results file as json, gradescope, classroom, junit, opencamp, "
        "annotations or summary (see grader/README.md)"),
     RESULTS, NEEDS_NOTHING, cmd_report},
    {"leaderboard",
     "[--out DIR] [--title TEXT] [--previous OLD/leaderboard.json] "
     "[--now ISO_TIME] FILES_OR_DIRS...",
     N_("rank many results (and students not graded): JSON, Markdown, HTML "
        "page"),
     RESULTS, NEEDS_NOTHING, cmd_leaderboard},
    {"verify", "[--judge] [--no-mutants] [EX...]",
     N_("prove every starter fails every test, every reference solution "
        "scores full points, every instructor mutant fails a test and every "
        "variant passes (--judge: in judge mode too)"),
     INSTRUCTOR, NEEDS_WORKBOOK, cmd_verify},
    {"pin", "[--check]", N_("record (check) the pristine protected files"),
     INSTRUCTOR, NEEDS_WORKBOOK, cmd_pin},
    {"export", "DIR", N_("write the student repository (no solutions)"),
     INSTRUCTOR, NEEDS_WORKBOOK, cmd_export},
};
enum { NCOMMANDS = sizeof COMMANDS / sizeof *COMMANDS };

static const char EXIT_CODES_LINE[] =
    N_("exit codes: 0 all passed, 1 some not passed, 2 usage or manifest\n"
       "error, 3 internal error\n");

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(COMMANDS[i].name, name) == 0)
            return &COMMANDS[i];
    return NULL;
}

static char *usage_line(const command *c)
{
    return xasprintf("grader %s%s%s", c->name, c->args[0] ? " " : "", c->args);
}

enum { USAGE_WIDTH = 79, WHAT_COLUMN = 23, CJK_BLANK_REACH = 12 };

/* Where to break p to fit room columns: before an option ("... [--x]")
 * when there is one, else at the last blank; between two characters of
 * Chinese text (which has no blanks); the whole word when none. */
static size_t break_at(const char *p, size_t room)
{
    if ((size_t)i18n_columns(p) <= room)
        return strlen(p);
    const size_t fit = (size_t)i18n_fit_bytes(p, (int)room);
    for (size_t n = fit; n > 0; n--)
        if (p[n] == ' ' && p[n + 1] == '[')
            return n;
    /* In Chinese text a line may end between any two characters: a blank
     * far back (before "--rev" in the middle of a sentence) would leave a
     * short line, so only a blank near the end is preferred. */
    const int cjk = fit > 0 && ((unsigned char)p[fit] >= 0xC0 ||
                                (unsigned char)p[fit - 1] >= 0x80);
    const size_t nearest =
        cjk && fit > CJK_BLANK_REACH ? fit - CJK_BLANK_REACH : 0;
    for (size_t n = fit; n > nearest; n--)
        if (p[n] == ' ')
            return n;
    if (cjk)
        return fit;
    return strcspn(p, " ");
}

/* Prints text from column `col` on, wrapped to the usage width,
 * continuation lines starting at column `indent`. */
static void print_wrapped(FILE *f, const char *text, size_t col, size_t indent)
{
    const char *p = text;
    while (*p) {
        size_t n = break_at(p, USAGE_WIDTH > col ? USAGE_WIDTH - col : 1);
        fprintf(f, "%.*s\n", (int)n, p);
        p += n;
        while (*p == ' ')
            p++;
        if (*p)
            fprintf(f, "%*s", (int)indent, "");
        col = indent;
    }
}

/* `grader help`: every command, by group, with its usage and what it does
 * (on the same line when there is room, else on the next). */
static void print_usage(FILE *f)
{
    fprintf(f, "%s",
            _("usage: grader [--root DIR] [--lang en|zh-CN] COMMAND [ARGS]\n"
              "       grader COMMAND --help   (one command's usage)\n"));
    const char *group = NULL;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const command *c = &COMMANDS[i];
        if (group != c->group) {
            group = c->group;
            fprintf(f, "\n%s:\n", _(group));
        }
        char *head =
            xasprintf("%s%s%s", c->name, c->args[0] ? " " : "", c->args);
        fprintf(f, "  ");
        if (strlen(head) <= WHAT_COLUMN - 3) {
            fprintf(f, "%-*s", WHAT_COLUMN - 2, head);
        } else {
            print_wrapped(f, head, 2, 6);
            fprintf(f, "%*s", WHAT_COLUMN, "");
        }
        print_wrapped(f, _(c->what), WHAT_COLUMN, WHAT_COLUMN);
        free(head);
    }
    fprintf(f, "\n%s", _(EXIT_CODES_LINE));
}

static int wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    return 0;
}

/* "grader: <message>" on stderr, in the student's language. */
static void print_error(const char *message)
{
    char *m = i18n_message(message);
    fprintf(stderr, "grader: %s\n", m);
    free(m);
}

/* Loads each exercise's messages.zh-CN.po (Chinese mode): the texts of its
 * tests' failure messages. A broken catalog is reported, never fatal. */
static void load_exercise_messages(const app *a)
{
    if (i18n_current() != I18N_ZH_CN)
        return;
    const manifest *m = &a->s.wb.m;
    for (size_t i = 0; i < m->n; i++) {
        char *path = xasprintf("%s/exercises/%s/messages.zh-CN.po",
                               a->s.wb.root, m->ex[i].id);
        strbuf err = {0};
        if (i18n_add_messages(path, &err) != 0)
            fprintf(stderr, "grader: %s\n", sb_str(&err));
        sb_free(&err);
        free(path);
    }
}

/* The Chinese label and advice of every performance-graded test
 * (manifest "label_zh", "advice_zh"), for the tier messages composed in
 * English when the tests were scored (Chinese mode). */
static void load_perf_texts(const app *a)
{
    if (i18n_current() != I18N_ZH_CN)
        return;
    const manifest *m = &a->s.wb.m;
    i18n_catalog *c = i18n_catalog_new();
    for (size_t i = 0; i < m->n; i++)
        for (size_t k = 0; k < m->ex[i].nperf; k++) {
            const perf_spec *p = &m->ex[i].perf[k];
            if (p->label && p->label_zh)
                i18n_catalog_add_text(c, p->label, p->label_zh);
            if (p->advice && p->advice_zh)
                i18n_catalog_add_text(c, p->advice, p->advice_zh);
        }
    strbuf err = {0};
    if (i18n_add_catalog(c, &err) != 0)
        fprintf(stderr, "grader: %s\n", sb_str(&err));
    sb_free(&err);
}

/* Opens what c needs, runs it, closes it again. */
static int run_command(const command *c, app *a, int argc, char **argv)
{
    if (c->needs == NEEDS_NOTHING)
        return c->run(a, argc, argv);
    strbuf err = {0};
    if (sandbox_init(&err) != 0) {
        print_error(sb_str(&err));
        sb_free(&err);
        return EXIT_INTERNAL;
    }
    worker_pool_catch_interrupts();
    int rc = session_open(&a->s, a->root, c->needs == NEEDS_GRADED, &err);
    if (rc != 0) {
        print_error(sb_str(&err));
        sb_free(&err);
        session_close(&a->s);
        return rc == EXIT_USAGE ? EXIT_USAGE : EXIT_INTERNAL;
    }
    sb_free(&err);
    load_exercise_messages(a);
    load_perf_texts(a);
    a->cache = result_cache_open(&a->s.wb);
    rc = c->run(a, argc, argv);
    result_cache_close(a->cache);
    session_close(&a->s);
    return rc;
}

int main(int argc, char **argv)
{
    app a = {.root = ".", .color = term_color_fd(1)};
    int i = 1;
    const char *lang = NULL;
    for (;;) {
        if (i + 1 < argc && strcmp(argv[i], "--root") == 0)
            a.root = argv[i + 1];
        else if (i + 1 < argc && strcmp(argv[i], "--lang") == 0)
            lang = argv[i + 1];
        else
            break;
        i += 2;
    }
    if (i18n_init(lang) != 0) {
        fprintf(stderr, "grader: --lang wants en or zh-CN, got \"%s\"\n", lang);
        return EXIT_USAGE;
    }
    if (i >= argc || strcmp(argv[i], "help") == 0 ||
        strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
        print_usage(i >= argc ? stderr : stdout);
        return i >= argc ? EXIT_USAGE : EXIT_ALL_PASSED;
    }
    if (strcmp(argv[i], "version") == 0 || strcmp(argv[i], "--version") == 0) {
        printf("grader %s (results schema %s)\n", GRADER_VERSION,
               RESULTS_SCHEMA);
        return EXIT_ALL_PASSED;
    }
    const command *c = find_command(argv[i]);
    if (c == NULL) {
        char *shown = utf8_visible(argv[i], 80);
        fprintf(stderr, _("grader: unknown command \"%s\"\n\n"), shown);
        free(shown);
        print_usage(stderr);
        return EXIT_USAGE;
    }
    char *usage = usage_line(c);
    a.name = c->name;
    a.usage = usage;
    int rc;
    if (wants_help(argc - i - 1, argv + i + 1)) {
        printf("%s", _("usage: "));
        print_wrapped(stdout, usage, 7, 11);
        printf("  ");
        print_wrapped(stdout, _(c->what), 2, 2);
        rc = EXIT_ALL_PASSED;
    } else {
        rc = run_command(c, &a, argc - i - 1, argv + i + 1);
    }
    free(usage);
    i18n_shutdown();
    return rc;
}
