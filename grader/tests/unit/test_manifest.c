/* Unit tests for manifest.c: valid manifests load, and each kind of mistake
 * gives one line naming the file, the exercise and the field. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/files.h"
#include "base/i18n.h"
#include "workbook/manifest.h"

static char root[] = "/tmp/grader-unit-XXXXXX";

static void make_workbook(void)
{
    cr_assert_not_null(mkdtemp(root));
    char path[512];
    snprintf(path, sizeof path, "%s/exercises/00_hello", root);
    cr_assert_eq(mkdir_p(path, 0755), 0);
    snprintf(path, sizeof path, "%s/exercises/01_two", root);
    cr_assert_eq(mkdir_p(path, 0755), 0);
    const char *files[] = {"00_hello/hello.c", "00_hello/test_hello.c",
                           "01_two/two.c", "01_two/test_two.c"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/exercises/%s", root, files[i]);
        cr_assert_eq(file_write_atomic(path, "x", 1), 0);
    }
}

static void drop_workbook(void)
{
    remove_tree(root);
}

#define EX0                                                                    \
    "{\"id\":\"00_hello\",\"chapter\":0,\"title\":\"t\",\"points\":5,"         \
    "\"kind\":\"c\",\"edit\":[\"hello.c\"],\"tests\":[\"test_hello.c\"],"      \
    "\"hints\":[\"h\"]"
#define EX1                                                                    \
    "{\"id\":\"01_two\",\"chapter\":1,\"title\":\"t\",\"points\":10,"          \
    "\"kind\":\"c\",\"edit\":[\"two.c\"],\"tests\":[\"test_two.c\"],"          \
    "\"hints\":[\"h\"]"
#define DOC(body)                                                              \
    "{\"format\":1,\"course\":{\"id\":\"c\",\"title\":\"T\"},"                 \
    "\"exercises\":[" body "]}"

/* Parses text; returns the error line ("" when it loaded). */
static char *parse(const char *text, manifest *m)
{
    strbuf err = {0};
    int rc = manifest_parse(text, root, m, &err);
    if (rc == 0)
        cr_assert_eq(err.len, 0);
    else
        cr_assert(err.len > 0, "an error must say what is wrong");
    return sb_steal(&err);
}

TestSuite(manifest, .init = make_workbook, .fini = drop_workbook);

Test(manifest, valid_manifest_loads_with_defaults)
{
    manifest m;
    char *err = parse(DOC(EX0 "}," EX1 ",\"links\":[\"00_hello\"]}"), &m);
    cr_assert_str_eq(err, "");
    cr_assert_eq(m.n, 2);
    cr_assert_str_eq(m.ex[1].id, "01_two");
    cr_assert_eq(m.ex[1].number, 1);
    cr_assert_eq(m.ex[1].points, 10);
    cr_assert_float_eq(m.ex[0].time_limit_s, 10.0, 1e-9);
    cr_assert_str_eq(m.ex[1].links.v[0], "00_hello");
    manifest_free(&m);
    free(err);
}

static void expect_error(const char *text, const char *needle)
{
    manifest m;
    char *err = parse(text, &m);
    if (err[0] == '\0')
        manifest_free(&m);
    cr_assert(strstr(err, needle) != NULL, "error \"%s\" lacks \"%s\"", err,
              needle);
    cr_assert(strchr(err, '\n') == NULL, "one line expected: %s", err);
    free(err);
}

Test(manifest, invalid_json_names_the_line)
{
    expect_error("{\n\"format\": 1,\n oops }",
                 "manifest.json:3: not valid JSON");
}

Test(manifest, missing_field_names_exercise_and_field)
{
    expect_error(DOC("{\"id\":\"00_hello\",\"chapter\":0,\"title\":\"t\","
                     "\"kind\":\"c\",\"edit\":[\"hello.c\"],"
                     "\"tests\":[\"test_hello.c\"],\"hints\":[\"h\"]}"),
                 "exercise 0 \"00_hello\": field \"points\": missing");
}

#define EX0_NO(points, edit)                                                   \
    "{\"id\":\"00_hello\",\"chapter\":0,\"title\":\"t\",\"points\":" points    \
    ",\"kind\":\"c\",\"edit\":[" edit "],\"tests\":[\"test_hello.c\"],"        \
    "\"hints\":[\"h\"]}"

Test(manifest, wrong_type_is_reported)
{
    expect_error(DOC(EX0_NO("\"five\"", "\"hello.c\"")),
                 "field \"points\": must be an integer");
}

Test(manifest, duplicate_field_is_refused)
{
    expect_error(DOC(EX0 ",\"points\":7}"), "field \"points\": appears twice");
}

Test(manifest, unknown_field_is_a_typo)
{
    expect_error(DOC(EX0 ",\"pionts\":3}"), "field \"pionts\": unknown field");
}

Test(manifest, missing_test_file_is_named)
{
    expect_error(DOC("{\"id\":\"00_hello\",\"chapter\":0,\"title\":\"t\","
                     "\"points\":5,\"kind\":\"c\",\"edit\":[\"hello.c\"],"
                     "\"tests\":[\"test_gone.c\"],\"hints\":[\"h\"]}"),
                 "file exercises/00_hello/test_gone.c does not exist");
}

Test(manifest, numbers_start_at_00_and_increase)
{
    expect_error(DOC(EX1 "}"), "the first exercise must be number 00");
    expect_error(DOC(EX0 "}," EX0 "}"), "numbers must increase");
}

Test(manifest, bad_id_shape)
{
    expect_error(DOC("{\"id\":\"0_Hello\"}"), "is not NN_topic");
}

Test(manifest, path_escape_is_refused)
{
    expect_error(DOC(EX0_NO("5", "\"../../etc/passwd\"")),
                 "not a plain relative path");
}

Test(manifest, header_in_edit_is_refused)
{
    expect_error(DOC(EX0_NO("5", "\"hello.h\"")), "is a header");
}

Test(manifest, link_must_be_earlier)
{
    expect_error(DOC(EX0 ",\"links\":[\"01_two\"]}," EX1 "}"),
                 "is not an earlier exercise");
}

Test(manifest, perf_tiers_must_increase)
{
    expect_error(DOC(EX0 ",\"perf\":{\"test\":\"a/b\",\"metric\":\"r\","
                         "\"tiers\":[{\"min\":0.5,\"fraction\":0.5},"
                         "{\"min\":0.1,\"fraction\":1}]}}"),
                 "increasing order");
}

Test(manifest, perf_lower_is_better_tiers_must_decrease)
{
    expect_error(DOC(EX0 ",\"perf\":{\"test\":\"a/b\",\"metric\":\"r\","
                         "\"better\":\"lower\",\"tiers\":[{\"max\":10,"
                         "\"fraction\":0.5},{\"max\":20,\"fraction\":1}]}}"),
                 "decreasing order");
    expect_error(DOC(EX0 ",\"perf\":{\"test\":\"a/b\",\"metric\":\"r\","
                         "\"better\":\"lower\",\"tiers\":[{\"min\":10,"
                         "\"fraction\":1}]}}"),
                 "needs a number \"max\"");
    expect_error(DOC(EX0 ",\"perf\":{\"test\":\"a/b\",\"metric\":\"r\","
                         "\"better\":\"less\",\"tiers\":[{\"max\":1,"
                         "\"fraction\":1}]}}"),
                 "must be \"higher\" or \"lower\"");
    expect_error(DOC(EX0 ",\"perf\":{\"test\":\"a/b\",\"metric\":\"r\","
                         "\"bound\":1,\"tiers\":[{\"min\":1,"
                         "\"fraction\":1}]}}"),
                 "unknown field \"bound\"");
}

/* A perf spec's label and advice have their Chinese beside them; the
 * label a person is told follows the language. */
Test(manifest, perf_label_zh_and_advice_zh)
{
    manifest m;
    char *err =
        parse(DOC(EX0 ",\"perf\":{\"test\":\"a/c\",\"metric\":\"sectors\","
                      "\"better\":\"lower\",\"label\":\"load sectors\","
                      "\"label_zh\":\"扇区数\",\"advice\":\"coalesced?\","
                      "\"advice_zh\":\"合并访存了吗？\",\"tiers\":[{\"max\":1,"
                      "\"fraction\":1}]}}"),
              &m);
    cr_assert_str_eq(err, "");
    const perf_spec *p = manifest_perf_for(&m.ex[0], "a/c");
    cr_assert_str_eq(p->label_zh, "扇区数");
    cr_assert_str_eq(p->advice_zh, "合并访存了吗？");
    cr_assert_str_eq(perf_spec_label(p), "load sectors");
    i18n_set_lang(I18N_ZH_CN);
    cr_assert_str_eq(perf_spec_label(p), "扇区数");
    i18n_set_lang(I18N_EN);
    manifest_free(&m);
    free(err);
    expect_error(DOC(EX0 ",\"perf\":{\"test\":\"a/c\",\"metric\":\"s\","
                         "\"advice_zh\":\"合并访存了吗？\",\"tiers\":[{"
                         "\"min\":1,\"fraction\":1}]}}"),
                 "\"perf.advice_zh\": translates \"advice\", which is missing");
    expect_error(DOC(EX0 ",\"perf\":{\"test\":\"a/c\",\"metric\":\"s\","
                         "\"label_zh\":\"\",\"label\":\"x\",\"tiers\":[{"
                         "\"min\":1,\"fraction\":1}]}}"),
                 "\"label_zh\": must be a non-empty string");
}

Test(manifest, perf_list_of_specs)
{
    manifest m;
    char *err =
        parse(DOC(EX0 ",\"perf\":[{\"test\":\"a/b\",\"metric\":\"r\","
                      "\"tiers\":[{\"min\":1,\"fraction\":1}]},"
                      "{\"test\":\"a/c\",\"metric\":\"sectors\",\"better\":"
                      "\"lower\",\"label\":\"global load sectors\",\"advice\":"
                      "\"coalesced?\",\"tiers\":[{\"max\":4096,\"fraction\":"
                      "0.25},{\"max\":1024,\"fraction\":1}]}]}"),
              &m);
    cr_assert_str_eq(err, "");
    cr_assert_eq(m.ex[0].nperf, 2);
    const perf_spec *p = manifest_perf_for(&m.ex[0], "a/c");
    cr_assert_not_null(p);
    cr_assert(p->lower_is_better);
    cr_assert_str_eq(p->label, "global load sectors");
    cr_assert_str_eq(p->advice, "coalesced?");
    cr_assert_eq(p->ntiers, 2);
    cr_assert(p->tiers[1].bound == 1024 && p->tiers[1].fraction == 1);
    cr_assert(!manifest_perf_for(&m.ex[0], "a/b")->lower_is_better);
    cr_assert_null(manifest_perf_for(&m.ex[0], "a/d"));
    manifest_free(&m);
    free(err);
    expect_error(DOC(EX0
                     ",\"perf\":[{\"test\":\"a/b\",\"metric\":\"r\","
                     "\"tiers\":[{\"min\":1,\"fraction\":1}]},"
                     "{\"test\":\"a/b\",\"metric\":\"s\",\"tiers\":[{\"min\":1,"
                     "\"fraction\":1}]}]}"),
                 "has two performance specs");
}

Test(manifest, wrong_format_version)
{
    expect_error("{\"format\":2}", "field \"format\": must be 1");
}

Test(manifest, race_tier_only_for_gpu_kinds)
{
    expect_error(DOC(EX0 ",\"race_tier\":true}"),
                 "field \"race_tier\": only exercises of kind cuda or opencl");
    expect_error(DOC(EX0 ",\"race_tier\":1}"),
                 "field \"race_tier\": must be true or false");
    manifest m;
    char *err = parse(DOC(EX0 ",\"race_tier\":false}"), &m);
    cr_assert_str_eq(err, "");
    cr_assert_eq(m.ex[0].race_tier, 0);
    manifest_free(&m);
    free(err);
}

Test(manifest, kind_is_parsed_once_into_its_row)
{
    expect_error(DOC("{\"id\":\"00_hello\",\"chapter\":0,\"title\":\"t\","
                     "\"points\":5,\"kind\":\"rust\",\"edit\":[\"hello.c\"],"
                     "\"tests\":[\"test_hello.c\"],\"hints\":[\"h\"]}"),
                 "field \"kind\": \"rust\" is not one of c, c_perf, cuda, "
                 "opencl");
    manifest m;
    char *err = parse(DOC(EX0 "}"), &m);
    cr_assert_str_eq(err, "");
    cr_assert_eq(m.ex[0].kind, kind_get(KIND_C));
    cr_assert_str_eq(m.ex[0].kind->name, "c");
    manifest_free(&m);
    free(err);
}

/* A manifest read from git (pristine.c) is checked before its files are on
 * disk: with no root, only the files' names are. */
Test(manifest, without_a_root_files_are_not_looked_at)
{
    const char *text =
        DOC("{\"id\":\"00_elsewhere\",\"chapter\":0,\"title\":\"t\","
            "\"points\":5,\"kind\":\"c\",\"edit\":[\"a.c\",\"b.cl\"],"
            "\"tests\":[\"test_a.c\"],\"hints\":[\"h\"]}");
    expect_error(text, "folder exercises/00_elsewhere does not exist");
    strlist paths = {0};
    strbuf err = {0};
    cr_assert_eq(manifest_edit_paths_of(text, &paths, &err), 0, "%s",
                 sb_str(&err));
    cr_assert_eq(paths.n, 2);
    cr_assert_str_eq(paths.v[0], "exercises/00_elsewhere/a.c");
    cr_assert_str_eq(paths.v[1], "exercises/00_elsewhere/b.cl");
    strlist_free(&paths);
    cr_assert_eq(manifest_edit_paths_of("{\"format\":1", &paths, &err), -1);
    cr_assert(strstr(sb_str(&err), "not valid JSON") != NULL);
    sb_free(&err);
    cr_assert_eq(manifest_edit_paths_of(DOC("{\"id\":\"00_x\"}"), &paths, &err),
                 -1, "still validated");
    cr_assert(strstr(sb_str(&err), "field \"chapter\": missing") != NULL, "%s",
              sb_str(&err));
    sb_free(&err);
}

Test(manifest, title_zh_is_shown_in_chinese_only)
{
    manifest m;
    char *err = parse(DOC(EX0 ",\"title_zh\":\"标题\"}"), &m);
    cr_assert_str_eq(err, "");
    i18n_set_lang(I18N_EN);
    cr_assert_str_eq(exercise_title(&m.ex[0]), m.ex[0].title);
    i18n_set_lang(I18N_ZH_CN);
    cr_assert_str_eq(exercise_title(&m.ex[0]), "标题");
    i18n_set_lang(I18N_EN);
    manifest_free(&m);
    free(err);
}

Test(manifest, hints_zh_loads_beside_hints)
{
    manifest m;
    char *err = parse(DOC(EX0 ",\"hints_zh\":[\"提示\"]}"), &m);
    cr_assert_str_eq(err, "");
    cr_assert_eq(m.ex[0].hints_zh.n, 1);
    cr_assert_str_eq(m.ex[0].hints_zh.v[0], "提示");
    manifest_free(&m);
    free(err);
}

/* ---- limits (issue 30): defaults have the ranges of the fields --------- */

#define DOC_DEFAULTS(defaults)                                                 \
    "{\"format\":1,\"course\":{\"id\":\"c\",\"title\":\"T\"},"                 \
    "\"defaults\":" defaults ",\"exercises\":[" EX0 "}]}"

Test(manifest, defaults_are_capped_like_the_fields)
{
    expect_error(DOC_DEFAULTS("{\"time_limit_s\":1e300}"),
                 "\"defaults.time_limit_s\": must be a number in (0, 600]");
    expect_error(DOC_DEFAULTS("{\"time_limit_s\":601}"),
                 "\"defaults.time_limit_s\"");
    expect_error(DOC_DEFAULTS("{\"memory_limit_mb\":2147483648}"),
                 "\"defaults.memory_limit_mb\": must be an integer in "
                 "16..65536");
    expect_error(DOC_DEFAULTS("{\"memory_limit_mb\":1e300}"),
                 "\"defaults.memory_limit_mb\"");
    expect_error(DOC_DEFAULTS("{\"memory_limit_mb\":100.5}"),
                 "\"defaults.memory_limit_mb\"");
    manifest m;
    char *err = parse(
        DOC_DEFAULTS("{\"time_limit_s\":600,\"memory_limit_mb\":65536}"), &m);
    cr_assert_str_eq(err, "");
    cr_assert_float_eq(m.ex[0].time_limit_s, 600.0, 1e-9);
    cr_assert_eq(m.ex[0].memory_limit_mb, 65536);
    manifest_free(&m);
    free(err);
}

Test(manifest, hints_zh_needs_as_many_as_hints)
{
    expect_error(DOC(EX0 ",\"hints_zh\":[\"一\",\"二\"]}"),
                 "field \"hints_zh\": has 2, hints has 1");
    expect_error(DOC(EX0 ",\"hints_zh\":[]}"),
                 "field \"hints_zh\": has 0, hints has 1");
    expect_error(DOC(EX0 ",\"hints_zh\":[\"\"]}"),
                 "field \"hints_zh\": every element must be a non-empty");
}

Test(manifest, quoted_strings_show_control_characters)
{
    manifest m;
    char *err = parse(DOC("{\"id\":\"00_\\u001b[2J\\nx\"}"), &m);
    cr_assert_null(strchr(err, '\x1b'), "raw escape in: %s", err);
    cr_assert_null(strchr(err, '\n'), "raw newline in: %s", err);
    cr_assert(strstr(err, "00_\\e[2J\\nx") != NULL, "got: %s", err);
    free(err);
}

Test(manifest, strings_and_lists_have_limits)
{
    char *text = NULL;
    char *long_title = malloc(5000);
    memset(long_title, 'a', 4999);
    long_title[4999] = '\0';
    cr_assert_gt(
        asprintf(&text,
                 "{\"format\":1,\"course\":{\"id\":\"c\",\"title\":\"T\"},"
                 "\"exercises\":[{\"id\":\"00_hello\",\"chapter\":0,"
                 "\"title\":\"%s\"}]}",
                 long_title),
        0);
    expect_error(text, "\"title\": longer than the limit of 4096 bytes");
    free(text);
    free(long_title);
    strbuf hints = {0};
    for (int i = 0; i < 257; i++)
        sb_puts(&hints, i ? ",\"h\"" : "\"h\"");
    cr_assert_gt(asprintf(&text,
                          "{\"format\":1,\"course\":{\"id\":\"c\",\"title\":"
                          "\"T\"},\"exercises\":[{\"id\":\"00_hello\","
                          "\"chapter\":0,\"title\":\"t\",\"points\":5,"
                          "\"kind\":\"c\",\"edit\":[\"hello.c\"],"
                          "\"tests\":[\"test_hello.c\"],\"hints\":[%s]}]}",
                          sb_str(&hints)),
                 0);
    expect_error(text, "\"hints\": has more than the limit of 256 elements");
    free(text);
    sb_free(&hints);
}

/* A cuda exercise graded by a counter, with `formula` as its
 * judge_counters (and `more` fields in the spec). */
#define CUDA_EX0(formula, more)                                                \
    "{\"id\":\"00_hello\",\"chapter\":0,\"title\":\"t\",\"points\":5,"         \
    "\"kind\":\"cuda\",\"edit\":[\"hello.c\"],\"tests\":[\"test_hello.c\"],"   \
    "\"hints\":[\"h\"],\"perf\":{\"test\":\"a/b\",\"metric\":\"s\","           \
    "\"better\":\"lower\",\"tiers\":[{\"max\":4,\"fraction\":1}],"             \
    "\"judge_counters\":" formula more "}}"

Test(manifest, judge_counters_name_the_device_report_counters)
{
    manifest m;
    char *err = parse(DOC(CUDA_EX0("{\"sum\":[\"global_load_sectors\","
                                   "\"global_store_sectors\"],\"scale\":0.5}",
                                   "")),
                      &m);
    cr_assert_str_eq(err, "");
    const counter_formula *f = &m.ex[0].perf[0].judge_counters;
    cr_assert_eq(f->nsum, 2);
    cr_assert_eq(f->sum[0], DC_GLOBAL_LOAD_SECTORS);
    cr_assert_eq(f->sum[1], DC_GLOBAL_STORE_SECTORS);
    cr_assert_float_eq(f->scale, 0.5, 1e-12);
    manifest_free(&m);
    free(err);
    err = parse(DOC(CUDA_EX0("{\"sum\":[\"divergent_branches\"],"
                             "\"require\":[{\"sum\":[\"shared_bytes_per_"
                             "block\"],\"max\":4096},{\"sum\":[\"launches\"],"
                             "\"min\":1}]}",
                             "")),
                &m);
    cr_assert_str_eq(err, "");
    const counter_formula *g = &m.ex[0].perf[0].judge_counters;
    cr_assert_float_eq(g->scale, 1, 1e-12);
    cr_assert_eq(g->nrequire, 2);
    unsigned long long counts[DC_COUNT] = {0};
    counts[DC_LAUNCHES] = 1;
    counts[DC_SHARED_BYTES_PER_BLOCK] = 4096;
    cr_assert_null(counter_formula_broken(g, counts));
    counts[DC_SHARED_BYTES_PER_BLOCK] = 4224; /* a padded tile */
    cr_assert_eq(counter_formula_broken(g, counts), &g->require[0]);
    counts[DC_SHARED_BYTES_PER_BLOCK] = 0;
    counts[DC_LAUNCHES] = 0; /* no kernel */
    cr_assert_eq(counter_formula_broken(g, counts), &g->require[1]);
    manifest_free(&m);
    free(err);
}

Test(kinds, cuda_and_opencl_have_device_reports_with_their_own_variable)
{
    const kind_spec *cuda = kind_get(KIND_CUDA), *cl = kind_get(KIND_OPENCL);
    cr_assert_not_null(cuda->device_report);
    cr_assert_str_eq(cuda->device_report->env, "CUDASIM_DEVICE_REPORT_FD");
    cr_assert_not_null(cl->device_report);
    cr_assert_str_eq(cl->device_report->env, "CLTRACK_DEVICE_REPORT_FD");
    cr_assert_not_null(
        strstr(cl->device_report->host_writes, "clEnqueueWriteBuffer"));
    cr_assert_null(kind_get(KIND_C)->device_report);
    cr_assert_null(kind_get(KIND_C_PERF)->device_report);
    /* only the simulator counts traffic and compiles student code into its
     * device process */
    cr_assert(cuda->device_counters && cuda->device_source_rules);
    cr_assert(!cl->device_counters && !cl->device_source_rules);
    /* the report comes from the plain run: oclgrind's runs have a wrapper */
    for (size_t i = 0; i < cl->nvariants; i++)
        cr_assert_neq(cl->variants[i].wrapper, WRAP_NONE);
}

/* An opencl exercise graded by a counter: refused, its report has none. */
#define OPENCL_EX0                                                             \
    "{\"id\":\"00_hello\",\"chapter\":0,\"title\":\"t\",\"points\":5,"         \
    "\"kind\":\"opencl\",\"edit\":[\"hello.c\"],\"tests\":[\"test_hello.c\"]," \
    "\"hints\":[\"h\"],\"perf\":{\"test\":\"a/b\",\"metric\":\"s\","           \
    "\"better\":\"lower\",\"tiers\":[{\"max\":4,\"fraction\":1}],"             \
    "\"judge_counters\":{\"sum\":[\"launches\"]}}}"

Test(manifest, judge_counters_refuse_bad_formulas)
{
    expect_error(DOC(CUDA_EX0("{\"sum\":[\"global_sectors\"]}", "")),
                 "every element must name a counter of the device report");
    expect_error(DOC(CUDA_EX0("{\"sum\":[\"launches\",\"launches\"]}", "")),
                 "names \"launches\" twice");
    expect_error(DOC(CUDA_EX0("{\"sum\":[]}", "")),
                 "must be a non-empty list of counter names");
    expect_error(DOC(CUDA_EX0("{\"sum\":[\"launches\"],\"scale\":0}", "")),
                 "field \"perf.judge_counters.scale\": must be a positive "
                 "number");
    expect_error(DOC(CUDA_EX0("{\"sum\":[\"launches\"],\"scale\":\"2\"}", "")),
                 "must be a positive number");
    expect_error(DOC(CUDA_EX0("{\"sum\":[\"launches\"],\"per\":2}", "")),
                 "unknown field \"per\" (known: sum, scale, require)");
    expect_error(DOC(CUDA_EX0("[\"launches\"]", "")), "must be an object");
    expect_error(DOC(CUDA_EX0("{\"sum\":[\"launches\"],\"require\":[{\"sum\":"
                              "[\"launches\"]}]}",
                              "")),
                 "every element needs \"min\" or \"max\"");
    expect_error(DOC(CUDA_EX0("{\"sum\":[\"launches\"],\"require\":[{\"sum\":"
                              "[\"launches\"],\"min\":2,\"max\":1}]}",
                              "")),
                 "\"min\" is above \"max\"");
    expect_error(DOC(CUDA_EX0("{\"sum\":[\"launches\"],\"require\":[{\"sum\":"
                              "[\"lunches\"],\"min\":1}]}",
                              "")),
                 "must name a counter of the device report");
    expect_error(DOC(CUDA_EX0("{\"sum\":[\"launches\"],\"require\":[{\"sum\":"
                              "[\"launches\"],\"min\":-1}]}",
                              "")),
                 "\"min\" must be a number >= 0");
    expect_error(DOC(EX0 ",\"perf\":{\"test\":\"a/b\",\"metric\":\"s\","
                         "\"tiers\":[{\"min\":4,\"fraction\":1}],"
                         "\"judge_counters\":{\"sum\":[\"launches\"]}}}"),
                 "only for kinds whose device reports its counters (cuda)");
    expect_error(DOC(OPENCL_EX0),
                 "only for kinds whose device reports its counters (cuda)");
}
