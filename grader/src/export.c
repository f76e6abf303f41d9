/* export.c: `grader report --format FMT [--out FILE] RESULTS.json` and what
 * every exporter shares: loading and checking the results document. */
#include "export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "report_json.h"

const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

const cJSON *jarr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsArray(v) ? v : NULL;
}

/* Scores are finite and not negative (the schema's "minimum": 0). */
static int is_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
           v->valuedouble >= 0 && v->valuedouble < 1e12;
}

static int is_str(const cJSON *o, const char *key)
{
    return cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* Only what the exporters and the leaderboard rely on is checked; extra
 * members (provenance, integrity, ...) are welcome. */
static int check_doc(const cJSON *doc, strbuf *err)
{
    if (!cJSON_IsObject(doc)) {
        sb_puts(err, "not a JSON object");
        return -1;
    }
    if (strcmp(jstr(doc, "schema"), RESULTS_SCHEMA) != 0) {
        sb_printf(err, "schema is not \"%s\"", RESULTS_SCHEMA);
        return -1;
    }
    if (!is_num(doc, "score") || !is_num(doc, "max_score") ||
        jarr(doc, "exercises") == NULL) {
        sb_puts(err, "score, max_score (numbers from 0) or exercises "
                     "missing");
        return -1;
    }
    const cJSON *ex;
    int i = 0;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        if (!is_str(ex, "id") || !is_num(ex, "score") ||
            !is_num(ex, "max_score") || !is_str(ex, "verdict") ||
            jarr(ex, "tests") == NULL) {
            sb_printf(err,
                      "exercises[%d] lacks id, verdict, score, "
                      "max_score or tests",
                      i);
            return -1;
        }
        const cJSON *t;
        cJSON_ArrayForEach(t, jarr(ex, "tests"))
        {
            if (!is_str(t, "name") || !is_str(t, "verdict") ||
                !is_num(t, "score") || !is_num(t, "max_score")) {
                sb_printf(err,
                          "a test of exercises[%d] lacks name, verdict, "
                          "score or max_score",
                          i);
                return -1;
            }
        }
        i++;
    }
    return 0;
}

int results_parse(const char *text, size_t len, cJSON **doc, strbuf *err)
{
    *doc = cJSON_ParseWithLength(text, len);
    if (*doc == NULL) {
        size_t at = (size_t)(cJSON_GetErrorPtr() - text);
        sb_printf(err, "not valid JSON (near byte %zu)", at <= len ? at : 0);
        return -1;
    }
    if (check_doc(*doc, err) != 0) {
        cJSON_Delete(*doc);
        *doc = NULL;
        return -1;
    }
    return 0;
}

int results_load(const char *path, cJSON **doc, strbuf *err)
{
    char *text = NULL;
    size_t len = 0;
    *doc = NULL;
    if (file_read(path, &text, &len, (size_t)64 << 20) != 0) {
        sb_printf(err, "cannot read: %s", strerror(errno));
        return -1;
    }
    int rc = results_parse(text, len, doc, err);
    free(text);
    return rc;
}

int metric_is_headline(const char *name)
{
    static const char *const headline[] = {
        "gflops", "fast_tok_per_s",    "tok_per_s",
        "tok_s",  "ratio_vs_openblas", "speedup_vs_naive",
        NULL};
    for (const char *const *h = headline; *h; h++)
        if (strcmp(name, *h) == 0)
            return 1;
    return 0;
}

char *test_feedback(const cJSON *t)
{
    strbuf sb = {0};
    const char *msg = jstr(t, "message"), *out = jstr(t, "output");
    sb_puts(&sb, msg);
    if (*out) {
        if (*msg)
            sb_puts(&sb, "\n");
        sb_puts(&sb, out);
    }
    if (sb.data == NULL)
        sb_puts(&sb, "");
    return sb_steal(&sb);
}

char *export_json(const cJSON *doc)
{
    char *s = cJSON_Print(doc);
    if (s == NULL)
        exit(3);
    strbuf sb = {0};
    sb_puts(&sb, s);
    sb_puts(&sb, "\n");
    free(s);
    return sb_steal(&sb);
}

/* The manifest only names the files annotations point at: optional. */
static cJSON *manifest_cache;
static const cJSON *load_manifest(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    if (manifest_cache == NULL &&
        file_read(path, &text, &len, (size_t)16 << 20) == 0)
        manifest_cache = cJSON_ParseWithLength(text, len);
    free(text);
    return manifest_cache;
}

static const char EXPORT_USAGE[] =
    "usage: grader report --format FMT [--out FILE] [opencamp options] "
    "RESULTS.json\n"
    "  FMT: json gradescope classroom junit opencamp annotations summary\n"
    "  opencamp options: --name LOGIN --course-id N [--channel C] "
    "[--ext TEXT]\n"
    "  annotations: [--manifest PATH] (default exercises/manifest.json)\n";

static int usage(const char *what, const char *arg)
{
    fprintf(stderr, "grader report: %s%s\n%s", what, arg, EXPORT_USAGE);
    return 2;
}

int report_main(int argc, char **argv)
{
    const char *format = NULL, *out = NULL, *in = NULL;
    const char *manifest_path = "exercises/manifest.json";
    opencamp_opts oc = {0};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--format") == 0      ? &format
                            : strcmp(a, "--out") == 0       ? &out
                            : strcmp(a, "--name") == 0      ? &oc.name
                            : strcmp(a, "--channel") == 0   ? &oc.channel
                            : strcmp(a, "--course-id") == 0 ? &oc.course_id
                            : strcmp(a, "--ext") == 0       ? &oc.ext
                            : strcmp(a, "--manifest") == 0  ? &manifest_path
                                                            : NULL;
        if (slot != NULL) {
            if (i + 1 >= argc)
                return usage("missing value after ", a);
            *slot = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage("unknown option ", a);
        } else if (in == NULL) {
            in = a;
        } else {
            return usage("one results file only, got also ", a);
        }
    }
    if (format == NULL || in == NULL)
        return usage("need --format and a results file", "");
    if (strcmp(format, "opencamp") == 0 && (oc.name == NULL || !*oc.name))
        return usage("opencamp needs --name", "");

    cJSON *doc;
    strbuf err = {0};
    if (results_load(in, &doc, &err) != 0) {
        fprintf(stderr, "grader report: %s: %s\n", in, sb_str(&err));
        sb_free(&err);
        return 2;
    }
    long long course;
    if (strcmp(format, "opencamp") == 0 &&
        opencamp_course_id(doc, &oc, &course) != 0) {
        fprintf(
            stderr,
            "grader report: opencamp needs the course's number: "
            "--course-id N (the course id \"%s\" is not a number)\n",
            oc.course_id
                ? oc.course_id
                : jstr(cJSON_GetObjectItemCaseSensitive(doc, "course"), "id"));
        cJSON_Delete(doc);
        return 2;
    }
    if (strcmp(format, "annotations") == 0 &&
        load_manifest(manifest_path) == NULL)
        fprintf(stderr,
                "grader report: no manifest at %s: an annotation without a "
                "file and line of its own goes on the exercise's README.md "
                "(--manifest PATH names the workbook's)\n",
                manifest_path);
    char *text = strcmp(format, "json") == 0         ? export_json(doc)
                 : strcmp(format, "gradescope") == 0 ? export_gradescope(doc)
                 : strcmp(format, "classroom") == 0  ? export_classroom(doc)
                 : strcmp(format, "junit") == 0      ? export_junit(doc)
                 : strcmp(format, "opencamp") == 0   ? export_opencamp(doc, &oc)
                 : strcmp(format, "annotations") == 0
                     ? export_annotations(doc, load_manifest(manifest_path))
                 : strcmp(format, "summary") == 0 ? export_summary(doc)
                                                  : NULL;
    cJSON_Delete(doc);
    cJSON_Delete(manifest_cache);
    manifest_cache = NULL;
    if (text == NULL)
        return usage("unknown format ", format);
    int rc = 0;
    if (out == NULL) {
        fputs(text, stdout);
    } else if (file_write_atomic(out, text, strlen(text)) != 0) {
        fprintf(stderr, "grader report: cannot write %s: %s\n", out,
                strerror(errno));
        rc = 3;
    }
    free(text);
    return rc;
}
