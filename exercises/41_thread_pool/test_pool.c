/* Tests for 41_thread_pool. Students: read them, do not edit them.
 *
 * Correctness: every thread number runs once per run, on a thread of its own
 * that stays the same from run to run (the caller is thread 0); pool_run
 * returns only after every part has finished; no thread leaves a meeting
 * before all have arrived, over thousands of runs and meetings, with 1, 2
 * and odd numbers of threads; a job posted while a worker goes to sleep
 * still wakes it; an idle pool uses no CPU; pool_free ends every worker.
 * Where a broken pool would hang, the pool is driven from a second thread
 * and the test gives up after a deadline with a message saying where; that
 * thread only records what it saw, and the test's own thread checks it
 * afterwards, in a fixed order.
 *
 * Test data is seeded (ll_rand_*): pool sizes, the values the jobs compute
 * with, the values threads hand to each other through meetings. The checks
 * compare what the pool's threads computed from them with what they should
 * have computed.
 *
 * Speed (speed_vs_creating_threads): the cost of one meeting of 2 threads
 * against what starting and joining a thread costs (what 13_parallel_for
 * pays on every call), both measured in this run; the grader turns the
 * ratio into points with the tiers in exercises/manifest.json. In judge
 * mode the grader times perf_pool.c instead: runs of your pool against
 * runs that start and join a thread each (baseline_pool.c). */
#define _GNU_SOURCE /* syscall(SYS_gettid) */
#include "llmlings.h"
#include "pool.h"

#include <dirent.h>
#include <malloc.h> /* mallinfo2 (glibc) */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { MAX_N = 8 };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* Busy for `us` microseconds (a thread that arrives late). */
static void busy_us(double us)
{
    const double end = now_s() + us * 1e-6;
    while (now_s() < end)
        ;
}

static long my_tid(void)
{
    return (long)syscall(SYS_gettid);
}

/* Threads of this process, from /proc/self/task (-1 where it cannot be
 * read: the checks of counts then fail and say so). Makes no check: a
 * driver thread calls it too. */
static int task_count(void)
{
    DIR *d = opendir("/proc/self/task");
    if (d == NULL)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Until this process has `want` threads (an ended thread leaves the list a
 * moment after pthread_join returns); the count seen last. */
static int wait_task_count(int want)
{
    int n = task_count();
    for (int i = 0; i < 200 && n != want; i++) {
        sleep_us(5000);
        n = task_count();
    }
    return n;
}

/* ---- a job that records who ran it ----------------------------------- */

typedef struct {
    int n;
    uint64_t value; /* seeded, written by the caller before the run */
    atomic_int calls[MAX_N];
    atomic_int bad_thread; /* a thread number outside 0..n-1, or -1 */
    long tid[MAX_N];       /* written by thread t only */
    uint64_t made[MAX_N];  /* thread t: value * (t + 1) */
} Seen;

/* A fresh record for a run of n threads, with a seeded value drawn in the
 * test's own thread (ll_rand_* is not thread-safe). */
static void seen_reset(Seen *s, int n, uint64_t value)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->value = value;
    for (int t = 0; t < MAX_N; t++)
        atomic_init(&s->calls[t], 0);
    atomic_init(&s->bad_thread, -1);
}

static void record_job(void *ctx, int thread)
{
    Seen *s = ctx;
    if (thread < 0 || thread >= s->n) {
        atomic_store(&s->bad_thread, thread);
        return;
    }
    atomic_fetch_add(&s->calls[thread], 1);
    s->tid[thread] = my_tid();
    s->made[thread] = s->value * (uint64_t)(thread + 1);
}

/* After one run of record_job: every thread number exactly once, each on
 * a thread of its own, thread 0 on the caller (thread id `caller`), and
 * each computed value * (thread + 1) from the value the caller wrote. */
static void check_seen(const Seen *s, long caller, const char *what)
{
    const int bad = atomic_load(&s->bad_thread);
    LL_CHECK(bad == -1, "%s: the job was called with thread %d, expected 0..%d",
             what, bad, s->n - 1);
    for (int t = 0; t < s->n; t++) {
        const int c = atomic_load(&s->calls[t]);
        LL_CHECK(c == 1, "%s: job(ctx, %d) ran %d times, expected once", what,
                 t, c);
    }
    LL_CHECK(s->tid[0] == caller,
             "%s: thread 0 ran on thread id %ld, expected the caller (%ld)",
             what, s->tid[0], caller);
    for (int t = 1; t < s->n; t++)
        for (int u = 0; u < t; u++)
            LL_CHECK(s->tid[t] != s->tid[u],
                     "%s: threads %d and %d ran on the same thread (id %ld): "
                     "each must run on its own, at the same time",
                     what, u, t, s->tid[t]);
    char w[200];
    for (int t = 0; t < s->n; t++) {
        snprintf(w, sizeof w,
                 "%s: what job(ctx, %d) computed from the value the caller "
                 "wrote before pool_run (%llu * %d)",
                 what, t, (unsigned long long)s->value, t + 1);
        LL_CHECK_UINT_EQ(s->made[t], s->value * (uint64_t)(t + 1), w);
    }
}

/* A seeded value for a run (small enough that value * 8 fits). */
static uint64_t seeded_value(void)
{
    return ll_rand_u64() >> 4;
}

/* One run of record_job, checked; the thread ids it ran on into tids. */
static void run_and_check(Pool *p, long tids[MAX_N], const char *what)
{
    Seen s;
    seen_reset(&s, pool_size(p), seeded_value());
    pool_run(p, record_job, &s);
    check_seen(&s, my_tid(), what);
    memcpy(tids, s.tid, sizeof s.tid);
}

/* ---- driving a pool from a second thread, with a deadline -------------- */

typedef struct {
    void (*fn)(void *arg, char *progress, size_t cap);
    void *arg;
    char progress[200]; /* what the driver is doing: for the message */
    atomic_int done;
} Drive;

static void *drive_main(void *v)
{
    Drive *d = v;
    d->fn(d->arg, d->progress, sizeof d->progress);
    atomic_store(&d->done, 1);
    return NULL;
}

/* Runs fn(arg, progress) on a thread of its own and waits for it at most
 * `seconds`: a pool that hangs fails the test with the driver's last
 * progress note instead of running into the test's time limit. fn makes no
 * checks (only the test's own thread does, so that they come in a fixed
 * order): it records what it saw in arg, for the caller to check after.
 * Returns whether fn finished (when not, arg may still be in use). */
static bool drive(void (*fn)(void *, char *, size_t), void *arg, double seconds,
                  const char *what)
{
    static Drive d; /* outlives the test if the driver hangs */
    memset(&d, 0, sizeof d);
    d.fn = fn;
    d.arg = arg;
    atomic_init(&d.done, 0);
    pthread_t t;
    LL_CHECK_INT_EQ(pthread_create(&t, NULL, drive_main, &d), 0,
                    "pthread_create (test setup)");
    const double deadline = now_s() + seconds;
    while (!atomic_load(&d.done) && now_s() < deadline)
        sleep_us(1000);
    const int done = atomic_load(&d.done);
    LL_CHECK(done,
             "%s: no progress for %.0f s while %s (a worker that sleeps and is "
             "never woken? a meeting that waits for a thread that is gone?)",
             what, seconds, d.progress);
    if (!done)
        return false; /* the driver hangs: leave it */
    pthread_join(t, NULL);
    return true;
}

/* ---- the tests --------------------------------------------------------- */

LL_TEST(pool, every_thread_runs_the_job_once)
{
    /* fixed sizes, then a seeded one */
    const int sizes[] = {1, 2, 3, 4, 7, (int)ll_rand_int(1, MAX_N)};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        const int n = sizes[i];
        Pool *p = pool_new(n);
        char what[96];
        snprintf(what, sizeof what, "pool_new(%d)", n);
        LL_CHECK_NOT_NULL(p, what);
        LL_CHECK_INT_EQ(pool_size(p), n, "pool_size");
        long first[MAX_N], tids[MAX_N];
        for (int run = 0; run < 20; run++) {
            snprintf(what, sizeof what, "pool of %d, run %d", n, run + 1);
            run_and_check(p, run == 0 ? first : tids, what);
            for (int t = 1; run > 0 && t < n; t++)
                LL_CHECK(tids[t] == first[t],
                         "%s: thread %d ran on thread id %ld, in the first "
                         "run on %ld: the workers must live as long as the "
                         "pool (start them in pool_new, not in every run)",
                         what, t, tids[t], first[t]);
        }
        pool_free(p);
    }
}

typedef struct {
    int round;          /* written by the caller before each run: seeded */
    int out[MAX_N];     /* written by thread t, read by the caller after */
    int read_in[MAX_N]; /* the round thread t saw */
} Handover;

static void slow_job(void *ctx, int thread)
{
    Handover *h = ctx;
    h->read_in[thread] = h->round;
    sleep_us(300L * thread); /* the last worker finishes last */
    h->out[thread] = h->round;
}

LL_TEST(pool, run_returns_after_every_job)
{
    for (int n = 3; n <= 4; n++) {
        Pool *p = pool_new(n);
        LL_CHECK_NOT_NULL(p, "pool_new(3 or 4)");
        Handover h = {0};
        for (int run = 1; run <= 10; run++) {
            /* a seeded value, different in every run (the run in the low
             * bits): a part that has not finished still holds the last */
            const int round = (int)ll_rand_int(1, 1 << 20) * 16 + run;
            h.round = round;
            pool_run(p, slow_job, &h);
            char w[240];
            for (int t = 0; t < n; t++) {
                snprintf(w, sizeof w,
                         "pool of %d, run %d: the value thread %d read from "
                         "the context (what the caller wrote before "
                         "pool_run)",
                         n, run, t);
                LL_CHECK_INT_EQ(h.read_in[t], round, w);
                snprintf(w, sizeof w,
                         "pool of %d, run %d: what thread %d had written last "
                         "when pool_run returned (a value from an earlier "
                         "run: pool_run must wait for every worker)",
                         n, run, t);
                LL_CHECK_INT_EQ(h.out[t], round, w);
            }
        }
        pool_free(p);
    }
}

enum { MEETS = 40, MEET_RUNS = 3 };

typedef struct {
    Pool *pool;
    int n;
    int run; /* written by the caller before each run */
    atomic_int arrived[MEET_RUNS][MEETS];
    atomic_int passed[MAX_N]; /* meetings each thread came out of */
    atomic_int early;         /* 1 + the meeting left too early, or 0 */
    atomic_int early_count, early_thread;
    uint32_t values[MEET_RUNS][MEETS][MAX_N]; /* seeded, by the caller */
    uint32_t handed[MEETS][MAX_N]; /* thread t writes [k][t] before k */
    uint64_t received[MAX_N];      /* thread t: sums of handed after k */
} Meet;

/* MEETS meetings; before meeting k, thread k % n arrives late. After
 * meeting k every thread must see all n arrivals of meeting k. Before
 * meeting k each thread hands over a seeded value, after it each adds up
 * the values all n threads handed over. */
static void meet_job(void *ctx, int thread)
{
    Meet *m = ctx;
    for (int k = 0; k < MEETS; k++) {
        if (k % m->n == thread)
            busy_us(20);
        m->handed[k][thread] = m->values[m->run][k][thread];
        atomic_fetch_add(&m->arrived[m->run][k], 1);
        pool_meet(m->pool, thread);
        for (int u = 0; u < m->n; u++)
            m->received[thread] += m->handed[k][u];
        const int a = atomic_load(&m->arrived[m->run][k]);
        if (a != m->n && atomic_load(&m->early) == 0) {
            atomic_store(&m->early_count, a);
            atomic_store(&m->early_thread, thread);
            atomic_store(&m->early, k + 1);
        }
        atomic_fetch_add(&m->passed[thread], 1);
    }
}

static void check_meetings(int n)
{
    static Meet m;
    memset(&m, 0, sizeof m);
    m.pool = pool_new(n);
    m.n = n;
    LL_CHECK_NOT_NULL(m.pool, "pool_new");
    for (int r = 0; r < MEET_RUNS; r++)
        for (int k = 0; k < MEETS; k++)
            for (int t = 0; t < n; t++)
                m.values[r][k][t] = ll_rand_u32();
    char w[200];
    for (m.run = 0; m.run < MEET_RUNS; m.run++) {
        pool_run(m.pool, meet_job, &m);
        const int k = atomic_load(&m.early);
        LL_CHECK(k == 0,
                 "pool of %d, run %d: thread %d left meeting %d when only %d "
                 "of %d threads had arrived (thread %d, arriving late, was "
                 "not waited for)",
                 n, m.run + 1, atomic_load(&m.early_thread), k - 1,
                 atomic_load(&m.early_count), n, (k - 1) % n);
        for (int t = 0; t < n; t++)
            LL_CHECK(atomic_load(&m.passed[t]) == MEETS * (m.run + 1),
                     "pool of %d, after run %d: thread %d came out of %d "
                     "meetings, expected %d",
                     n, m.run + 1, t, atomic_load(&m.passed[t]),
                     MEETS * (m.run + 1));
        for (int t = 0; t < n; t++) {
            uint64_t want = 0;
            LL_ORACLE
            {
                for (int r = 0; r <= m.run; r++)
                    for (int k = 0; k < MEETS; k++)
                        for (int u = 0; u < n; u++)
                            want += m.values[r][k][u];
            }
            snprintf(w, sizeof w,
                     "pool of %d, after run %d: thread %d's sum of the values "
                     "every thread wrote before each meeting, read after it "
                     "(what a thread writes before a meeting must be seen by "
                     "all after it)",
                     n, m.run + 1, t);
            LL_CHECK_UINT_EQ(m.received[t], want, w);
        }
    }
    pool_free(m.pool);
}

LL_TEST(pool, meetings_wait_for_everyone)
{
    check_meetings(2);
    check_meetings(3);
    check_meetings(5);
    check_meetings((int)ll_rand_int(2, MAX_N)); /* a seeded size */
}

typedef struct {
    Pool *pool;
    int n;
    int run; /* runs of this context so far, written by the caller */
    int add; /* seeded, written by the caller before each run */
    atomic_int first, second, errors;
    atomic_llong total; /* every thread adds `add` after both meetings */
} Count;

/* Two meetings; after each, every thread's increment of this run is in. */
static void count_job(void *ctx, int thread)
{
    Count *c = ctx;
    const int want = c->n * (c->run + 1);
    atomic_fetch_add(&c->first, 1);
    pool_meet(c->pool, thread);
    if (atomic_load(&c->first) != want)
        atomic_fetch_add(&c->errors, 1);
    atomic_fetch_add(&c->second, 1);
    pool_meet(c->pool, thread);
    if (atomic_load(&c->second) != want)
        atomic_fetch_add(&c->errors, 1);
    atomic_fetch_add(&c->total, c->add);
}

/* `runs` runs that take turns between two contexts. */
static void reuse(int n, int runs)
{
    Pool *p = pool_new(n);
    LL_CHECK_NOT_NULL(p, "pool_new");
    Count c[2];
    for (int i = 0; i < 2; i++) {
        c[i] = (Count){.pool = p, .n = n};
        atomic_init(&c[i].first, 0);
        atomic_init(&c[i].second, 0);
        atomic_init(&c[i].errors, 0);
        atomic_init(&c[i].total, 0);
    }
    int *adds = ll_alloc((size_t)runs * sizeof *adds);
    for (int r = 0; r < runs; r++)
        adds[r] = (int)ll_rand_int(1, 1000000);
    for (int r = 0; r < runs; r++) {
        Count *x = &c[r % 2];
        x->add = adds[r];
        pool_run(p, count_job, x);
        x->run++;
        LL_CHECK(atomic_load(&x->errors) == 0 &&
                     atomic_load(&x->second) == n * x->run,
                 "pool of %d, run %d (context %d): %d threads had finished "
                 "the run, expected %d; %d checks after a meeting saw a "
                 "thread missing",
                 n, r + 1, r % 2, atomic_load(&x->second) - n * (x->run - 1), n,
                 atomic_load(&x->errors));
    }
    for (int i = 0; i < 2; i++) {
        long long want = 0;
        LL_ORACLE
        {
            for (int r = i; r < runs; r += 2)
                want += (long long)n * adds[r];
        }
        char w[160];
        snprintf(w, sizeof w,
                 "pool of %d, context %d: the sum of the seeded values its "
                 "threads added in every run (each thread once per run)",
                 n, i);
        LL_CHECK_INT_EQ(atomic_load(&c[i].total), want, w);
    }
    free(adds);
    pool_free(p);
}

LL_TEST(pool, many_runs_reuse_the_pool)
{
    reuse(2, 3000);
    reuse(3, 500);
}

/* Pauses between runs, in microseconds, around the moment where waiting
 * workers stop spinning and go to sleep (a few ms in most designs). */
static const long PAUSES[] = {0,    50,   200,   500,   1000,  1500, 1900,
                              2000, 2100, 2500,  3000,  4000,  5000, 7000,
                              9000, 9900, 10000, 11000, 15000, 25000};
enum { N_PAUSES = sizeof PAUSES / sizeof *PAUSES };

enum { FIRST_RUNS = 20, PAUSE_REPS = 3 };
enum { WAKE_RUNS = FIRST_RUNS + PAUSE_REPS * N_PAUSES };

/* What the driver of no_lost_wake_ups saw, checked by the test after. */
typedef struct {
    long driver;          /* the driver's thread id: thread 0 of its pools */
    int null_pools;       /* pool_new(3) calls that returned NULL */
    int runs_made;        /* runs finished, in the order of `runs` */
    Seen runs[WAKE_RUNS]; /* seeded by the test before the driver starts */
} WakeUps;

/* The first run of FIRST_RUNS new pools, then PAUSE_REPS rounds of a run
 * after every pause of PAUSES; stops at a pool_new that fails. */
static void wake_ups(void *arg, char *progress, size_t cap)
{
    WakeUps *w = arg;
    w->driver = my_tid();
    for (int i = 0; i < FIRST_RUNS; i++) { /* a job right after the start */
        snprintf(progress, cap, "running the first job of a new pool (%d)",
                 i + 1);
        Pool *p = pool_new(3);
        if (p == NULL) {
            w->null_pools++;
            return;
        }
        pool_run(p, record_job, &w->runs[w->runs_made++]);
        pool_free(p);
    }
    Pool *p = pool_new(3);
    if (p == NULL) {
        w->null_pools++;
        return;
    }
    for (int rep = 0; rep < PAUSE_REPS; rep++)
        for (int i = 0; i < N_PAUSES; i++) {
            sleep_us(PAUSES[i]);
            snprintf(progress, cap,
                     "running a job %ld us after the last one (pool of 3)",
                     PAUSES[i]);
            pool_run(p, record_job, &w->runs[w->runs_made++]);
        }
    snprintf(progress, cap, "freeing a pool of 3");
    pool_free(p);
}

LL_TEST(pool, no_lost_wake_ups)
{
    static WakeUps w; /* outlives the test if the driver hangs */
    memset(&w, 0, sizeof w);
    for (int i = 0; i < WAKE_RUNS; i++)
        seen_reset(&w.runs[i], 3, seeded_value());
    if (!drive(wake_ups, &w, 8.0, "pool of 3"))
        return;
    LL_CHECK_INT_EQ(w.null_pools, 0, "pool_new(3) calls that returned NULL");
    LL_CHECK_INT_EQ(w.runs_made, WAKE_RUNS, "runs the driver made");
    char what[96];
    for (int i = 0; i < w.runs_made; i++) {
        const int k = i - FIRST_RUNS; /* the run after pause k % N_PAUSES */
        if (k < 0)
            snprintf(what, sizeof what, "the first run of a pool of 3 (%d)",
                     i + 1);
        else
            snprintf(what, sizeof what,
                     "pool of 3, a run %ld us after the last one",
                     PAUSES[k % N_PAUSES]);
        check_seen(&w.runs[i], w.driver, what);
    }
}

LL_TEST(pool, an_idle_pool_sleeps)
{
    const int n = 3;
    Pool *p = pool_new(n);
    LL_CHECK_NOT_NULL(p, "pool_new(3)");
    long tids[MAX_N];
    run_and_check(p, tids, "pool of 3");
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    const double t0 = now_s();
    sleep_us(300000);
    const double wall = now_s() - t0;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    const double cpu = (double)(c1.tv_sec - c0.tv_sec) +
                       1e-9 * (double)(c1.tv_nsec - c0.tv_nsec);
    LL_CHECK(cpu < 0.1 * wall,
             "a pool of 3 left idle for %.0f ms used %.0f ms of CPU time, "
             "expected below %.0f ms: workers without a job must sleep after "
             "a few milliseconds (spinning or sched_yield keeps a core busy)",
             wall * 1e3, cpu * 1e3, 0.1 * wall * 1e3);
    run_and_check(p, tids, "pool of 3, run after 300 ms idle");
    pool_free(p);
}

static Pool *single; /* the pool of one_thread_is_the_caller */

static void one_thread_job(void *ctx, int thread)
{
    record_job(ctx, thread);
    for (int k = 0; k < 3; k++)
        pool_meet(single, thread);
}

LL_TEST(pool, one_thread_is_the_caller)
{
    const int before = task_count();
    single = pool_new(1);
    LL_CHECK_NOT_NULL(single, "pool_new(1)");
    LL_CHECK_INT_EQ(pool_size(single), 1, "pool_size of pool_new(1)");
    LL_CHECK_INT_EQ(task_count(), before,
                    "threads of this process after pool_new(1) (a pool of "
                    "one is the caller alone: no worker)");
    for (int run = 0; run < 100; run++) {
        Seen s;
        seen_reset(&s, 1, seeded_value());
        pool_run(single, one_thread_job, &s);
        check_seen(&s, my_tid(), "pool of 1 (three meetings per run)");
    }
    pool_free(single);
    single = NULL;
}

static const int LIFE_SIZES[] = {2, 5};
enum { N_LIFE = sizeof LIFE_SIZES / sizeof *LIFE_SIZES };

/* What the driver of new_and_free saw, checked by the test after. */
typedef struct {
    long driver;                  /* the driver's thread id */
    int before;                   /* threads before any pool */
    int after_quick_free[N_LIFE]; /* after pool_free(pool_new(n)) */
    int made[N_LIFE];             /* the second pool_new(n) was not NULL */
    int alive[N_LIFE];            /* threads while that pool lives */
    Seen run[N_LIFE];             /* its one run, seeded by the test */
    int after_free[N_LIFE];       /* threads after its pool_free */
} Life;

static void life(void *arg, char *progress, size_t cap)
{
    Life *l = arg;
    l->driver = my_tid();
    l->before = task_count();
    for (int i = 0; i < N_LIFE; i++) {
        const int n = LIFE_SIZES[i];
        snprintf(progress, cap, "freeing a pool of %d just created", n);
        pool_free(pool_new(n));
        l->after_quick_free[i] = wait_task_count(l->before);
        Pool *p = pool_new(n);
        if (p == NULL)
            return;
        l->made[i] = 1;
        l->alive[i] = task_count();
        pool_run(p, record_job, &l->run[i]);
        sleep_us(30000); /* the workers are asleep by now */
        snprintf(progress, cap, "freeing a pool of %d idle for 30 ms", n);
        pool_free(p);
        l->after_free[i] = wait_task_count(l->before);
    }
}

/* Checks, in a fixed order, what life saw. */
static void check_life(const Life *l)
{
    char what[160];
    for (int i = 0; i < N_LIFE; i++) {
        const int n = LIFE_SIZES[i];
        snprintf(what, sizeof what,
                 "threads of this process after pool_free of a pool of %d "
                 "just created (every worker must end)",
                 n);
        LL_CHECK_INT_EQ(l->after_quick_free[i], l->before, what);
        LL_CHECK(l->made[i], "pool_new(%d) returned NULL", n);
        snprintf(what, sizeof what,
                 "threads of this process while a pool of %d lives (the "
                 "caller and %d workers)",
                 n, n - 1);
        LL_CHECK_INT_EQ(l->alive[i], l->before + n - 1, what);
        snprintf(what, sizeof what, "a pool of %d about to be freed", n);
        check_seen(&l->run[i], l->driver, what);
        snprintf(what, sizeof what,
                 "threads of this process after pool_free of a pool of %d "
                 "(every worker must end, sleeping ones included)",
                 n);
        LL_CHECK_INT_EQ(l->after_free[i], l->before, what);
    }
}

/* Bytes in use on the caller's heap (0 where the C library cannot say). */
static long heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    return (long)mallinfo2().uordblks;
#else
    return 0;
#endif
}

static void noop_job(void *ctx, int thread)
{
    (void)ctx;
    (void)thread;
}

/* Creates, runs and frees `count` pools of 3. */
static void pools(int count)
{
    for (int i = 0; i < count; i++) {
        Pool *p = pool_new(3);
        LL_CHECK_NOT_NULL(p, "pool_new(3)");
        pool_run(p, noop_job, NULL);
        pool_free(p);
    }
}

LL_TEST(pool, new_and_free)
{
    LL_CHECK_NULL(pool_new(0), "pool_new(0)");
    LL_CHECK_NULL(pool_new(-2), "pool_new(-2)");
    pool_free(NULL);
    static Life l; /* outlives the test if the driver hangs */
    memset(&l, 0, sizeof l);
    for (int i = 0; i < N_LIFE; i++)
        seen_reset(&l.run[i], LIFE_SIZES[i], seeded_value());
    if (!drive(life, &l, 8.0, "pool_new and pool_free"))
        return;
    check_life(&l);
    pools(20); /* the C library's own caches fill up first */
    const long before = heap_in_use();
    pools(50);
    const long grew = heap_in_use() - before;
    LL_CHECK(grew < 4096,
             "50 pools of 3, each created, run and freed, left %ld bytes "
             "allocated on the heap: pool_free must free everything pool_new "
             "allocated",
             grew);
}

/* ---- speed ------------------------------------------------------------- */

enum { SPEED_MEETS = 9, SPEED_RUNS = 200, SPAWNS = 20, SPEED_ROUNDS = 15 };

static Pool *timed; /* the pool of speed_vs_creating_threads */

static void meetings_job(void *ctx, int thread)
{
    atomic_int *passed = ctx;
    for (int k = 0; k < SPEED_MEETS; k++)
        pool_meet(timed, thread);
    atomic_fetch_add(&passed[thread], 1);
}

static void *nothing(void *arg)
{
    return arg;
}

/* Seconds per meeting: SPEED_RUNS runs of SPEED_MEETS meetings (the end of
 * a run counts as one more). */
static double time_meetings(atomic_int *passed)
{
    const double t0 = now_s();
    for (int r = 0; r < SPEED_RUNS; r++)
        pool_run(timed, meetings_job, passed);
    return (now_s() - t0) / (SPEED_RUNS * (SPEED_MEETS + 1));
}

/* Seconds to start and join n - 1 threads, as 13_parallel_for does on
 * every call. */
static double time_spawns(int n)
{
    pthread_t t[MAX_N];
    const double t0 = now_s();
    for (int s = 0; s < SPAWNS; s++) {
        for (int i = 1; i < n; i++)
            LL_CHECK_INT_EQ(pthread_create(&t[i], NULL, nothing, NULL), 0,
                            "pthread_create (the test's own threads)");
        for (int i = 1; i < n; i++)
            pthread_join(t[i], NULL);
    }
    return (now_s() - t0) / SPAWNS;
}

LL_TEST(pool, speed_vs_creating_threads)
{
    const int n = 2;
    timed = pool_new(n);
    LL_CHECK_NOT_NULL(timed, "pool_new(2)");
    long tids[MAX_N];
    run_and_check(timed, tids, "pool of 2");
    atomic_int passed[MAX_N];
    for (int t = 0; t < MAX_N; t++)
        atomic_init(&passed[t], 0);
    double meeting = 1e9, spawn = 1e9;
    for (int r = 0; r < SPEED_ROUNDS; r++) { /* taking turns, the best */
        const double m = time_meetings(passed), s = time_spawns(n);
        meeting = m < meeting ? m : meeting;
        spawn = s < spawn ? s : spawn;
    }
    for (int t = 0; t < n; t++)
        LL_CHECK_INT_EQ(atomic_load(&passed[t]), SPEED_ROUNDS * SPEED_RUNS,
                        "runs of the timed job that each thread finished");
    pool_free(timed);
    timed = NULL;
    const double ratio = spawn / meeting;
    printf("a meeting of 2 threads: %.3f us; starting and joining a thread: "
           "%.2f us; ratio %.1f\n",
           meeting * 1e6, spawn * 1e6, ratio);
    LL_METRIC("us_per_meeting", meeting * 1e6);
    LL_METRIC("us_per_thread_start", spawn * 1e6);
    LL_METRIC("meetings_vs_spawn", ratio);
}
