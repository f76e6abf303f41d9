/* Tests for 33_flash_attention. Students: read them, do not edit them.
 *
 * Expected values: golden_flash.h (NumPy in float64: whole causal score
 * matrices, and the block states computed from all keys at once, with no
 * recurrence; see exercises/common/golden/attention.py) and, for the
 * inputs the grader draws (ll_rand_*: other ones each time it grades), a
 * plain attention in double written below (every score of a row, softmax,
 * weighted sum): never a tiled computation.
 *
 * Tolerances, derived per element (u = 2^-24, the float32 rounding unit):
 *   - a float32 score s_j = scale * (q . k_j) is off by at most
 *     E_j = (d + 4) u sum_i |q_i k_ji| / sqrt(d); an error E in the scores
 *     moves every exp(s_j - max) by a factor of at most exp(2 max E);
 *   - the running sum and acc: each term exp(s_j - m_j) (with m_j the max
 *     when it was added) is rescaled by exp(m_old - m_new) at each later
 *     new max; the exponents of those rescalings add up to m - m_j, so a
 *     term ends with a relative error of at most (|s_j - max| + 3n + 2) u
 *     over its subtraction, exp and rescalings (n keys), and the additions
 *     add n u: (|s_j - max| + 4n + 2) u for sum and acc;
 *   - the output acc / sum: both errors, and the division:
 *     (|s_j - max| + 8n + 8) u relative to each term.
 * So element i of an output row over n keys may be off by
 *     sum_j p_j |v_ji| ((exp(2 max E) - 1) + (|s_j - max| + 8 n + 8) u)
 *     + u |out_i|
 * (~1e-4 relative at n = 300 in the worst case; the reference solution's
 * error is ~1e-7). The block states: max within max E + u |max|, sum and
 * acc within the same terms for 4n. A missing rescale of acc or sum, a
 * mask off by one or a key tile skipped is off by more than 1e-2.
 *
 * Memory: flash_attention may use O(block * d) extra memory, never O(T^2)
 * (nor a score row of T floats per query): with AddressSanitizer (the
 * grader's build) the test measures the peak of the heap during one call
 * and allows 4 * (block * d + block * block + 2 * block) bytes + 4 KiB.
 */
#include "flash.h"
#include "golden_flash.h"
#include "llmlings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U 0x1p-24 /* the float32 unit roundoff */

/* ---- oracles: everything from all keys at once, in double --------------- */

/* The scores of q against keys 0..n-1 (rows of k, d floats each) in double,
 * their max, and the bound E on a float32 score's error. */
static double scores_oracle(const float *q, const float *k, int n, int d,
                            double *s, double *max)
{
    double e = 0.0, m = -INFINITY;
    for (int j = 0; j < n; j++) {
        double dot = 0.0, mag = 0.0;
        for (int i = 0; i < d; i++) {
            dot += (double)q[i] * k[(long)j * d + i];
            mag += fabs((double)q[i] * k[(long)j * d + i]);
        }
        s[j] = dot / sqrt((double)d);
        e = fmax(e, (d + 4) * U * mag / sqrt((double)d));
        m = fmax(m, s[j]);
    }
    *max = m;
    return e;
}

/* Row t of causal attention (query q_t against keys 0..t) in double, with
 * each element's bound (see the header comment). */
static void row_oracle(const float *q_t, const float *k, const float *v, int t,
                       int d, float *want, float *tol)
{
    const int n = t + 1;
    double *s = ll_alloc(sizeof(double) * (size_t)n);
    double m, sum = 0.0;
    const double e = scores_oracle(q_t, k, n, d, s, &m);
    for (int j = 0; j < n; j++)
        sum += exp(s[j] - m);
    for (int i = 0; i < d; i++) {
        double out = 0.0, bound = 0.0;
        for (int j = 0; j < n; j++) {
            const double p = exp(s[j] - m) / sum, vj = v[(long)j * d + i];
            out += p * vj;
            bound += p * fabs(vj) *
                     (expm1(2.0 * e) + (fabs(s[j] - m) + 8.0 * n + 8.0) * U);
        }
        want[i] = (float)out;
        tol[i] = (float)(bound + U * fabs(out) + 1e-37);
    }
    free(s);
}

/* Causal attention of [T x d] q, k, v in double, with bounds. */
static void attention_oracle(const float *q, const float *k, const float *v,
                             int T, int d, float *want, float *tol)
{
    for (int t = 0; t < T; t++)
        row_oracle(q + (long)t * d, k, v, t, d, want + (long)t * d,
                   tol + (long)t * d);
}

/* The online-softmax state of one query after keys 0..n-1 (n >= 1), from
 * all of them at once: max, sum and acc[d] as floats, and their bounds
 * (see the header comment). */
typedef struct {
    float max, sum, max_tol, sum_tol;
} state_oracle;

static state_oracle keys_oracle(const float *q, const float *k, const float *v,
                                int n, int d, float *acc, float *acc_tol)
{
    double *s = ll_alloc(sizeof(double) * (size_t)n);
    double m, sum = 0.0;
    const double e = scores_oracle(q, k, n, d, s, &m);
    const double moved = expm1(2.0 * e + 2.0 * U * fabs(m));
    for (int j = 0; j < n; j++)
        sum += exp(s[j] - m);
    for (int i = 0; acc != NULL && i < d; i++) {
        double a = 0.0, bound = 0.0;
        for (int j = 0; j < n; j++) {
            const double t = exp(s[j] - m), vj = v[(long)j * d + i];
            a += t * vj;
            bound +=
                t * fabs(vj) * (moved + (fabs(s[j] - m) + 4.0 * n + 6.0) * U);
        }
        acc[i] = (float)a;
        acc_tol[i] = (float)(bound + U * fabs(a) + 1e-37);
    }
    free(s);
    return (state_oracle){(float)m, (float)sum, (float)(e + U * fabs(m)),
                          (float)(sum * (moved + (4.0 * n + 6.0) * U))};
}

/* ---- seeded data -------------------------------------------------------- */

static float *alloc_floats(long n)
{
    return ll_alloc(sizeof(float) * (size_t)n);
}

static float *random_floats(long n, float lo, float hi)
{
    float *x = alloc_floats(n);
    ll_rand_floats(x, (size_t)n, lo, hi);
    return x;
}

static float *nan_floats(long n)
{
    float *x = alloc_floats(n);
    for (long i = 0; i < n; i++)
        x[i] = NAN;
    return x;
}

/* ---- flash_block -------------------------------------------------------- */

/* Checks a state and its acc against the oracle's values. */
static void check_state(softmax_state st, const float *acc, state_oracle want,
                        const float *want_acc, const float *acc_tol, int d,
                        const char *what)
{
    char w[300];
    snprintf(w, sizeof w, "%s: running max", what);
    LL_CHECK_FLOAT_NEAR(st.max, want.max, want.max_tol, w);
    snprintf(w, sizeof w, "%s: running sum of exp(s - max)", what);
    LL_CHECK_FLOAT_NEAR(st.sum, want.sum, want.sum_tol, w);
    snprintf(w, sizeof w,
             "%s: acc (the sum of exp(s - max) * v, not divided), element [i]",
             what);
    LL_CHECK_FLOATS_WITHIN(acc, want_acc, acc_tol, (size_t)d, w);
}

enum { BD = 12, B1 = 5, B2 = 7 }; /* golden block data: d, block sizes */

/* n == 0 must change nothing: on the empty state (without computing
 * exp(-inf - -inf)) and on a seeded one. */
static void check_empty_blocks(void)
{
    const int d = (int)ll_rand_int(1, 16);
    float *q = random_floats(d, -1, 1), *acc = alloc_floats(d),
          *zeros = alloc_floats(d);
    for (int i = 0; i < d; i++)
        acc[i] = 0.0f;
    softmax_state st = softmax_state_empty();
    flash_block(&st, acc, q, NULL, NULL, 0, d, 1.0f);
    LL_ORACLE
    {
        for (int i = 0; i < d; i++)
            zeros[i] = 0.0f;
    }
    LL_CHECK_FLOAT_NEAR(st.max, -INFINITY, 0.0,
                        "flash_block(empty state, n = 0): running max");
    LL_CHECK_FLOAT_NEAR(st.sum, 0.0, 0.0,
                        "flash_block(empty state, n = 0): running sum");
    LL_CHECK_FLOATS_NEAR(acc, zeros, (size_t)d, 0.0f, 0.0f,
                         "flash_block(empty state, n = 0): acc");

    const float max = ll_rand_float(-5, 5), sum = ll_rand_float(1, 10);
    softmax_state s2 = {max, sum};
    float *acc2 = random_floats(d, -3, 3), *before = alloc_floats(d);
    memcpy(before, acc2, sizeof(float) * (size_t)d);
    flash_block(&s2, acc2, q, NULL, NULL, 0, d, 1.0f);
    LL_CHECK_FLOAT_NEAR(s2.max, max, 0.0,
                        "flash_block(a seeded state, n = 0): running max");
    LL_CHECK_FLOAT_NEAR(s2.sum, sum, 0.0,
                        "flash_block(a seeded state, n = 0): running sum");
    LL_CHECK_FLOATS_NEAR(acc2, before, (size_t)d, 0.0f, 0.0f,
                         "flash_block(a seeded state, n = 0): acc");
    free(before);
    free(acc2);
    free(zeros);
    free(acc);
    free(q);
}

LL_TEST(block, first_block)
{
    const float scale = 1.0f / sqrtf((float)BD);
    softmax_state st = softmax_state_empty();
    float acc[BD] = {0}, want_acc[BD], acc_tol[BD];
    flash_block(&st, acc, golden_block_q, golden_block_k, golden_block_v, B1,
                BD, scale);
    state_oracle want = {0};
    LL_ORACLE
    {
        want = keys_oracle(golden_block_q, golden_block_k, golden_block_v, B1,
                           BD, want_acc, acc_tol);
        want.max = golden_block_state1[0];
        want.sum = golden_block_state1[1];
        memcpy(want_acc, golden_block_acc1, sizeof want_acc);
    }
    check_state(st, acc, want, want_acc, acc_tol, BD,
                "flash_block(empty state, a golden block of 5 keys, d 12) "
                "(expected: NumPy)");

    /* seeded blocks from the empty state: up to 150 keys (longer than any
     * fixed score buffer of 64 or 128 floats) */
    for (int r = 0; r < 2; r++) {
        const int n = r == 0 ? (int)ll_rand_int(1, 40)
                             : (int)ll_rand_int(130, 150),
                  d = (int)ll_rand_int(1, 24);
        float *q = random_floats(d, -2, 2),
              *k = random_floats((long)n * d, -2, 2),
              *v = random_floats((long)n * d, -1, 1);
        float *a = alloc_floats(d), *wa = alloc_floats(d),
              *at = alloc_floats(d);
        for (int i = 0; i < d; i++)
            a[i] = 0.0f;
        softmax_state s = softmax_state_empty();
        flash_block(&s, a, q, k, v, n, d, 1.0f / sqrtf((float)d));
        LL_ORACLE
        {
            want = keys_oracle(q, k, v, n, d, wa, at);
        }
        char what[160];
        snprintf(what, sizeof what,
                 "flash_block(empty state, a seeded block of %d keys, d %d)", n,
                 d);
        check_state(s, a, want, wa, at, d, what);
        free(at);
        free(wa);
        free(a);
        free(v);
        free(k);
        free(q);
    }
    check_empty_blocks();
}

LL_TEST(block, second_block_rescales)
{
    /* continue from the exact state after block 1 with 7 more keys */
    const float scale = 1.0f / sqrtf((float)BD);
    softmax_state st = {golden_block_state1[0], golden_block_state1[1]};
    float acc[BD], want_acc[BD], acc_tol[BD];
    memcpy(acc, golden_block_acc1, sizeof acc);
    flash_block(&st, acc, golden_block_q, golden_block_k + B1 * BD,
                golden_block_v + B1 * BD, B2, BD, scale);
    state_oracle want = {0};
    LL_ORACLE
    {
        want = keys_oracle(golden_block_q, golden_block_k, golden_block_v,
                           B1 + B2, BD, want_acc, acc_tol);
        want.max = golden_block_state2[0];
        want.sum = golden_block_state2[1];
        memcpy(want_acc, golden_block_acc2, sizeof want_acc);
    }
    check_state(st, acc, want, want_acc, acc_tol, BD,
                "flash_block of a second golden block of 7 keys (the old acc "
                "and sum rescaled to the new max, plus the block; expected: "
                "NumPy)");

    /* seeded: the second block holds a key that raises the max (a rescale)
     * or only smaller scores (none) */
    for (int raise = 1; raise >= 0; raise--) {
        const int n1 = (int)ll_rand_int(1, 20), n2 = (int)ll_rand_int(1, 20);
        const int d = (int)ll_rand_int(2, 16), n = n1 + n2;
        float *q = random_floats(d, -1, 1),
              *k = random_floats((long)n * d, -1, 1),
              *v = random_floats((long)n * d, -1, 1);
        const int big = raise ? n1 + (int)ll_rand_int(0, n2 - 1)
                              : (int)ll_rand_int(0, n1 - 1);
        for (int i = 0; i < d; i++) /* key `big` lines up with q */
            k[(long)big * d + i] = 3.0f * q[i];
        /* the input: the state after block 1, exact then rounded */
        float *acc1 = alloc_floats(d), *ignored = alloc_floats(d);
        const state_oracle s1 = keys_oracle(q, k, v, n1, d, acc1, ignored);
        softmax_state s = {s1.max, s1.sum};
        flash_block(&s, acc1, q, k + (long)n1 * d, v + (long)n1 * d, n2, d,
                    1.0f / sqrtf((float)d));
        float *wa = alloc_floats(d), *at = alloc_floats(d);
        LL_ORACLE
        {
            want = keys_oracle(q, k, v, n, d, wa, at);
        }
        char what[200];
        snprintf(what, sizeof what,
                 "flash_block(state after %d seeded keys, %d more keys, d %d) "
                 "(the block %s the max)",
                 n1, n2, d, raise ? "raises" : "does not raise");
        check_state(s, acc1, want, wa, at, d, what);
        free(at);
        free(wa);
        free(ignored);
        free(acc1);
        free(v);
        free(k);
        free(q);
    }
}

/* ---- flash_attention ---------------------------------------------------- */

/* Runs flash_attention and compares it with the plain attention in double,
 * or with NumPy's `golden` output when given (the same bound). */
static void check_flash(const float *q, const float *k, const float *v, int T,
                        int d, int block, const float *golden, const char *kind)
{
    const long n = (long)T * d;
    float *out = nan_floats(n), *want = alloc_floats(n), *tol = alloc_floats(n);
    flash_attention(out, q, k, v, T, d, block);
    LL_ORACLE
    {
        attention_oracle(q, k, v, T, d, want, tol);
        if (golden != NULL)
            memcpy(want, golden, sizeof(float) * (size_t)n);
    }
    char what[200];
    snprintf(what, sizeof what,
             "flash_attention(out, q, k, v, T = %d, d = %d, block = %d) of "
             "%s: element [t * d + i]%s",
             T, d, block, kind, golden ? " (expected: NumPy)" : "");
    LL_CHECK_FLOATS_WITHIN(out, want, tol, (size_t)n, what);
    free(tol);
    free(want);
    free(out);
}

static void check_golden(int i, int block)
{
    const golden_flash_t *c = &golden_flashs[i];
    check_flash(c->q, c->k, c->v, c->T, c->d, block, c->out, "golden q, k, v");
}

/* Seeded q, k (in [-scale, scale)) and v (in [-1, 1)) at several blocks:
 * 1, one that does not divide T, T itself and one larger than T. */
static void check_seeded(int T, int d, float scale, const char *kind)
{
    const long n = (long)T * d;
    float *q = random_floats(n, -scale, scale),
          *k = random_floats(n, -scale, scale), *v = random_floats(n, -1, 1);
    const int blocks[4] = {1, (int)ll_rand_int(2, T > 3 ? T - 1 : 2), T,
                           T + (int)ll_rand_int(1, 40)};
    for (int b = 0; b < 4; b++)
        check_flash(q, k, v, T, d, blocks[b], NULL, kind);
    free(v);
    free(k);
    free(q);
}

static const int blocks[] = {1, 3, 4, 16, 64};
enum { NBLOCKS = sizeof blocks / sizeof blocks[0] };

LL_TEST(flash, length_one)
{
    for (int b = 0; b < NBLOCKS; b++)
        check_golden(0, blocks[b]);
    check_seeded(1, (int)ll_rand_int(1, 20), 1.0f, "seeded q, k, v (out = v)");
}

LL_TEST(flash, matches_numpy)
{
    /* T = 10 and 21: blocks that divide T, that do not, and that exceed it */
    for (int i = 1; i < GOLDEN_FLASH_COUNT - 1; i++)
        for (int b = 0; b < NBLOCKS; b++)
            check_golden(i, blocks[b]);
    check_seeded((int)ll_rand_int(5, 40), (int)ll_rand_int(2, 20), 1.0f,
                 "seeded q, k, v");
    check_seeded((int)ll_rand_int(5, 20), 1, 1.0f, "seeded q, k, v");
}

LL_TEST(flash, large_logits)
{
    /* scores up to +-1e4: a later block's max makes exp(old - new) = 0 */
    for (int b = 0; b < NBLOCKS; b++)
        check_golden(GOLDEN_FLASH_COUNT - 1, blocks[b]);
    check_seeded((int)ll_rand_int(8, 24), 16, 30.0f,
                 "seeded q, k in [-30, 30) (scores up to ~1e3)");
}

LL_TEST(flash, equals_naive_long_sequence)
{
    enum { T = 300, D = 20, N = T * D };
    float *q = random_floats(N, -2, 2), *k = random_floats(N, -2, 2),
          *v = random_floats(N, -1, 1);
    float *out = alloc_floats(N), *want = alloc_floats(N),
          *tol = alloc_floats(N);
    LL_ORACLE
    {
        attention_oracle(q, k, v, T, D, want, tol);
    }
    const int long_blocks[] = {1, 7, 32, 300};
    double worst = 0.0;
    for (int b = 0; b < 4; b++) {
        char what[160];
        for (int i = 0; i < N; i++)
            out[i] = NAN;
        flash_attention(out, q, k, v, T, D, long_blocks[b]);
        snprintf(what, sizeof what,
                 "flash_attention vs naive (double) attention, T %d, d %d, "
                 "block %d: element [t * d + i]",
                 T, D, long_blocks[b]);
        LL_CHECK_FLOATS_WITHIN(out, want, tol, N, what);
        LL_ORACLE
        {
            for (int i = 0; i < N; i++)
                worst = fmax(worst, fabs((double)out[i] - want[i]));
        }
    }
    LL_ORACLE
    {
        /* informational: how far float32 tiling is from double */
        LL_METRIC("max_abs_err_vs_naive_f64", worst);
    }
    free(tol);
    free(want);
    free(out);
    free(v);
    free(k);
    free(q);
}

/* ---- memory ------------------------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer's allocator hooks (sanitizer/allocator_interface.h,
 * which gcc does not install): they see every malloc and free. */
int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void *, size_t),
    void (*free_hook)(const volatile void *));
size_t __sanitizer_get_allocated_size(const volatile void *p);

static int counting;
static long live_bytes, peak_bytes;

static void on_malloc(const volatile void *p, size_t n)
{
    (void)p;
    if (!counting)
        return;
    live_bytes += (long)n;
    if (live_bytes > peak_bytes)
        peak_bytes = live_bytes;
}

static void on_free(const volatile void *p)
{
    if (counting && p != NULL)
        live_bytes -= (long)__sanitizer_get_allocated_size(p);
}

/* The peak of the heap (bytes above where it stood) during fn(arg). */
static long peak_heap_during(void (*fn)(void *), void *arg)
{
    __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
    live_bytes = peak_bytes = 0;
    counting = 1;
    fn(arg);
    counting = 0;
    return peak_bytes;
}
#else
/* Without AddressSanitizer there are no hooks: nothing is measured (the
 * grader always builds this exercise with it). */
static long peak_heap_during(void (*fn)(void *), void *arg)
{
    fn(arg);
    return 0;
}
#endif

typedef struct {
    float *out;
    const float *q, *k, *v;
    int T, d, block;
} flash_call;

static void run_flash(void *arg)
{
    const flash_call *c = arg;
    flash_attention(c->out, c->q, c->k, c->v, c->T, c->d, c->block);
}

LL_TEST(flash, memory_is_o_block_d)
{
    const int T = (int)ll_rand_int(2000, 3000), d = 4;
    const int block = (int)ll_rand_int(8, 24);
    const long n = (long)T * d;
    float *q = random_floats(n, -1, 1), *k = random_floats(n, -1, 1),
          *v = random_floats(n, -1, 1), *out = nan_floats(n);
    flash_call call = {out, q, k, v, T, d, block};
    const long peak = peak_heap_during(run_flash, &call);
    const long budget =
        4L * ((long)block * d + (long)block * block + 2L * block) + 4096;
    LL_CHECK(peak <= budget,
             "flash_attention(T = %d, d = %d, block = %d): the heap grew by "
             "%ld bytes during the call, expected at most %ld (O(block * d): "
             "a T x T score matrix would be %ld bytes, one score row of T "
             "floats %d)",
             T, d, block, peak, budget, 4L * T * T, 4 * T);

    /* and the result: 8 seeded rows and the last one */
    enum { ROWS = 9 };
    float got[ROWS * 4], want[ROWS * 4], tol[ROWS * 4];
    int rows[ROWS];
    for (int r = 0; r < ROWS; r++)
        rows[r] = r == ROWS - 1 ? T - 1 : (int)ll_rand_int(0, T - 1);
    for (int r = 0; r < ROWS; r++)
        memcpy(got + r * d, out + (long)rows[r] * d, sizeof(float) * d);
    LL_ORACLE
    {
        for (int r = 0; r < ROWS; r++)
            row_oracle(q + (long)rows[r] * d, k, v, rows[r], d, want + r * d,
                       tol + r * d);
    }
    char what[200];
    snprintf(what, sizeof what,
             "rows %d, %d, ... and %d of flash_attention(T = %d, d = %d, "
             "block = %d): element [r * d + i] of the r-th of these rows",
             rows[0], rows[1], T - 1, T, d, block);
    LL_CHECK_FLOATS_WITHIN(got, want, tol, ROWS * 4, what);
    free(out);
    free(v);
    free(k);
    free(q);
}
