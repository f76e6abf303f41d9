/* Tests for 37_ffn_swiglu. Students: read them, do not edit them.
 *
 * Small cases are worked out by hand below; the layer test compares with
 * the NumPy oracle (golden/llama_golden.h) on weights from tinymodel.h. */
#include "ffn.h"
#include "golden/llama_golden.h"
#include "llmlings.h"
#include "tinymodel/tinymodel.h"

#include <stdio.h>
#include <string.h>

LL_TEST(ffn, matmul_by_hand)
{
    /* W (2, 3) . x (3) */
    const float w[] = {1, 2, 3, 4, 5, 6};
    const float x[] = {1, 0, -1};
    float out[2] = {99, 99};
    matmul(out, x, w, 3, 2);
    const float want[] = {-2, -2};
    LL_CHECK_FLOATS_NEAR(out, want, 2, 1e-6f, 0, "W(2x3) . {1, 0, -1}");
    /* W (3, 2) . x (2): the same numbers read with the other shape */
    const float y[] = {1, -1};
    float out3[3] = {99, 99, 99};
    matmul(out3, y, w, 2, 3);
    const float want3[] = {-1, -1, -1};
    LL_CHECK_FLOATS_NEAR(out3, want3, 3, 1e-6f, 0, "W(3x2) . {1, -1}");
}

LL_TEST(ffn, matmul_matches_double_precision)
{
    enum { N = 67, D = 13 };
    static float w[D * N], x[N];
    for (int i = 0; i < D * N; i++)
        w[i] = (float)((int)(tm_splitmix(7, (uint64_t)i) >> 54) - 512) / 256;
    for (int j = 0; j < N; j++)
        x[j] = (float)((int)(tm_splitmix(8, (uint64_t)j) >> 54) - 512) / 512;
    float want[D], got[D];
    for (int i = 0; i < D; i++) {
        double acc = 0;
        for (int j = 0; j < N; j++)
            acc += (double)w[i * N + j] * x[j];
        want[i] = (float)acc;
    }
    matmul(got, x, w, N, D);
    LL_CHECK_FLOATS_NEAR(got, want, D, 1e-4f, 1e-5f,
                         "matmul (13 x 67) vs a double-precision sum");
}

LL_TEST(ffn, silu_values)
{
    /* silu(v) = v / (1 + e^-v) */
    LL_CHECK_FLOAT_NEAR(silu(0.0f), 0.0, 1e-7, "silu(0)");
    LL_CHECK_FLOAT_NEAR(silu(1.0f), 0.7310585786, 1e-6, "silu(1)");
    LL_CHECK_FLOAT_NEAR(silu(-1.0f), -0.2689414214, 1e-6, "silu(-1)");
    LL_CHECK_FLOAT_NEAR(silu(2.0f), 1.7615941560, 1e-6, "silu(2)");
    LL_CHECK_FLOAT_NEAR(silu(-20.0f), -4.1223073e-8, 1e-9, "silu(-20)");
    const float big = silu(-200.0f); /* e^200 overflows float: still 0 */
    LL_CHECK(big == 0.0f, "silu(-200): expected 0 (or -0), got %g",
             (double)big);
}

LL_TEST(ffn, swiglu_by_hand)
{
    /* dim 2, hidden 3, x = {1, -1}
     * W1 = {{1,0},{0,1},{2,0}}  -> a = { 1, -1, 2}
     * W3 = {{1,1},{2,0},{0,-1}} -> b = { 0,  2, 1}
     * h = silu(a) * b = {0, -0.5378828427, 1.7615941560}
     * W2 = {{1,2,0},{3,-1,5}}   -> out = {-1.0757656854, 9.3458536225} */
    const float x[] = {1, -1};
    const float w1[] = {1, 0, 0, 1, 2, 0};
    const float w3[] = {1, 1, 2, 0, 0, -1};
    const float w2[] = {1, 2, 0, 3, -1, 5};
    float hb[3], hb2[3], out[2] = {99, 99};
    swiglu_ffn(out, x, w1, w2, w3, 2, 3, hb, hb2);
    const float want[] = {-1.0757656854f, 9.3458536225f};
    LL_CHECK_FLOATS_NEAR(out, want, 2, 1e-5f, 1e-6f,
                         "swiglu_ffn, dim 2, hidden 3");
}

LL_TEST(ffn, swiglu_matches_the_oracle_on_a_model_layer)
{
    size_t size = 0;
    unsigned char *buf = tm_checkpoint_build(&TM_SHAPES[0], &size);
    LL_CHECK_NOT_NULL(buf, "tm_checkpoint_build (test setup)");
    LL_CHECK_UINT_EQ(tm_fnv1a(buf, size), LLG_SHAPES[0].checkpoint_fnv,
                     "fingerprint of the test model (test setup)");
    const float *f = (const float *)(buf + 28);
    const int dim = 32, hidden = 96, l = LLG_FFN_LAYER;
    const float *w[3] = {NULL, NULL, NULL};
    for (int t = 0; t < LLG_SHAPES[0].n_tensors; t++) {
        const llg_tensor *e = &LLG_SHAPES[0].tensors[t];
        const size_t layer = (size_t)l * dim * hidden;
        if (strcmp(e->name, "w1") == 0)
            w[0] = f + e->offset + layer;
        if (strcmp(e->name, "w2") == 0)
            w[1] = f + e->offset + layer;
        if (strcmp(e->name, "w3") == 0)
            w[2] = f + e->offset + layer;
    }
    LL_CHECK(w[0] && w[1] && w[2], "w1, w2, w3 in the golden table");
    float x[32], out[32], hb[96], hb2[96];
    for (int i = 0; i < dim; i++)
        x[i] = (float)((i * 37) % 17 - 8) / 8.0f;
    swiglu_ffn(out, x, w[0], w[1], w[2], dim, hidden, hb, hb2);
    LL_CHECK_FLOATS_NEAR(out, LLG_FFN_OUT, dim, 1e-5f, 1e-4f,
                         "SwiGLU of layer 1 of shape mha vs NumPy");
    free(buf);
}
