/* leaderboard_text.c: the ranked board as JSON (leaderboard.json, schema
 * llmlings-leaderboard/2, also what the next run carries first-reached
 * times forward from) and as Markdown (the workflow's job summary). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/i18n.h"
#include "base/strbuf.h"
#include "report/leaderboard.h"
#include "report/results_doc.h"

static double r3(double x)
{
    return round(x * 1000.0) / 1000.0;
}

static void add_integrity(cJSON *o, const lb_student *s)
{
    cJSON *ig = cJSON_AddObjectToObject(o, "integrity");
    if (s->integrity_ok < 0)
        cJSON_AddNullToObject(ig, "ok");
    else
        cJSON_AddBoolToObject(ig, "ok", s->integrity_ok);
    cJSON_AddNumberToObject(ig, "files", s->integrity_files);
    cJSON_AddStringToObject(ig, "message", s->integrity_message);
}

static cJSON *student_json(const lb_student *s)
{
    cJSON *o = cJSON_CreateObject();
    if (s->graded)
        cJSON_AddNumberToObject(o, "rank", s->rank);
    else
        cJSON_AddNullToObject(o, "rank");
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "status", s->graded ? "graded" : "not_graded");
    cJSON_AddStringToObject(o, "repository", s->repository);
    cJSON_AddStringToObject(o, "file", s->file);
    if (!s->graded) {
        cJSON_AddStringToObject(o, "reason", s->reason);
        cJSON_AddStringToObject(o, "detail", s->detail);
        return o;
    }
    cJSON_AddNumberToObject(o, "score", r3(s->score));
    cJSON_AddNumberToObject(o, "max_score", r3(s->max_score));
    cJSON_AddStringToObject(o, "reached_at", s->reached);
    cJSON_AddStringToObject(o, "reached_source",
                            s->reached_before ? "previous board" : "this run");
    cJSON_AddStringToObject(o, "commit", s->commit);
    cJSON_AddStringToObject(o, "commit_time", s->commit_time);
    cJSON_AddNumberToObject(o, "build_errors", s->build_errors);
    cJSON_AddNumberToObject(o, "tampered", s->tampered);
    add_integrity(o, s);
    cJSON *ex = cJSON_AddObjectToObject(o, "exercises");
    /* names and keys are unique (leaderboard.h) */
    for (size_t e = 0; e < s->nex; e++)
        cJSON_AddNumberToObject(ex, s->ex[e].name, r3(s->ex[e].score));
    cJSON *m = cJSON_AddObjectToObject(o, "metrics");
    for (size_t k = 0; k < s->nmetrics; k++)
        cJSON_AddNumberToObject(m, s->metrics[k].key, r3(s->metrics[k].value));
    return o;
}

char *lb_json(const leaderboard *lb)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", LEADERBOARD_SCHEMA);
    cJSON *c = cJSON_AddObjectToObject(root, "course");
    cJSON_AddStringToObject(c, "id", lb->course_id ? lb->course_id : "");
    cJSON_AddStringToObject(c, "title",
                            lb->course_title ? lb->course_title : "");
    cJSON_AddStringToObject(
        root, "ranking",
        "graded students by score, then by when the organizer first saw "
        "that score (reached_at); commit_time is the student's clock, shown "
        "only; students not graded last");
    if (lb->prev_note)
        cJSON_AddStringToObject(root, "previous", lb->prev_note);
    cJSON *list = cJSON_AddArrayToObject(root, "students");
    for (size_t i = 0; i < lb->n; i++)
        cJSON_AddItemToArray(list, student_json(&lb->s[i]));
    cJSON *sk = cJSON_AddArrayToObject(root, "skipped");
    for (size_t i = 0; i < lb->nskipped; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", lb->skipped[i].file);
        cJSON_AddStringToObject(o, "reason", lb->skipped[i].reason);
        cJSON_AddItemToArray(sk, o);
    }
    char *text = json_text(root);
    cJSON_Delete(root);
    return text;
}

/* ---- Markdown ------------------------------------------------------------ */

static void md(strbuf *sb, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (strchr("|\\`*_[]<>#!~@&", *p))
            sb_printf(sb, "&#%d;", (unsigned char)*p);
        else if (*p == '\n' || *p == '\t')
            sb_puts(sb, " ");
        else
            sb_append(sb, p, 1);
    }
}

/* What needs the organizer's eye besides the score. */
static void md_findings(strbuf *sb, const lb_student *s)
{
    const char *sep = "";
    if (s->build_errors) {
        sb_printf(sb, _("%d build error%s"), s->build_errors,
                  s->build_errors == 1 ? "" : "s");
        sep = "; ";
    }
    if (s->tampered) {
        sb_printf(sb, _("%s%d tampered"), sep, s->tampered);
        sep = "; ";
    }
    if (s->integrity_ok == 0)
        sb_printf(sb, _("%sintegrity: %d file%s"), sep, s->integrity_files,
                  s->integrity_files == 1 ? _(" differs") : _("s differ"));
}

char *lb_markdown(const leaderboard *lb)
{
    strbuf sb = {0};
    size_t graded = lb_count_graded(lb);
    sb_puts(&sb, _("# Leaderboard: "));
    md(&sb, lb->course_title ? lb->course_title : "");
    sb_printf(&sb, _("\n\n%zu students: %zu graded, %zu not graded"), lb->n,
              graded, lb->n - graded);
    if (lb->nskipped)
        sb_printf(&sb, _(", %zu result files skipped"), lb->nskipped);
    sb_puts(&sb, _(". Ranked by score, then by when the organizer first saw "
                   "it; the commit date is the student's clock, shown only."
                   "\n\n| rank | student | score | % | reached (organizer) | "
                   "commit date (student) | to look at |\n"
                   "|---:|---|---:|---:|---|---|---|\n"));
    for (size_t i = 0; i < lb->n; i++) {
        const lb_student *s = &lb->s[i];
        if (!s->graded) {
            sb_puts(&sb, "| – | ");
            md(&sb, s->name);
            sb_puts(&sb, _(" | not graded | | | | **"));
            md(&sb, s->reason);
            sb_puts(&sb, "**");
            if (*s->detail) {
                sb_puts(&sb, ": ");
                md(&sb, s->detail);
            }
            sb_puts(&sb, " |\n");
            continue;
        }
        sb_printf(&sb, "| %d | ", s->rank);
        md(&sb, s->name);
        sb_printf(
            &sb, " | %g / %g | %.1f | %s | ", r3(s->score), r3(s->max_score),
            s->max_score > 0 ? 100 * s->score / s->max_score : 0.0, s->reached);
        md(&sb, s->commit_time);
        sb_puts(&sb, " | ");
        md_findings(&sb, s);
        sb_puts(&sb, " |\n");
    }
    if (lb->nskipped) {
        sb_puts(&sb, _("\n## Skipped result files\n\n"));
        for (size_t i = 0; i < lb->nskipped; i++) {
            sb_puts(&sb, "- ");
            md(&sb, lb->skipped[i].file);
            sb_puts(&sb, ": ");
            md(&sb, lb->skipped[i].reason);
            sb_puts(&sb, "\n");
        }
    }
    return sb_steal(&sb);
}
