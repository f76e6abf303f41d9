/* test_race_corpus.c: the race tier on the kernels of race_corpus.cu.
 *
 * Each kernel runs in four thread orders (forward, reverse, two shuffles);
 * every racy kernel must be reported in every order, no race-free kernel in
 * any, and race-free kernels must compute the right result. The table of
 * reports is printed (make -C hardware test shows it). Run with
 * TSAN_OPTIONS=halt_on_error=0 exitcode=0.
 */
#include "llmlings.h"
#include "race_corpus.h"

#include <cuda_runtime.h>

#include <stdio.h>
#include <string.h>

static const struct {
    enum cudasimOrder order;
    unsigned seed;
} orders[] = {{cudasimForward, 1},
              {cudasimReverse, 1},
              {cudasimShuffle, 1},
              {cudasimShuffle, 7}};
enum { NORDERS = sizeof orders / sizeof orders[0] };

/* Runs entry i in every order: in how many a race was reported; *wrong
 * counts the runs with an error or a wrong result. */
static int orders_reported(int i, int *wrong)
{
    int reported = 0;
    *wrong = 0;
    for (int o = 0; o < NORDERS; o++) {
        cudasimSetOrder(orders[o].order, orders[o].seed);
        cudasimRaceForget();
        unsigned long before = cudasimRaceReports();
        int rc = race_corpus_run(i);
        reported += cudasimRaceReports() > before;
        *wrong += rc != 0 && !race_corpus_racy(i);
    }
    cudasimSetOrder(cudasimForward, 1);
    return reported;
}

LL_TEST(race_corpus, every_race_reported_no_false_report)
{
    int racy = 0, caught = 0, clean = 0, clean_reported = 0;
    int false_reports = 0, wrong = 0;
    char missed[1024] = "", falsely[1024] = "";
    printf("\n%-38s %-6s %s\n", "kernel", "race?", "reported in");
    for (int i = 0; i < race_corpus_count(); i++) {
        int bad = 0, hits = orders_reported(i, &bad);
        int is_racy = race_corpus_racy(i);
        printf("%-38s %-6s %d/%d orders   %s\n", race_corpus_name(i),
               is_racy ? "yes" : "no", hits, NORDERS, race_corpus_what(i));
        wrong += bad;
        if (is_racy) {
            racy++;
            caught += hits == NORDERS;
            if (hits < NORDERS)
                snprintf(missed + strlen(missed),
                         sizeof missed - strlen(missed), " %s",
                         race_corpus_name(i));
        } else {
            clean++;
            false_reports += hits;
            clean_reported += hits > 0;
            if (hits > 0)
                snprintf(falsely + strlen(falsely),
                         sizeof falsely - strlen(falsely), " %s",
                         race_corpus_name(i));
        }
    }
    printf("racy kernels reported in every order: %d/%d; race-free kernels "
           "reported: %d/%d (%d false reports in %d runs)\n\n",
           caught, racy, clean_reported, clean, false_reports, clean * NORDERS);
    LL_CHECK(caught == racy, "racy kernels not reported in every order:%s",
             missed);
    LL_CHECK(false_reports == 0, "race-free kernels reported as racy:%s",
             falsely);
    LL_CHECK(wrong == 0,
             "%d run(s) of race-free kernels failed or computed a wrong "
             "result",
             wrong);
}
