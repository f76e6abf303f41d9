/* format_junit.c: JUnit XML in the shape common CI test reporters read
 * (the Ant/Surefire "testsuites > testsuite > testcase" layout that
 * GitLab, Jenkins, dorny/test-reporter and mikepenz/action-junit-report
 * parse): one testsuite per exercise, one testcase per test, <failure>
 * for a wrong answer, <error> for a crash, timeout or build error,
 * <skipped> for missing hardware, <system-out> for what it printed. Each
 * testcase carries its score and max_score as properties, in thousandths
 * that add up exactly to its suite's (shares.c); an exercise that
 * lists no test gets one stand-in testcase carrying its maximum. */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/strbuf.h"
#include "report/formats.h"
#include "report/markup.h"

/* Attribute values keep no newlines: reporters show them on one line. */
static void xml_attr(strbuf *sb, const char *s)
{
    char *one = xstrdup(s);
    for (char *p = one; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    markup_escape(sb, one);
    free(one);
}

typedef struct {
    int tests, failures, errors, skipped;
    double time;
} counts;

static const char *kind_of(const char *verdict)
{
    if (strcmp(verdict, "passed") == 0)
        return NULL;
    if (strcmp(verdict, "failed") == 0)
        return "failure";
    if (strcmp(verdict, "skipped") == 0)
        return "skipped";
    return "error"; /* crashed, timeout, memory_limit, not_run */
}

static void count(counts *c, const char *kind, double t)
{
    c->tests++;
    c->time += t;
    if (kind == NULL)
        return;
    if (strcmp(kind, "failure") == 0)
        c->failures++;
    else if (strcmp(kind, "error") == 0)
        c->errors++;
    else
        c->skipped++;
}

static void score_properties(strbuf *sb, const char *indent, long score,
                             long max)
{
    sb_printf(sb,
              "%s<properties>\n"
              "%s  <property name=\"score\" value=\"%g\"/>\n"
              "%s  <property name=\"max_score\" value=\"%g\"/>\n"
              "%s</properties>\n",
              indent, indent, (double)score / 1000.0, indent,
              (double)max / 1000.0, indent);
}

/* One testcase; t NULL stands for an exercise that lists no test. */
static void testcase(strbuf *sb, const cJSON *ex, const cJSON *t, long score,
                     long max)
{
    const char *verdict = t ? jstr(t, "verdict") : "not_run";
    const char *kind = kind_of(verdict);
    sb_puts(sb, "    <testcase classname=\"");
    xml_attr(sb, jstr(ex, "id"));
    sb_puts(sb, "\" name=\"");
    xml_attr(sb, t ? jstr(t, "name") : "(no test ran)");
    sb_printf(sb, "\" time=\"%.3f\">\n", t ? jnum(t, "wall_s") : 0.0);
    score_properties(sb, "      ", score, max);
    if (kind != NULL) {
        const char *msg = t ? jstr(t, "message") : "";
        if (strcmp(verdict, "not_run") == 0 && !*msg)
            msg = jstr(ex, "message");
        sb_printf(sb, "      <%s message=\"", kind);
        xml_attr(sb, *msg ? msg : verdict);
        sb_puts(sb, "\" type=\"");
        xml_attr(sb, verdict);
        sb_puts(sb, "\">");
        markup_escape(sb, msg);
        if (strcmp(verdict, "not_run") == 0 && *jstr(ex, "build_log")) {
            sb_puts(sb, "\n");
            markup_escape(sb, jstr(ex, "build_log"));
        }
        sb_printf(sb, "</%s>\n", kind);
    }
    if (t && *jstr(t, "output")) {
        sb_puts(sb, "      <system-out>");
        markup_escape(sb, jstr(t, "output"));
        sb_puts(sb, "</system-out>\n");
    }
    sb_puts(sb, "    </testcase>\n");
}

static void suite_open(strbuf *sb, const char *name, const counts *c)
{
    xml_attr(sb, name);
    sb_printf(sb,
              "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" "
              "time=\"%.3f\"",
              c->tests, c->failures, c->errors, c->skipped, c->time);
}

char *format_junit(const cJSON *doc)
{
    counts all = {0};
    strbuf body = {0};
    const cJSON *ex, *t;
    cJSON_ArrayForEach(ex, jarr(doc, "exercises"))
    {
        counts c = {0};
        test_shares sh;
        test_shares_compute(ex, &sh);
        cJSON_ArrayForEach(t, jarr(ex, "tests"))
        {
            count(&c, kind_of(jstr(t, "verdict")), jnum(t, "wall_s"));
            count(&all, kind_of(jstr(t, "verdict")), jnum(t, "wall_s"));
        }
        if (sh.n == 0) {
            count(&c, kind_of("not_run"), 0);
            count(&all, kind_of("not_run"), 0);
        }
        sb_puts(&body, "  <testsuite name=\"");
        suite_open(&body, jstr(ex, "id"), &c);
        sb_puts(&body, ">\n    <properties>\n");
        sb_puts(&body, "      <property name=\"verdict\" value=\"");
        xml_attr(&body, jstr(ex, "verdict"));
        sb_printf(&body,
                  "\"/>\n"
                  "      <property name=\"score\" value=\"%g\"/>\n"
                  "      <property name=\"max_score\" value=\"%g\"/>\n"
                  "    </properties>\n",
                  (double)sh.total_score / 1000.0,
                  (double)sh.total_max / 1000.0);
        size_t i = 0;
        cJSON_ArrayForEach(t, jarr(ex, "tests"))
        {
            testcase(&body, ex, t, sh.score[i], sh.max[i]);
            i++;
        }
        if (sh.n == 0)
            testcase(&body, ex, NULL, sh.total_score, sh.total_max);
        sb_puts(&body, "  </testsuite>\n");
        test_shares_free(&sh);
    }
    strbuf sb = {0};
    sb_puts(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
                 "name=\"");
    const cJSON *course = cJSON_GetObjectItemCaseSensitive(doc, "course");
    suite_open(&sb, jstr(course, "id"), &all);
    sb_puts(&sb, ">\n");
    sb_puts(&sb, sb_str(&body));
    sb_puts(&sb, "</testsuites>\n");
    sb_free(&body);
    return sb_steal(&sb);
}
