/* leaderboard_html.c: the leaderboard as one self-contained HTML page. The
 * page itself (CSS, the sorting script) is src/report/leaderboard.html,
 * embedded in the binary at build time with the assembler's .incbin (no
 * generated file); this file fills in the escaped title and body. Every
 * string from a results file goes through html_escape: student names are
 * hostile. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/i18n.h"
#include "base/utf8.h"
#include "report/leaderboard.h"
#include "report/markup.h"

#ifndef LB_TEMPLATE
#define LB_TEMPLATE "src/report/leaderboard.html"
#endif

__asm__(".pushsection .rodata\n"
        ".globl lb_template_text\n"
        ".type lb_template_text, @object\n"
        "lb_template_text:\n"
        ".incbin \"" LB_TEMPLATE "\"\n"
        ".byte 0\n"
        ".popsection\n");
extern const char lb_template_text[];

static double frac(double a, double b)
{
    return b > 0 ? a / b : 0;
}

/* Chapters in order of first appearance among the sorted exercise ids. */
static size_t chapters(const leaderboard *lb, int *out, size_t cap)
{
    size_t n = 0;
    for (size_t e = 0; e < lb->nexercises; e++) {
        size_t k = 0;
        while (k < n && out[k] != lb->chapters[e])
            k++;
        if (k == n && n < cap)
            out[n++] = lb->chapters[e];
    }
    return n;
}

static const lb_exercise *find_ex(const lb_student *s, const char *id)
{
    return lb_find_exercise(s, id);
}

static void name_cell(strbuf *sb, const lb_student *s)
{
    sb_puts(sb, "<td class=\"name\" data-v=\"");
    markup_escape(sb, s->name);
    sb_puts(sb, "\" title=\"");
    markup_escape(sb, *s->repository ? s->repository : s->name);
    sb_puts(sb, "\">");
    markup_escape(sb, s->name);
    sb_puts(sb, "</td>");
}

/* The status cell: what the organizer should look at, each kind with its
 * own badge (not graded, build errors, tampered, integrity findings);
 * data-v sorts by severity. */
static void status_cell(strbuf *sb, const lb_student *s)
{
    if (!s->graded) {
        sb_puts(sb, "<td class=\"status\" data-v=\"9\"><span class=\"badge "
                    "ungraded\" title=\"");
        markup_escape(sb, s->detail);
        sb_puts(sb, "\">");
        sb_puts(sb, _("not graded: "));
        markup_escape(sb, s->reason);
        sb_puts(sb, "</span><span class=\"detail\">");
        markup_escape(sb, s->detail);
        sb_puts(sb, "</span></td>");
        return;
    }
    int severity = (s->tampered ? 4 : 0) + (s->integrity_ok == 0 ? 2 : 0) +
                   (s->build_errors ? 1 : 0);
    sb_printf(sb, "<td class=\"status\" data-v=\"%d\">", severity);
    if (s->build_errors)
        sb_printf(sb,
                  _("<span class=\"badge build\" title=\"exercises that did "
                    "not compile\">%d build error%s</span> "),
                  s->build_errors, s->build_errors == 1 ? "" : "s");
    if (s->tampered)
        sb_printf(sb,
                  _("<span class=\"badge tampered\" title=\"exercises graded "
                    "0: a file they need was tampered with\">%d "
                    "tampered</span> "),
                  s->tampered);
    if (s->integrity_ok == 0) {
        sb_puts(sb, "<span class=\"badge integrity\" title=\"");
        markup_escape(sb, s->integrity_message);
        sb_printf(sb, _("\">integrity: %d file%s</span>"), s->integrity_files,
                  s->integrity_files == 1 ? "" : "s");
    }
    if (severity == 0)
        sb_puts(sb, "<span class=\"ok\">ok</span>");
    sb_puts(sb, "</td>");
}

static void chapter_cells(strbuf *sb, const lb_student *s, const int *ch,
                          size_t nch)
{
    for (size_t c = 0; c < nch; c++) {
        if (!s->graded) {
            sb_puts(sb, "<td data-v=\"-1\"></td>");
            continue;
        }
        double got = 0, max = 0;
        for (size_t e = 0; e < s->nex; e++)
            if (s->ex[e].chapter == ch[c]) {
                got += s->ex[e].score;
                max += s->ex[e].max;
            }
        double f = frac(got, max);
        sb_printf(sb,
                  "<td data-v=\"%.4f\"><span class=\"bar\"><span "
                  "style=\"width:%.1f%%\"></span></span><span "
                  "class=\"pct\">%.0f%%</span></td>",
                  f, 100 * f, 100 * f);
    }
}

/* pos: the row's place in the ranking, which sorts the Rank column (equal
 * ranks keep their order, and clicking Rank restores it). */
static void ranking_row(strbuf *sb, const lb_student *s, size_t pos,
                        const int *ch, size_t nch)
{
    if (!s->graded) {
        sb_printf(sb,
                  "<tr class=\"ungraded\"><td class=\"num rank\" "
                  "data-v=\"%zu\">–</td>",
                  pos);
        name_cell(sb, s);
        sb_puts(sb, "<td class=\"num\" data-v=\"-1\">–</td><td "
                    "class=\"num\" data-v=\"-1\">–</td><td data-v=\"9e15\">"
                    "</td><td data-v=\"\"></td>");
        status_cell(sb, s);
        chapter_cells(sb, s, ch, nch);
        sb_puts(sb, "</tr>\n");
        return;
    }
    sb_printf(sb,
              "<tr class=\"%s\"><td class=\"num rank\" data-v=\"%zu\">%d</td>",
              s->rank <= 3 ? (s->rank == 1   ? "top1"
                              : s->rank == 2 ? "top2"
                                             : "top3")
                           : "",
              pos, s->rank);
    name_cell(sb, s);
    sb_printf(sb,
              "<td class=\"num\" data-v=\"%.3f\">%g / %g</td>"
              "<td class=\"num\" data-v=\"%.4f\">%.1f</td>",
              s->score, round(s->score * 1000) / 1000,
              round(s->max_score * 1000) / 1000, frac(s->score, s->max_score),
              100 * frac(s->score, s->max_score));
    sb_printf(sb, "<td data-v=\"%.0f\" title=\"%s\">",
              isfinite(s->t_reached) ? s->t_reached : 9e15,
              s->reached_before ? _("first seen by an earlier run of the board")
                                : _("first seen by this run of the board"));
    markup_escape(sb, s->reached);
    sb_puts(sb, s->reached_before ? "" : _(" <span class=\"new\">new</span>"));
    sb_puts(sb, "</td><td class=\"student-clock\" data-v=\"");
    markup_escape(sb, s->commit_time);
    sb_puts(sb, "\">");
    markup_escape(sb, s->commit_time);
    sb_puts(sb, "</td>");
    status_cell(sb, s);
    chapter_cells(sb, s, ch, nch);
    sb_puts(sb, "</tr>\n");
}

static void ranking(strbuf *sb, const leaderboard *lb)
{
    int ch[64];
    size_t nch = chapters(lb, ch, 64);
    sb_puts(sb,
            _("<h2>Ranking</h2>\n<div class=\"wrap\"><table id=\"ranking\" "
              "class=\"sortable\">\n<thead><tr>"
              "<th class=\"num\" data-col=\"rank\" aria-sort=\"ascending\">"
              "Rank</th>"
              "<th data-col=\"student\">Student</th>"
              "<th class=\"num\" data-col=\"score\" data-first=\"descending\">"
              "Score</th>"
              "<th class=\"num\" data-col=\"percent\" "
              "data-first=\"descending\">%</th>"
              "<th data-col=\"reached\" title=\"when the organizer's board "
              "first saw this score: the tie-break\">Reached (organizer)</th>"
              "<th data-col=\"commit\" title=\"the graded commit's date, set "
              "by the student's clock: shown, never used\">Commit date "
              "(student)</th>"
              "<th data-col=\"status\" data-first=\"descending\">To look "
              "at</th>"));
    for (size_t c = 0; c < nch; c++)
        sb_printf(sb,
                  _("<th data-col=\"ch%d\" data-first=\"descending\">Chapter "
                    "%d</th>"),
                  ch[c], ch[c]);
    sb_puts(sb, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < lb->n; i++)
        ranking_row(sb, &lb->s[i], i + 1, ch, nch);
    sb_puts(sb, "</tbody></table></div>\n");
}

/* Red (0) through amber to green (full points); a build error hatched
 * violet, a tampered exercise black, grey when absent. */
static void heat_cell(strbuf *sb, const lb_exercise *x, const char *id)
{
    if (x == NULL || x->max <= 0) {
        sb_puts(sb, "<td class=\"cell none\" data-v=\"-1\" title=\"");
        markup_escape(sb, id);
        sb_puts(sb, _(": not graded\"></td>"));
        return;
    }
    double f = frac(x->score, x->max);
    if (strcmp(x->verdict, "build_error") == 0 ||
        strcmp(x->verdict, "tampered") == 0) {
        int build = x->verdict[0] == 'b';
        sb_printf(sb, "<td class=\"cell %s\" data-v=\"%.4f\" title=\"",
                  build ? "build" : "tampered", f);
        markup_escape(sb, id);
        sb_printf(sb, ": %s (0 / %g)\">%s</td>",
                  build ? _("build error") : _("tampered"), x->max,
                  build ? "B" : "T");
        return;
    }
    sb_printf(sb,
              "<td class=\"cell\" data-v=\"%.4f\" style=\"background:hsl(%.0f,"
              "65%%,%s)\" title=\"",
              f, 120 * f, f > 0 ? "52%" : "88%");
    markup_escape(sb, id);
    sb_printf(sb, ": %g / %g\"></td>", round(x->score * 1000) / 1000, x->max);
}

static void heatmap(strbuf *sb, const leaderboard *lb)
{
    sb_puts(sb,
            _("<h2>Exercises</h2>\n<p class=\"meta legend\">Points per "
              "exercise: <span style=\"background:hsl(0,65%,88%)\"></span> "
              "none <span style=\"background:hsl(60,65%,52%)\"></span> "
              "partial <span style=\"background:hsl(120,65%,52%)\"></span> "
              "full <span class=\"build\"></span> build error <span "
              "class=\"tampered\"></span> tampered <span "
              "class=\"none\"></span> not graded</p>\n<div "
              "class=\"wrap\"><table id=\"heatmap\" "
              "class=\"sortable heat\">\n<thead><tr><th data-col=\"student\">"
              "Student</th>"));
    for (size_t e = 0; e < lb->nexercises; e++) {
        sb_puts(sb, "<th class=\"ex\" data-first=\"descending\" title=\"");
        markup_escape(sb, lb->exercises[e]);
        sb_puts(sb, "\">");
        markup_escape(sb, lb->exercises[e]);
        sb_puts(sb, "</th>");
    }
    sb_puts(sb, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < lb->n; i++) {
        sb_puts(sb, lb->s[i].graded ? "<tr>" : "<tr class=\"ungraded\">");
        name_cell(sb, &lb->s[i]);
        for (size_t e = 0; e < lb->nexercises; e++)
            heat_cell(sb, find_ex(&lb->s[i], lb->exercises[e]),
                      lb->exercises[e]);
        sb_puts(sb, "</tr>\n");
    }
    sb_puts(sb, "</tbody></table></div>\n");
}

static int metric_of(const lb_student *s, const char *key, double *v)
{
    const lb_metric *m = lb_find_metric(s, key);
    if (m)
        *v = m->value;
    return m != NULL;
}

/* Students with a passing performance test, best first by the first
 * metric column; click a column to rank by another. */
static void perf_board(strbuf *sb, const leaderboard *lb)
{
    sb_puts(sb, _("<h2>Performance</h2>\n"));
    if (lb->nmetrics == 0) {
        sb_puts(sb, _("<p class=\"meta\">No passing performance exercise "
                      "yet.</p>\n"));
        return;
    }
    sb_puts(sb, _("<p class=\"meta\">Measured on the grading machine by the "
                  "performance tests (GFLOP/s, tokens/s, ratios to the "
                  "baselines); only passing tests count.</p>\n<div "
                  "class=\"wrap\"><table id=\"perf\" class=\"sortable\">\n"
                  "<thead><tr><th data-col=\"student\">Student</th>"));
    for (size_t m = 0; m < lb->nmetrics; m++) {
        sb_printf(sb, "<th class=\"num\" data-first=\"descending\"%s>",
                  m == 0 ? " aria-sort=\"descending\"" : "");
        markup_escape(sb, lb->metrics[m]);
        sb_puts(sb, "</th>");
    }
    sb_puts(sb, "</tr></thead>\n<tbody>\n");
    /* Rows by the first metric, descending (students are few: n^2). */
    size_t *idx = xcalloc(lb->n, sizeof *idx);
    double *key = xcalloc(lb->n, sizeof *key);
    size_t rows = 0;
    for (size_t i = 0; i < lb->n; i++) {
        double v = -HUGE_VAL;
        if (lb->s[i].nmetrics == 0)
            continue;
        metric_of(&lb->s[i], lb->metrics[0], &v);
        size_t at = rows++;
        while (at > 0 && key[at - 1] < v) {
            idx[at] = idx[at - 1];
            key[at] = key[at - 1];
            at--;
        }
        idx[at] = i;
        key[at] = v;
    }
    for (size_t r = 0; r < rows; r++) {
        const lb_student *s = &lb->s[idx[r]];
        sb_puts(sb, "<tr>");
        name_cell(sb, s);
        for (size_t m = 0; m < lb->nmetrics; m++) {
            double v;
            if (metric_of(s, lb->metrics[m], &v))
                sb_printf(sb, "<td class=\"num\" data-v=\"%.6g\">%.2f</td>", v,
                          v);
            else
                sb_puts(sb, "<td class=\"num\" data-v=\"-1e300\">–</td>");
        }
        sb_puts(sb, "</tr>\n");
    }
    free(idx);
    free(key);
    sb_puts(sb, "</tbody></table></div>\n");
}

static void skipped(strbuf *sb, const leaderboard *lb)
{
    if (lb->nskipped == 0)
        return;
    sb_printf(
        sb, _("<h2>Skipped result files (%zu)</h2>\n<ul class=\"skipped\">\n"),
        lb->nskipped);
    for (size_t i = 0; i < lb->nskipped; i++) {
        sb_puts(sb, "<li>");
        markup_escape(sb, lb->skipped[i].file);
        sb_puts(sb, ": ");
        markup_escape(sb, lb->skipped[i].reason);
        sb_puts(sb, "</li>\n");
    }
    sb_puts(sb, "</ul>\n");
}

/* Copies tmpl into sb with each {{NAME}} of names replaced by the value
 * at the same index (n of them). */
static void fill(strbuf *sb, const char *tmpl, const char *const *names,
                 const char *const *values, size_t n)
{
    const char *p = tmpl;
    for (;;) {
        const char *next = NULL;
        size_t which = 0;
        for (size_t i = 0; i < n; i++) {
            const char *at = strstr(p, names[i]);
            if (at && (next == NULL || at < next)) {
                next = at;
                which = i;
            }
        }
        if (next == NULL)
            break;
        sb_append(sb, p, (size_t)(next - p));
        sb_puts(sb, values[which]);
        p = next + strlen(names[which]);
    }
    sb_puts(sb, p);
}

char *lb_html(const leaderboard *lb, const char *title)
{
    strbuf t = {0}, body = {0};
    if (title)
        markup_escape(&t, title);
    else {
        sb_puts(&t, _("Leaderboard — "));
        markup_escape(&t, lb->course_title ? lb->course_title : "");
    }
    size_t graded = lb_count_graded(lb);
    sb_printf(&body,
              _("<h1>%s</h1>\n<p class=\"meta\">%zu students: %zu graded, "
                "%zu not graded · ranked by score, then by when the "
                "organizer's board first saw that score; the commit date is "
                "the student's own clock, shown but never used"),
              sb_str(&t), lb->n, graded, lb->n - graded);
    if (lb->prev_note) {
        sb_puts(&body, " · ");
        markup_escape(&body, lb->prev_note);
    }
    sb_puts(&body, "</p>\n");
    ranking(&body, lb);
    heatmap(&body, lb);
    perf_board(&body, lb);
    skipped(&body, lb);
    sb_puts(&body, _("<footer>Generated by <code>grader leaderboard</code> "
                     "(llmlings). Static page: no network needed.</footer>"));
    strbuf out = {0};
    static const char *const names[] = {"{{TITLE}}", "{{BODY}}", "{{LANG}}"};
    const char *values[] = {sb_str(&t), sb_str(&body),
                            i18n_current() == I18N_ZH_CN ? "zh-CN" : "en"};
    fill(&out, lb_template_text, names, values, 3);
    sb_free(&t);
    sb_free(&body);
    return sb_steal(&out);
}
