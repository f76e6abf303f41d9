/* Unit tests for verdict.c: every test verdict from the facts of a run
 * (the sandbox's and the harness records'), the race tier's reading, how
 * the further runs of a test change its result, the exercise verdicts and
 * the scores (points split, performance tiers). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/i18n.h"
#include "base/i18n_match.h"
#include "grade/verdict.h"

/* A run that passed: the body said done, the runner exited 0. */
static sandbox_result clean_exit(void)
{
    return (sandbox_result){.exited = 1, .exit_code = 0, .err = ""};
}

static harness_records said_done(void)
{
    return (harness_records){.started = 1, .done = 1};
}

/* The verdict of one run; *message gets its message (the caller frees). */
static test_verdict decide(const sandbox_result *sr, const harness_records *rec,
                           char **message)
{
    const run_facts f = {sr, rec, 10,   1024, NULL, "/staged/tree/",
                         0,  0,   NULL, NULL, NULL};
    test_result t = {0};
    verdict_decide(&f, &t);
    *message = t.message;
    return t.verdict;
}

/* The message contains want. */
static void expect_message(const char *message, const char *want)
{
    cr_assert(message && strstr(message, want), "expected \"%s\" in \"%s\"",
              want, message ? message : "(none)");
}

Test(verdict, passed_when_done_exit_zero_and_nothing_left)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_PASSED);
    cr_assert_null(msg);
}

Test(verdict, timeout_says_the_limit_and_the_kind_hint)
{
    sandbox_result sr = {
        .timed_out = 1, .signaled = 1, .term_signal = 9, .err = ""};
    harness_records rec = {.started = 1};
    const run_facts f = {&sr, &rec, 2.5,  1024, " (a hint)", "",
                         0,   0,    NULL, NULL, NULL};
    test_result t = {0};
    verdict_decide(&f, &t);
    cr_assert_eq(t.verdict, TV_TIMEOUT);
    expect_message(t.message, "did not finish within 2.5 s");
    expect_message(t.message, "(a hint)");
    test_result_free(&t);
}

Test(verdict, memory_limit)
{
    sandbox_result sr = {.memory_exceeded = 1, .signaled = 1, .err = ""};
    harness_records rec = {.started = 1};
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_MEMORY);
    expect_message(msg, "more than 1024 MB");
    free(msg);
}

Test(verdict, a_forged_done_record_fails_even_with_the_real_one)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    rec.forged = 1;
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_FAILED);
    expect_message(msg, "forges");
    free(msg);
}

Test(verdict, skipped_with_the_reason)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    rec.skip_reason = "no OpenCL device";
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_SKIPPED);
    cr_assert_str_eq(msg, "skipped: no OpenCL device");
    free(msg);
}

Test(verdict, failed_checks_name_the_first_and_count_the_rest)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    rec.nfails = 3;
    rec.first_fail = "test_x.c:9: sum: expected 3, got 2";
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_FAILED);
    cr_assert_str_eq(msg,
                     "test_x.c:9: sum: expected 3, got 2 (and 2 more failed "
                     "checks)");
    free(msg);
    rec.nfails = 1;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_FAILED);
    cr_assert_str_eq(msg, "test_x.c:9: sum: expected 3, got 2");
    free(msg);
}

Test(verdict, crash_record_with_the_sanitizer_line_without_staged_paths)
{
    sandbox_result sr = {
        .signaled = 1,
        .term_signal = 6,
        .err = "noise\n/staged/tree/exercises/00_x/x.c:3:5: runtime error: "
               "signed integer overflow\nmore\n"};
    harness_records rec = {.started = 1, .crash_signal = "SIGABRT"};
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_CRASHED);
    cr_assert_str_eq(msg, "crashed with SIGABRT: UndefinedBehaviorSanitizer "
                          "at exercises/00_x/x.c:3:5: signed integer "
                          "overflow");
    free(msg);
}

/* An AddressSanitizer report as gcc's runtime prints it (trimmed). */
static const char ASAN_REPORT[] =
    "=================================================================\n"
    "==7==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602 at "
    "pc 0x55 bp 0x7f sp 0x7e\n"
    "WRITE of size 4 at 0x602000000018 thread T0\n"
    "    #0 0x55 in vec_grow /staged/tree/exercises/04_x/helpers.h:9\n"
    "    #1 0x55 in vec_push /staged/tree/exercises/04_x/vector.c:31\n"
    "    #2 0x55 in ll_body_x /staged/tree/exercises/04_x/test_vector.c:12\n"
    "    #3 0x7f in criterion_internal_test_main "
    "(/lib/libcriterion.so.3+0xe6de)\n"
    "\n"
    "SUMMARY: AddressSanitizer: heap-buffer-overflow "
    "/staged/tree/exercises/04_x/helpers.h:9 in vec_grow\n"
    "Shadow bytes around the buggy address:\n";

Test(verdict, asan_headline_kind_student_line_and_access)
{
    sandbox_result sr = {
        .signaled = 1, .term_signal = 6, .err = (char *)ASAN_REPORT};
    harness_records rec = {.started = 1};
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_CRASHED);
    /* helpers.h is a protected header, but not a test: the first frame of
     * the exercise's own code */
    cr_assert_str_eq(msg, "AddressSanitizer: heap-buffer-overflow at "
                          "exercises/04_x/helpers.h:9 in vec_grow (WRITE of "
                          "size 4)");
    free(msg);
}

/* A LeakSanitizer report (two leaks), as after a test. */
static const char LEAK_REPORT[] =
    "\n=================================================================\n"
    "==9==ERROR: LeakSanitizer: detected memory leaks\n"
    "\n"
    "Direct leak of 40 byte(s) in 1 object(s) allocated from:\n"
    "    #0 0x7f in __interceptor_malloc ../asan_malloc_linux.cpp:69\n"
    "    #1 0x55 in vec_new /staged/tree/exercises/04_x/vector.c:18\n"
    "    #2 0x55 in ll_body_x /staged/tree/exercises/04_x/test_vector.c:20\n"
    "\n"
    "Direct leak of 8 byte(s) in 1 object(s) allocated from:\n"
    "    #0 0x7f in __interceptor_malloc ../asan_malloc_linux.cpp:69\n"
    "\n"
    "SUMMARY: AddressSanitizer: 48 byte(s) leaked in 2 allocation(s).\n";

Test(verdict, leak_report_alone_fails_with_the_leak_headline)
{
    sandbox_result sr = {
        .exited = 1, .exit_code = 1, .err = (char *)LEAK_REPORT};
    harness_records rec = said_done();
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_FAILED);
    cr_assert_str_eq(msg, "LeakSanitizer: memory leak, 48 byte(s) leaked in "
                          "2 allocation(s); the first allocated at "
                          "exercises/04_x/vector.c:18 in vec_new");
    free(msg);
}

Test(verdict, harness_leak_record_reads_as_the_leak_headline)
{
    sandbox_result sr = {
        .exited = 1, .exit_code = 1, .err = (char *)LEAK_REPORT};
    harness_records rec = {.started = 1,
                           .done = 1,
                           .nfails = 1,
                           .first_fail = "(end of test):0: memory leak: ..."};
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_FAILED);
    expect_message(msg, "LeakSanitizer: memory leak, 48 byte(s) leaked");
    expect_message(msg, "exercises/04_x/vector.c:18 in vec_new");
    free(msg);
}

Test(verdict, never_started)
{
    sandbox_result sr = {.signaled = 1, .term_signal = 11, .err = ""};
    harness_records rec = {0};
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_CRASHED);
    expect_message(msg, "killed by SIGSEGV before the test started");
    free(msg);
    sandbox_result quiet = {.exited = 1, .exit_code = 0, .err = ""};
    cr_assert_eq(decide(&quiet, &rec, &msg), TV_FAILED);
    expect_message(msg, "the test never started");
    free(msg);
}

Test(verdict, ended_before_its_checks_finished)
{
    sandbox_result sr = clean_exit(); /* exit(0) inside a test: Criterion
                                         counts it as passed */
    harness_records rec = {.started = 1};
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_FAILED);
    expect_message(msg, "ended before its checks finished");
    free(msg);
}

Test(verdict, checks_passed_but_the_program_did_not_end_well)
{
    harness_records rec = said_done();
    sandbox_result status = {.exited = 1, .exit_code = 2, .err = ""};
    char *msg;
    cr_assert_eq(decide(&status, &rec, &msg), TV_FAILED);
    expect_message(msg, "exited with status 2");
    free(msg);
    sandbox_result killed = {.signaled = 1, .term_signal = 9, .err = ""};
    cr_assert_eq(decide(&killed, &rec, &msg), TV_FAILED);
    expect_message(msg, "killed by SIGKILL");
    free(msg);
}

Test(verdict, processes_left_behind)
{
    sandbox_result sr = clean_exit();
    sr.leftovers = 2;
    harness_records rec = said_done();
    char *msg;
    cr_assert_eq(decide(&sr, &rec, &msg), TV_FAILED);
    expect_message(msg, "left 2 processes running");
    free(msg);
}

Test(verdict, race_tier_reads_threadsanitizer)
{
    sandbox_result sr = {.exited = 1,
                         .exit_code = 66,
                         .err =
                             "WARNING: ThreadSanitizer: data race (pid=1)\n"
                             "  Write of size 4 at 0x1 by thread T2:\n"
                             "    #0 sum_kernel /t/x.cu:25 (a+0x1)\n\n"
                             "  Previous write of size 4 at 0x1 by thread T1:\n"
                             "    #0 sum_kernel /t/x.cu:25 (a+0x1)\n"};
    test_result t = {.verdict = TV_FAILED, .message = xstrdup("exit 66")};
    verdict_read_tsan(&sr, "/t/", &t);
    cr_assert_eq(t.verdict, TV_RACE);
    expect_message(t.message, "data race in sum_kernel");
    expect_message(t.message, "x.cu:25");
    test_result_free(&t);

    sandbox_result other = {.exited = 1, .exit_code = 1, .err = ""};
    test_result u = {.verdict = TV_FAILED, .message = xstrdup("wrong sum")};
    verdict_read_tsan(&other, "", &u);
    cr_assert_eq(u.verdict, TV_FAILED);
    expect_message(u.message, "in the race tier");
    expect_message(u.message, "wrong sum");
    test_result_free(&u);

    test_result ok = {.verdict = TV_PASSED};
    verdict_read_tsan(&other, "", &ok);
    cr_assert_eq(ok.verdict, TV_PASSED);
    cr_assert_null(ok.message);
}

static const run_variant MUST_PASS = {.outcome = OUTCOME_MUST_PASS,
                                      .prefix = "not in reverse: "};
static const run_variant FAILS = {.outcome = OUTCOME_FINDING_FAILS,
                                  .prefix = "checker finds: "};
static const run_variant EXPLAINS = {.outcome = OUTCOME_FINDING_EXPLAINS,
                                     .prefix = "; checker says: "};

Test(variants, a_run_that_must_pass_takes_the_pass_away)
{
    test_result t = {.verdict = TV_PASSED, .wall_s = 1};
    test_result later = {.verdict = TV_PASSED, .wall_s = 2};
    verdict_combine(&MUST_PASS, &t, &later);
    cr_assert_eq(t.verdict, TV_PASSED);
    cr_assert_float_eq(t.wall_s, 3, 1e-9);

    test_result bad = {.name = xstrdup("s/t"),
                       .verdict = TV_CRASHED,
                       .message = xstrdup("crashed"),
                       .wall_s = 4};
    verdict_combine(&MUST_PASS, &t, &bad);
    cr_assert_eq(t.verdict, TV_CRASHED);
    cr_assert_str_eq(t.message, "not in reverse: crashed");
    cr_assert_float_eq(t.wall_s, 7, 1e-9);
    test_result_free(&t);
}

Test(variants, a_checker_finding_fails_a_passing_test)
{
    test_result t = {.verdict = TV_PASSED, .wall_s = 1};
    test_result quiet = {.verdict = TV_PASSED, .wall_s = 1};
    verdict_combine(&FAILS, &t, &quiet);
    cr_assert_eq(t.verdict, TV_PASSED);
    cr_assert_float_eq(t.wall_s, 2, 1e-9);
    test_result found = {.verdict = TV_PASSED,
                         .message = xstrdup("barrier divergence")};
    verdict_combine(&FAILS, &t, &found);
    cr_assert_eq(t.verdict, TV_FAILED);
    cr_assert_str_eq(t.message, "checker finds: barrier divergence");
    test_result_free(&t);
}

Test(variants, a_checker_finding_explains_a_failure)
{
    test_result t = {.verdict = TV_CRASHED,
                     .message = xstrdup("crashed with SIGSEGV"),
                     .wall_s = 1};
    test_result found = {
        .verdict = TV_FAILED, .message = xstrdup("invalid read"), .wall_s = 9};
    verdict_combine(&EXPLAINS, &t, &found);
    cr_assert_eq(t.verdict, TV_CRASHED);
    cr_assert_str_eq(t.message,
                     "crashed with SIGSEGV; checker says: invalid read");
    cr_assert_float_eq(t.wall_s, 1, 1e-9, "the explaining run is not timed");
    test_result nothing = {.verdict = TV_FAILED};
    verdict_combine(&EXPLAINS, &t, &nothing);
    cr_assert_str_eq(t.message,
                     "crashed with SIGSEGV; checker says: invalid read");
    test_result_free(&t);
}

/* A result with one test of each of the given verdicts. */
static void make_result(exercise_result *r, const test_verdict *v, size_t n)
{
    memset(r, 0, sizeof *r);
    r->tests = xcalloc(n, sizeof *r->tests);
    r->ntests = n;
    for (size_t i = 0; i < n; i++) {
        r->tests[i].name = xasprintf("s/t%zu", i);
        r->tests[i].verdict = v[i];
    }
}

Test(score, points_split_evenly_passed_only_when_all_pass)
{
    exercise ex = {.points = 10};
    exercise_result r;
    make_result(&r, (test_verdict[]){TV_PASSED, TV_FAILED, TV_PASSED, TV_RACE},
                4);
    score_exercise(&ex, &r);
    cr_assert_eq(r.verdict, EV_FAILED);
    cr_assert_float_eq(r.score, 5, 1e-9);
    cr_assert_float_eq(r.max_score, 10, 1e-9);
    cr_assert_float_eq(r.tests[3].score, 0, 1e-9, "a race scores nothing");
    cr_assert_float_eq(r.tests[3].max_score, 2.5, 1e-9);
    exercise_result_free(&r);

    make_result(&r, (test_verdict[]){TV_PASSED, TV_PASSED}, 2);
    score_exercise(&ex, &r);
    cr_assert_eq(r.verdict, EV_PASSED);
    cr_assert_float_eq(r.score, 10, 1e-9);
    exercise_result_free(&r);
}

Test(score, a_skipped_test_skips_the_exercise)
{
    exercise ex = {.points = 6};
    exercise_result r;
    make_result(&r, (test_verdict[]){TV_PASSED, TV_SKIPPED, TV_FAILED}, 3);
    score_exercise(&ex, &r);
    cr_assert_eq(r.verdict, EV_SKIPPED);
    cr_assert_float_eq(r.score, 2, 1e-9);
    exercise_result_free(&r);
}

Test(score, no_tests_is_no_pass)
{
    exercise ex = {.points = 6};
    exercise_result r = {0};
    score_exercise(&ex, &r);
    cr_assert_eq(r.verdict, EV_FAILED);
    cr_assert_float_eq(r.score, 0, 1e-9);
}

Test(score, the_perf_test_scores_by_its_tier)
{
    perf_tier tiers[] = {{1.0, 0.5}, {2.0, 1.0}};
    perf_spec perf = {
        .test = "s/t0", .metric = "gflops", .tiers = tiers, .ntiers = 2};
    exercise ex = {.points = 20, .perf = &perf, .nperf = 1};
    const double measured[] = {0.5, 1.5, 3.0, -1};
    const double points[] = {0, 5, 10, 0};
    for (size_t k = 0; k < 4; k++) {
        exercise_result r;
        make_result(&r, (test_verdict[]){TV_PASSED, TV_PASSED}, 2);
        if (measured[k] >= 0) { /* -1: the metric was never reported */
            r.tests[0].metrics = xcalloc(1, sizeof *r.tests[0].metrics);
            r.tests[0].metrics[0] = (metric){xstrdup("gflops"), measured[k]};
            r.tests[0].nmetrics = 1;
        }
        score_exercise(&ex, &r);
        cr_assert_float_eq(r.tests[0].score, points[k], 1e-9, "tier %zu", k);
        cr_assert_eq(r.verdict, EV_PASSED, "a slow pass still passes");
        if (points[k] == 0 && measured[k] < 0)
            expect_message(r.tests[0].message, "did not report gflops");
        else if (points[k] < 10)
            expect_message(r.tests[0].message, points[k] ? "tier 2 needs >= 2"
                                                         : "tier 1 needs >= 1");
        else
            cr_assert_null(r.tests[0].message);
        exercise_result_free(&r);
    }
}

/* Counters: lower is better; each test of an exercise may have its own
 * spec, and the message names the counter, the next bound and the advice. */
Test(score, counter_tiers_are_reached_from_above)
{
    perf_tier tiers[] = {{4096, 0.25}, {1024, 1.0}};
    perf_spec perf[] = {{.test = "s/t1",
                         .metric = "sectors",
                         .lower_is_better = 1,
                         .label = "global load sectors",
                         .advice = "coalesced?",
                         .tiers = tiers,
                         .ntiers = 2}};
    exercise ex = {.points = 20, .perf = perf, .nperf = 1};
    const double measured[] = {8192, 4096, 1024, 10};
    const double points[] = {0, 2.5, 10, 10};
    for (size_t k = 0; k < 4; k++) {
        exercise_result r;
        make_result(&r, (test_verdict[]){TV_PASSED, TV_PASSED}, 2);
        r.tests[1].metrics = xcalloc(1, sizeof *r.tests[1].metrics);
        r.tests[1].metrics[0] = (metric){xstrdup("sectors"), measured[k]};
        r.tests[1].nmetrics = 1;
        score_exercise(&ex, &r);
        cr_assert_float_eq(r.tests[1].score, points[k], 1e-9, "value %g",
                           measured[k]);
        cr_assert_float_eq(r.tests[0].score, 10, 1e-9, "untiered test");
        cr_assert_eq(below_counter_top_tier(&ex, &r.tests[1]), points[k] < 10,
                     "value %g", measured[k]);
        if (points[k] < 10)
            expect_message(r.tests[1].message,
                           points[k] ? "sectors 4096: tier 1 of 2 (25%"
                                     : "tier 1 needs <= 4096: coalesced?");
        else
            cr_assert_null(r.tests[1].message);
        exercise_result_free(&r);
    }
}

Test(exercise, rejected_exercises_run_no_test)
{
    static const exercise_verdict rejected[] = {EV_TAMPERED, EV_BUILD_ERROR};
    for (size_t k = 0; k < 2; k++) {
        exercise ex = {.id = "00_x", .title = "x", .points = 4};
        exercise_result r;
        result_init(&ex, "abc", &r);
        char *names[] = {"s/a", "s/b"};
        result_add_tests(&r, names, 2);
        cr_assert_eq(r.tests[1].verdict, TV_NOT_RUN);
        cr_assert_float_eq(r.max_score, 4, 1e-9);
        result_reject(&r, rejected[k], xstrdup("why"));
        cr_assert_eq(r.verdict, rejected[k]);
        cr_assert_str_eq(r.message, "why");
        for (size_t i = 0; i < r.ntests; i++) {
            cr_assert_eq(r.tests[i].verdict, TV_NOT_RUN);
            cr_assert_str_eq(r.tests[i].message, "why");
        }
        cr_assert_float_eq(r.score, 0, 1e-9);
        exercise_result_free(&r);
    }
}

Test(exercise, verdict_names_read_back)
{
    for (int v = TV_PASSED; v <= TV_RACE; v++) {
        test_verdict back;
        cr_assert_eq(test_verdict_parse(test_verdict_name(v), &back), 0);
        cr_assert_eq(back, v);
    }
    for (int v = EV_PASSED; v <= EV_TAMPERED; v++) {
        exercise_verdict back;
        cr_assert_eq(exercise_verdict_parse(exercise_verdict_name(v), &back),
                     0);
        cr_assert_eq(back, v);
    }
}

/* ---- judge mode: check records decide, not the process's own word -------- */

#include "check_records.h"

/* The judge's verdict of one run whose process wrote `observed`, against
 * an expectation log of one integer check (5 at t.c:1). */
static test_verdict judge_run(const sandbox_result *sr,
                              const harness_records *rec, const buf *observed,
                              char **message)
{
    buf e = {0};
    i64_rec(&e, 2, CHECK_INT, "t.c:1", "add(2, 3)", 5);
    end_rec(&e);
    check_log expected;
    check_log_parse(e.data, e.len, &expected);
    const run_facts f = {sr, rec, 10, 1024, NULL, "", 0, 0, NULL, NULL, NULL};
    test_result t = {0};
    verdict_judge(&f, &expected, NULL, observed->data, observed->len, &t);
    check_log_free(&expected);
    free(e.data);
    *message = t.message;
    return t.verdict;
}

Test(judge, matching_checks_and_a_clean_end_pass)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    buf o = {0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    end_rec(&o);
    char *msg;
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_PASSED, "%s", msg);
    free(o.data);
}

Test(judge, done_and_no_failures_do_not_pass_a_wrong_value)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done(); /* the process claims success */
    buf o = {0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 2);
    end_rec(&o);
    char *msg;
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_FAILED);
    expect_message(msg, "add(2, 3): expected 5, got 2");
    free(msg);
    free(o.data);
}

Test(judge, no_observations_fail_even_with_a_done_record)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    buf o = {0};
    char *msg;
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_FAILED);
    expect_message(msg, "stopped before this check");
    free(msg);
}

Test(judge, a_forged_done_record_does_not_matter_either_way)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    rec.forged = 1;
    buf o = {0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    end_rec(&o);
    char *msg;
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_PASSED, "%s", msg);
    free(o.data);
}

Test(judge, a_crash_after_the_checks_is_a_crash)
{
    sandbox_result sr = {.signaled = 1, .term_signal = 11, .err = ""};
    harness_records rec = {.started = 1, .crash_signal = "SIGSEGV"};
    buf o = {0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    char *msg;
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_CRASHED);
    free(msg);
    free(o.data);
}

Test(judge, a_wrong_value_before_a_crash_names_the_value)
{
    sandbox_result sr = {.signaled = 1, .term_signal = 11, .err = ""};
    harness_records rec = {.started = 1, .crash_signal = "SIGSEGV"};
    buf o = {0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 4);
    char *msg;
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_FAILED);
    expect_message(msg, "expected 5, got 4");
    free(msg);
    free(o.data);
}

Test(judge, its_own_failure_record_counts_against_it)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    rec.nfails = 1;
    rec.first_fail = "(end of test): memory leak";
    buf o = {0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    end_rec(&o);
    char *msg;
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_FAILED);
    expect_message(msg, "memory leak");
    free(msg);
    free(o.data);
}

Test(judge, a_claimed_skip_fails)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    rec.skip_reason = "needs a GPU";
    buf o = {0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    end_rec(&o);
    char *msg;
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_FAILED);
    expect_message(msg, "only the reference run can skip");
    free(msg);
    free(o.data);
}

Test(judge, extra_checks_and_a_missing_end_fail)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    buf o = {0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    end_rec(&o);
    char *msg;
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_FAILED);
    expect_message(msg, "more checks");
    free(msg);
    free(o.data);
    o = (buf){0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_FAILED);
    expect_message(msg, "did not reach its end");
    free(msg);
    free(o.data);
}

Test(judge, a_bad_exit_status_after_matching_checks_fails)
{
    sandbox_result sr = {.exited = 1, .exit_code = 1, .err = ""};
    harness_records rec = said_done();
    buf o = {0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    end_rec(&o);
    char *msg;
    cr_assert_eq(judge_run(&sr, &rec, &o, &msg), TV_FAILED);
    expect_message(msg, "exited with status 1");
    free(msg);
    free(o.data);
}

/* ---- judge mode with the CUDA simulator's device report ------------------ */

/* A device report whose only non-zero counts are K and H. */
static device_report device_with(unsigned long long k, unsigned long long h)
{
    device_report d = {0};
    d.count[DC_LAUNCHES] = 1;
    d.count[DC_KERNEL_BYTES_TO_HOST] = k;
    d.count[DC_HOST_BYTES_TO_HOST] = h;
    return d;
}

/* The judge's verdict of a device run of kind `kind`: the reference copied
 * back 400 bytes of kernel output and nothing host-written; `seen` is the
 * run's own report (NULL: none came, for `missing`). */
static test_verdict judge_kind_run(kind_id kind, const sandbox_result *sr,
                                   const harness_records *rec,
                                   const buf *observed,
                                   const device_report *seen,
                                   const char *missing, char **message)
{
    buf e = {0};
    i64_rec(&e, 2, CHECK_INT, "t.c:1", "add(2, 3)", 5);
    gpu_rec(&e, 400, 0);
    end_rec(&e);
    check_log expected;
    check_log_parse(e.data, e.len, &expected);
    const device_report reference = device_with(400, 0);
    const run_facts f = {sr,
                         rec,
                         10,
                         1024,
                         NULL,
                         "",
                         0,
                         1,
                         seen,
                         missing,
                         kind_get(kind)->device_report};
    test_result t = {0};
    verdict_judge(&f, &expected, &reference, observed->data, observed->len, &t);
    check_log_free(&expected);
    free(e.data);
    *message = t.message;
    return t.verdict;
}

static test_verdict judge_device_run(const sandbox_result *sr,
                                     const harness_records *rec,
                                     const buf *observed,
                                     const device_report *seen,
                                     const char *missing, char **message)
{
    return judge_kind_run(KIND_CUDA, sr, rec, observed, seen, missing, message);
}

/* An observation log: the check, the harness's GPU record (k, h; k < 0:
 * none), the end. */
static buf device_log(long long k, unsigned long long h)
{
    buf o = {0};
    i64_rec(&o, 1, CHECK_INT, "t.c:1", "", 5);
    if (k >= 0)
        gpu_rec(&o, (uint64_t)k, h);
    end_rec(&o);
    return o;
}

Test(judge_device, the_reports_decide_and_a_true_record_agrees)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    buf o = device_log(400, 0);
    const device_report seen = device_with(400, 0);
    char *msg;
    cr_assert_eq(judge_device_run(&sr, &rec, &o, &seen, NULL, &msg), TV_PASSED,
                 "%s", msg);
    free(o.data);
    /* the record is optional: the report decides */
    o = device_log(-1, 0);
    cr_assert_eq(judge_device_run(&sr, &rec, &o, &seen, NULL, &msg), TV_PASSED,
                 "%s", msg);
    free(o.data);
}

Test(judge_device, host_results_fail_whatever_the_record_says)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    buf o = device_log(-1, 0);
    device_report seen = device_with(0, 0);
    char *msg;
    cr_assert_eq(judge_device_run(&sr, &rec, &o, &seen, NULL, &msg), TV_FAILED);
    expect_message(msg, "nothing a kernel wrote was copied back");
    free(msg);
    seen = device_with(400, 400);
    cr_assert_eq(judge_device_run(&sr, &rec, &o, &seen, NULL, &msg), TV_FAILED);
    expect_message(msg, "400 bytes copied back from device memory were "
                        "written there by host code");
    free(msg);
    free(o.data);
}

Test(judge_device, a_record_that_differs_from_the_report_is_forged)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    buf o = device_log(400, 0); /* claims kernel work */
    const device_report seen = device_with(0, 400);
    char *msg;
    cr_assert_eq(judge_device_run(&sr, &rec, &o, &seen, NULL, &msg), TV_FAILED);
    expect_message(msg, "device process saw 0 and 400 (a forged record)");
    free(msg);
    free(o.data);
    o = device_log(400, 0);
    gpu_rec(&o, 400, 0); /* a second record */
    const device_report good = device_with(400, 0);
    cr_assert_eq(judge_device_run(&sr, &rec, &o, &good, NULL, &msg), TV_FAILED);
    expect_message(msg, "records of the GPU's work");
    free(msg);
    free(o.data);
}

Test(judge_device, no_report_fails_unless_the_run_failed_anyway)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    buf o = device_log(400, 0);
    char *msg;
    cr_assert_eq(
        judge_device_run(&sr, &rec, &o, NULL, "there is no report", &msg),
        TV_FAILED);
    expect_message(msg, "gave no usable report of the test's GPU work "
                        "(there is no report)");
    free(msg);
    sandbox_result crashed = {.signaled = 1, .term_signal = 11, .err = ""};
    harness_records crash = {.started = 1, .crash_signal = "SIGSEGV"};
    cr_assert_eq(judge_device_run(&crashed, &crash, &o, NULL,
                                  "there is no report", &msg),
                 TV_CRASHED);
    free(msg);
    sandbox_result late = {.timed_out = 1, .err = ""};
    cr_assert_eq(
        judge_device_run(&late, &rec, &o, NULL, "there is no report", &msg),
        TV_TIMEOUT);
    free(msg);
    free(o.data);
}

Test(judge_device, messages_name_the_kinds_device_process_and_host_writes)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    buf o = device_log(400, 0);
    const device_report host = device_with(400, 400);
    const device_report forged = device_with(0, 400);
    char *msg;
    /* CUDA: the simulator and its runtime's calls */
    cr_assert_eq(judge_kind_run(KIND_CUDA, &sr, &rec, &o, &forged, NULL, &msg),
                 TV_FAILED);
    expect_message(msg, "but the CUDA simulator's device process saw 0 and "
                        "400 (a forged record)");
    free(msg);
    free(o.data);
    o = device_log(-1, 0);
    cr_assert_eq(judge_kind_run(KIND_CUDA, &sr, &rec, &o, &host, NULL, &msg),
                 TV_FAILED);
    expect_message(msg, "written there by host code (cudaMemcpy or cudaMemset "
                        "to the device), not by a kernel");
    free(msg);
    /* OpenCL: cltrack's device process and OpenCL's calls, no CUDA word */
    cr_assert_eq(judge_kind_run(KIND_OPENCL, &sr, &rec, &o, &host, NULL, &msg),
                 TV_FAILED);
    expect_message(msg, "400 bytes copied back from device memory were "
                        "written there by host code (clEnqueueWriteBuffer");
    cr_assert_null(strstr(msg, "cuda"), "%s", msg);
    free(msg);
    cr_assert_eq(judge_kind_run(KIND_OPENCL, &sr, &rec, &o, NULL,
                                "there is no report", &msg),
                 TV_FAILED);
    expect_message(msg, "the OpenCL device process (cltrack) gave no usable "
                        "report of the test's GPU work (there is no report)");
    cr_assert_null(strstr(msg, "CUDA"), "%s", msg);
    free(msg);
    free(o.data);
    o = device_log(400, 0);
    cr_assert_eq(
        judge_kind_run(KIND_OPENCL, &sr, &rec, &o, &forged, NULL, &msg),
        TV_FAILED);
    expect_message(msg, "but the OpenCL device process (cltrack) saw 0 and "
                        "400 (a forged record)");
    free(msg);
    free(o.data);
}

Test(judge_device, content_tracking_leaves_a_kernel_some_unchanged_bytes)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    buf o = device_log(-1, 0);
    char *msg;
    /* OpenCL decides origins by content: a kernel's output into a buffer
     * the host initialised leaves the bytes it did not change the host's;
     * up to 1/16 of the reference's 400 kernel bytes pass */
    const device_report some = device_with(380, 25);
    cr_assert_eq(judge_kind_run(KIND_OPENCL, &sr, &rec, &o, &some, NULL, &msg),
                 TV_PASSED, "%s", msg);
    const device_report more = device_with(380, 26);
    cr_assert_eq(judge_kind_run(KIND_OPENCL, &sr, &rec, &o, &more, NULL, &msg),
                 TV_FAILED);
    expect_message(msg, "26 bytes copied back from device memory were written "
                        "there by host code");
    free(msg);
    /* the simulator sees every store: no host byte is a kernel's */
    const device_report one = device_with(400, 1);
    cr_assert_eq(judge_kind_run(KIND_CUDA, &sr, &rec, &o, &one, NULL, &msg),
                 TV_FAILED);
    expect_message(msg, "1 bytes copied back");
    free(msg);
    free(o.data);
}

/* The Chinese of msg through the grader's built-in catalog (caller frees). */
static char *in_chinese(const char *msg)
{
    const i18n_catalog *cats[] = {i18n_builtin_zh(NULL)};
    return i18n_match_translate(cats, 1, msg);
}

Test(judge_device, the_messages_of_both_kinds_read_in_chinese)
{
    sandbox_result sr = clean_exit();
    harness_records rec = said_done();
    buf o = device_log(-1, 0);
    const device_report host = device_with(400, 400);
    char *msg, *zh;
    cr_assert_eq(judge_kind_run(KIND_OPENCL, &sr, &rec, &o, &host, NULL, &msg),
                 TV_FAILED);
    zh = in_chinese(msg);
    cr_assert_str_eq(zh, "结果不是由内核计算的：从设备内存复制回来的 400 "
                         "字节是由主机代码写到那里的（clEnqueueWriteBuffer、"
                         "clEnqueueFillBuffer、映射的缓冲区或用主机内存创建的"
                         "缓冲区），而不是由内核写入的");
    free(zh);
    free(msg);
    cr_assert_eq(judge_kind_run(KIND_CUDA, &sr, &rec, &o, &host, NULL, &msg),
                 TV_FAILED);
    zh = in_chinese(msg);
    cr_assert(strstr(zh, "（向设备的 cudaMemcpy 或 cudaMemset）") != NULL, "%s",
              zh);
    free(zh);
    free(msg);
    cr_assert_eq(judge_kind_run(KIND_OPENCL, &sr, &rec, &o, NULL,
                                "there is no report", &msg),
                 TV_FAILED);
    zh = in_chinese(msg);
    cr_assert(strstr(zh, "OpenCL 设备进程（cltrack）没有给出测试 GPU 工作的"
                         "可用报告") != NULL,
              "%s", zh);
    free(zh);
    free(msg);
    free(o.data);
    o = device_log(400, 0);
    const device_report forged = device_with(0, 400);
    cr_assert_eq(
        judge_kind_run(KIND_OPENCL, &sr, &rec, &o, &forged, NULL, &msg),
        TV_FAILED);
    zh = in_chinese(msg);
    cr_assert(strstr(zh, "但OpenCL 设备进程（cltrack）看到的是 0 和 400（伪造"
                         "的记录）") != NULL,
              "%s", zh);
    free(zh);
    free(msg);
    free(o.data);
}

/* ---- judge mode: counter tiers from the device report -------------------- */

/* A counter-graded spec: sectors = load + store sectors, at least one
 * launch, two tiers. */
static perf_spec counted_spec(perf_tier tiers[2])
{
    tiers[0] = (perf_tier){8192, 0.5};
    tiers[1] = (perf_tier){2048, 1.0};
    perf_spec p = {.test = "counted/copy",
                   .metric = "sectors",
                   .lower_is_better = 1,
                   .tiers = tiers,
                   .ntiers = 2};
    p.judge_counters.sum[0] = DC_GLOBAL_LOAD_SECTORS;
    p.judge_counters.sum[1] = DC_GLOBAL_STORE_SECTORS;
    p.judge_counters.nsum = 2;
    p.judge_counters.scale = 1;
    p.judge_counters.require[0] =
        (counter_bound){{DC_LAUNCHES}, 1, 1, HUGE_VAL};
    p.judge_counters.nrequire = 1;
    return p;
}

static device_report counted(unsigned long long load, unsigned long long store)
{
    device_report d = device_with(400, 0);
    d.count[DC_GLOBAL_LOAD_SECTORS] = load;
    d.count[DC_GLOBAL_STORE_SECTORS] = store;
    return d;
}

/* Runs verdict_judge_counters on a passed test whose process reported
 * `own` (< 0: nothing). */
static test_result judge_counts(const device_report *d, double own)
{
    perf_tier tiers[2];
    const perf_spec p = counted_spec(tiers);
    metric m = {"sectors", own};
    harness_records rec = said_done();
    if (own >= 0) {
        rec.metrics = &m;
        rec.nmetrics = 1;
    }
    test_result t = {.name = "counted/copy", .verdict = TV_PASSED};
    verdict_judge_counters(&p, d, &rec, &t);
    return t;
}

Test(judge_counters, the_metric_comes_from_the_report)
{
    const device_report d = counted(1024, 1024);
    test_result t = judge_counts(&d, 2048);
    cr_assert_eq(t.verdict, TV_PASSED);
    cr_assert_null(t.message);
    cr_assert_eq(t.nmetrics, 1);
    cr_assert_str_eq(t.metrics[0].name, "sectors");
    cr_assert_float_eq(t.metrics[0].value, 2048, 1e-9);
    free(t.metrics[0].name);
    free(t.metrics);
    /* a process that reported nothing is graded the same */
    t = judge_counts(&d, -1);
    cr_assert_float_eq(t.metrics[0].value, 2048, 1e-9);
    free(t.metrics[0].name);
    free(t.metrics);
}

Test(judge_counters, a_metric_that_differs_from_the_report_earns_nothing)
{
    const device_report d = counted(8192, 8192); /* uncoalesced */
    test_result t = judge_counts(&d, 0);         /* counters reset */
    cr_assert_eq(t.verdict, TV_PASSED);
    expect_message(t.message, "reported sectors 0 where the simulator's "
                              "device process counted 16384");
    cr_assert_eq(t.nmetrics, 1);
    cr_assert_str_eq(t.metrics[0].name, "judge_forged_metric");
    free(t.metrics[0].name);
    free(t.metrics);
    free(t.message);
}

Test(judge_counters, a_broken_condition_fails_and_uncounted_earns_nothing)
{
    device_report d = counted(1024, 1024);
    d.count[DC_LAUNCHES] = 0;
    test_result t = judge_counts(&d, 2048);
    cr_assert_eq(t.verdict, TV_FAILED);
    expect_message(t.message, "counted launches = 0 over the whole test, but "
                              "this test needs at least 1");
    cr_assert_eq(t.nmetrics, 0);
    free(t.message);
    d = counted(1024, 1024);
    d.count[DC_UNCOUNTED_ACCESSES] = 3;
    t = judge_counts(&d, 2048);
    cr_assert_eq(t.verdict, TV_PASSED);
    expect_message(t.message, "could not count 3 of the kernels' accesses");
    cr_assert_eq(t.nmetrics, 0);
    free(t.message);
}
