/* Tests for 31_mha_gqa. Students: read them, do not edit them.
 *
 * Expected values: by hand, or from golden_mha.h (NumPy in float64, one
 * whole causal score matrix per head, see
 * exercises/common/golden/attention.py).
 *
 * Tolerance: |got - want| <= 1e-5 + 1e-4 * |want|, as in 30_attention:
 * float32 dot products of head_dim <= 20 terms and sums of T <= 8 weighted
 * values in [-1, 1] stay below 1e-6 (reference solution: ~1e-7); taking a
 * wrong key/value head or column is off by more than 1e-2.
 */
#include "golden_mha.h"
#include "llmlings.h"
#include "mha.h"

#include <math.h>
#include <stdio.h>

#define ATOL 1e-5f
#define RTOL 1e-4f

enum { MAXN = 1024 };

static void check_case(const golden_mha_t *c)
{
    float out[MAXN];
    char what[128];
    const int n = c->T * c->n_heads * c->head_dim;
    for (int i = 0; i < n; i++)
        out[i] = NAN;
    mha(out, c->q, c->k, c->v, c->T, c->n_heads, c->n_kv_heads, c->head_dim);
    snprintf(what, sizeof what,
             "mha of random q, k, v: T %d, n_heads %d, n_kv_heads %d, "
             "head_dim %d",
             c->T, c->n_heads, c->n_kv_heads, c->head_dim);
    LL_CHECK_FLOATS_NEAR(out, c->out, (size_t)n, ATOL, RTOL, what);
}

/* golden_mhas[]: 0 T=1; 1 MHA; 2 and 4 GQA; 3 MQA (see attention.py) */

LL_TEST(mha, length_one)
{
    check_case(&golden_mhas[0]);
}

LL_TEST(mha, multi_head)
{
    check_case(&golden_mhas[1]);
}

LL_TEST(mha, grouped_query)
{
    check_case(&golden_mhas[2]);
    check_case(&golden_mhas[4]);
}

LL_TEST(mha, multi_query)
{
    check_case(&golden_mhas[3]);
}

LL_TEST(mha, head_mapping)
{
    /* T = 1: every head outputs the value of its own kv head. 4 query heads
     * on 2 kv heads: heads 0, 1 use kv head 0, heads 2, 3 use kv head 1. */
    const float q[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const float k[4] = {1, 1, 1, 1};
    const float v[4] = {10, 11, 20, 21};
    const float want[8] = {10, 11, 10, 11, 20, 21, 20, 21};
    float out[8];
    for (int i = 0; i < 8; i++)
        out[i] = NAN;
    mha(out, q, k, v, 1, 4, 2, 2);
    LL_CHECK_FLOATS_NEAR(out, want, 8, ATOL, RTOL,
                         "mha, T 1, 4 heads on 2 kv heads, v = [10, 11 | 20, "
                         "21] (head h uses kv head h / 2)");
}
