/* cmd_results.c: the commands that read results files and need no
 * workbook: `grader report` (one results document in another format,
 * formats.h) and `grader leaderboard` (many, ranked: leaderboard.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/exit_codes.h"
#include "base/files.h"
#include "base/i18n.h"
#include "base/utf8.h"
#include "cli/commands.h"
#include "report/formats.h"
#include "report/leaderboard.h"

typedef struct {
    const char *format, *out, *in, *manifest;
    opencamp_opts oc;
} report_args;

/* The option that takes a value, and where that value goes; NULL when s
 * is none. */
static const char **option_slot(report_args *r, const char *s)
{
    const struct {
        const char *flag;
        const char **slot;
    } options[] = {
        {"--format", &r->format},          {"--out", &r->out},
        {"--name", &r->oc.name},           {"--channel", &r->oc.channel},
        {"--course-id", &r->oc.course_id}, {"--ext", &r->oc.ext},
        {"--manifest", &r->manifest},
    };
    for (size_t i = 0; i < sizeof options / sizeof *options; i++)
        if (strcmp(s, options[i].flag) == 0)
            return options[i].slot;
    return NULL;
}

static int parse_report_args(const app *a, int argc, char **argv,
                             report_args *r)
{
    *r = (report_args){.manifest = MANIFEST_PATH};
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        const char **slot = option_slot(r, s);
        if (slot != NULL && i + 1 >= argc)
            return usage_error(a, "missing value after %s", s);
        if (slot != NULL)
            *slot = argv[++i];
        else if (s[0] == '-' && s[1] != '\0')
            return usage_error(a, "unknown option %s", s);
        else if (r->in == NULL)
            r->in = s;
        else
            return usage_error(a, "one results file only, got also %s", s);
    }
    if (r->format == NULL || r->in == NULL)
        return usage_error(a, "need --format and a results file");
    if (strcmp(r->format, "opencamp") == 0 &&
        (r->oc.name == NULL || !*r->oc.name))
        return usage_error(a, "opencamp needs --name");
    return 0;
}

/* The manifest names the files annotations point at: optional, and read
 * without looking at files (the results may come from elsewhere). */
static int load_manifest(const char *path, manifest *m)
{
    char *text = NULL;
    strbuf err = {0};
    int ok = file_read(path, &text, NULL, (size_t)16 << 20) == 0 &&
             manifest_parse(text, NULL, m, &err) == 0;
    free(text);
    sb_free(&err);
    return ok;
}

/* The document in format f, or NULL for a format there is none of. */
static char *convert(const report_args *r, const cJSON *doc)
{
    const char *f = r->format;
    if (strcmp(f, "json") == 0) {
        cJSON *copy = cJSON_Duplicate(doc, 1);
        char *text = json_text(copy);
        cJSON_Delete(copy);
        return text;
    }
    if (strcmp(f, "gradescope") == 0)
        return format_gradescope(doc);
    if (strcmp(f, "classroom") == 0)
        return format_classroom(doc);
    if (strcmp(f, "junit") == 0)
        return format_junit(doc);
    if (strcmp(f, "opencamp") == 0)
        return format_opencamp(doc, &r->oc);
    if (strcmp(f, "summary") == 0)
        return format_summary(doc);
    if (strcmp(f, "annotations") != 0)
        return NULL;
    manifest m;
    int have = load_manifest(r->manifest, &m);
    if (!have)
        fprintf(stderr,
                _("grader report: no manifest at %s: an annotation without a "
                  "file and line of its own goes on the exercise's README.md "
                  "(--manifest PATH names the workbook's)\n"),
                r->manifest);
    char *text = format_annotations(doc, have ? &m : NULL);
    if (have)
        manifest_free(&m);
    return text;
}

int cmd_report(app *a, int argc, char **argv)
{
    report_args r;
    int rc = parse_report_args(a, argc, argv, &r);
    if (rc != 0)
        return rc;
    cJSON *doc;
    strbuf err = {0};
    if (results_load(r.in, &doc, &err) != 0) {
        char *in = utf8_visible(r.in, 200);
        fprintf(stderr, _("grader report: %s: %s\n"), in, sb_str(&err));
        free(in);
        sb_free(&err);
        return EXIT_USAGE;
    }
    long long course;
    if (strcmp(r.format, "opencamp") == 0 &&
        opencamp_course_id(doc, &r.oc, &course) != 0) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(doc, "course");
        char *id =
            utf8_visible(r.oc.course_id ? r.oc.course_id : jstr(c, "id"), 80);
        fprintf(stderr,
                _("grader report: opencamp needs the course's number: "
                  "--course-id N (the course id \"%s\" is not a number)\n"),
                id);
        free(id);
        cJSON_Delete(doc);
        return EXIT_USAGE;
    }
    char *text = convert(&r, doc);
    cJSON_Delete(doc);
    if (text == NULL)
        return usage_error(a, "unknown format %s", r.format);
    if (r.out == NULL) {
        fputs(text, stdout);
    } else if (file_write_atomic(r.out, text, strlen(text)) != 0) {
        fprintf(stderr, _("grader report: cannot write %s: %s\n"), r.out,
                strerror(errno));
        rc = EXIT_INTERNAL;
    }
    free(text);
    return rc;
}

typedef struct {
    const char *out, *title, *previous, *now;
    strlist paths;
} leaderboard_args;

/* The option that takes a value, and where that value goes; NULL when s
 * is none. */
static const char **lb_option_slot(leaderboard_args *l, const char *s)
{
    const struct {
        const char *flag;
        const char **slot;
    } options[] = {
        {"--out", &l->out},
        {"--title", &l->title},
        {"--previous", &l->previous},
        {"--now", &l->now},
    };
    for (size_t i = 0; i < sizeof options / sizeof *options; i++)
        if (strcmp(s, options[i].flag) == 0)
            return options[i].slot;
    return NULL;
}

static int parse_leaderboard_args(const app *a, int argc, char **argv,
                                  leaderboard_args *l)
{
    *l = (leaderboard_args){.out = "leaderboard"};
    for (int i = 0; i < argc; i++) {
        const char **slot = lb_option_slot(l, argv[i]);
        if (slot != NULL && i + 1 < argc)
            *slot = argv[++i];
        else if (argv[i][0] == '-')
            return usage_error(a, "unknown option %s", argv[i]);
        else
            strlist_push(&l->paths, argv[i]);
    }
    if (l->paths.n == 0)
        return usage_error(a, "no results files or folders given");
    return 0;
}

/* The board's clock and the previous board: 0, or EXIT_USAGE after
 * saying why. */
static int leaderboard_history(const leaderboard_args *l, leaderboard *lb)
{
    if (l->now != NULL && lb_parse_time(l->now, &lb->now) != 0) {
        fprintf(stderr,
                _("grader leaderboard: --now: expected a time like "
                  "2026-01-02T03:04:05Z, got \"%s\"\n"),
                l->now);
        return EXIT_USAGE;
    }
    if (l->previous != NULL && lb_load_previous_file(lb, l->previous) != 0)
        return EXIT_USAGE;
    return 0;
}

int cmd_leaderboard(app *a, int argc, char **argv)
{
    leaderboard_args l;
    leaderboard lb = {0};
    int rc = parse_leaderboard_args(a, argc, argv, &l);
    if (rc == 0)
        rc = leaderboard_history(&l, &lb);
    if (rc != 0) {
        strlist_free(&l.paths);
        lb_free(&lb);
        return rc;
    }
    for (size_t i = 0; i < l.paths.n; i++)
        lb_add_path(&lb, l.paths.v[i]);
    strlist_free(&l.paths);
    lb_rank(&lb);
    for (size_t i = 0; i < lb.nskipped; i++)
        fprintf(stderr, _("grader leaderboard: skipped %s: %s\n"),
                lb.skipped[i].file, lb.skipped[i].reason);
    rc = EXIT_ALL_PASSED;
    if (lb_write(&lb, l.out, l.title) != 0) {
        rc = EXIT_INTERNAL;
    } else {
        size_t graded = lb_count_graded(&lb);
        printf(_("%zu students: %zu graded, %zu not graded; %zu result files "
                 "skipped; wrote %s/index.html, leaderboard.json, "
                 "leaderboard.md\n"),
               lb.n, graded, lb.n - graded, lb.nskipped, l.out);
    }
    lb_free(&lb);
    return rc;
}
