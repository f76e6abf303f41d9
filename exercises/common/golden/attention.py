#!/usr/bin/python3
"""Golden data for chapter 4 (the attention layer), computed with NumPy.

The tests of exercises 27..33 never trust the reference solution for their
expected values: this script is an independent implementation written the
"matrix" way (whole score matrices, np.exp on arrays, float64 throughout),
unlike the loop-by-loop float32 C the student writes.

    /usr/bin/python3 exercises/common/golden/attention.py          # regenerate
    /usr/bin/python3 exercises/common/golden/attention.py --check  # verify

Inputs come from a fixed-seed splitmix64 generator implemented here (not
NumPy's, whose streams may change between versions), rounded to float32.
Expected outputs are computed in float64 from those float32 inputs and then
rounded once to float32, so they are the correctly rounded answers the
student's float32 code must approach (tolerances are in each test file).

--check regenerates everything into a temporary folder and compares it byte
for byte with the checked-in headers; exit status 1 names every file that
differs, 0 when all match.
"""

import argparse
import math
import pathlib
import sys
import tempfile

try:
    import numpy as np
except ImportError:  # say so clearly: Debian's numpy lives in /usr/bin/python3
    sys.exit("attention.py: NumPy is not importable by %s; run it with "
             "/usr/bin/python3 (Debian package python3-numpy)" % sys.executable)

EXERCISES = pathlib.Path(__file__).resolve().parents[2]
MASK64 = (1 << 64) - 1


class Rng:
    """splitmix64: tiny, portable, identical on every Python and NumPy."""

    def __init__(self, seed):
        self.state = seed & MASK64

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform(self, shape, lo=-1.0, hi=1.0):
        """float32 array, uniform on a decimal grid in [lo, hi].

        The grid step is a power of ten about (hi - lo) / 200, so values
        print in few digits (small headers) yet rarely repeat."""
        n = int(np.prod(shape))
        p = -math.floor(math.log10((hi - lo) / 200.0))  # decimals
        klo, khi = round(lo * 10.0 ** p), round(hi * 10.0 ** p)
        ks = [klo + self.next_u64() % (khi - klo + 1) for _ in range(n)]
        x = [k / 10.0 ** p if p > 0 else k * 10.0 ** -p for k in ks]
        return np.array(x, dtype=np.float64).astype(np.float32).reshape(shape)

    def integers(self, shape, lo, hi):
        """float32 array of integers in [lo, hi] (exact in float32)."""
        n = int(np.prod(shape))
        span = hi - lo + 1
        vals = [lo + self.next_u64() % span for _ in range(n)]
        return np.array(vals, dtype=np.float32).reshape(shape)


# ---- the independent float64 implementations -----------------------------


def f64(a):
    return np.asarray(a, dtype=np.float64)


def softmax64(x):
    """Row-wise softmax; a row that is entirely -inf becomes zeros."""
    x = f64(x)
    m = np.max(x, axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    e = np.exp(x - m)
    s = np.sum(e, axis=-1, keepdims=True)
    return np.divide(e, s, out=np.zeros_like(e), where=s > 0)


def rmsnorm64(x, w, eps):
    x = f64(x)
    return f64(w) * x / np.sqrt(np.mean(x * x) + eps)


def layernorm64(x, w, b, eps):
    x = f64(x)
    mu = np.mean(x)
    var = np.mean((x - mu) ** 2)
    return f64(w) * (x - mu) / np.sqrt(var + eps) + f64(b)


def rope64(x, n_heads, head_dim, pos):
    """Rotate the pairs (2i, 2i+1) of every head by pos * 10000^(-2i/hd)."""
    x = f64(x).reshape(n_heads, head_dim // 2, 2)
    i2 = np.arange(0, head_dim, 2, dtype=np.float64)
    ang = pos * np.power(10000.0, -i2 / head_dim)
    z = (x[..., 0] + 1j * x[..., 1]) * np.exp(1j * ang)  # complex rotation
    return np.stack([z.real, z.imag], axis=-1).reshape(-1)


def causal_attention64(q, k, v):
    """softmax(Q K^T / sqrt(d) + causal mask) V for one head, [T x d]."""
    q, k, v = f64(q), f64(k), f64(v)
    t, d = q.shape
    s = q @ k.T / math.sqrt(d)
    s[np.triu(np.ones((t, t), dtype=bool), 1)] = -np.inf
    return softmax64(s) @ v


def mha64(q, k, v, n_heads, n_kv_heads, head_dim):
    """Causal multi-head / grouped-query attention on [T x heads*hd]."""
    t = q.shape[0]
    group = n_heads // n_kv_heads
    out = np.zeros((t, n_heads * head_dim))
    for h in range(n_heads):
        g = h // group
        qs = slice(h * head_dim, (h + 1) * head_dim)
        ks = slice(g * head_dim, (g + 1) * head_dim)
        out[:, qs] = causal_attention64(q[:, qs], k[:, ks], v[:, ks])
    return out


# ---- C header writer ------------------------------------------------------


def c_float(v):
    """Shortest decimal that reads back as the same float32 (C rounds a
    decimal float literal with an f suffix correctly to float)."""
    v = np.float32(v)
    if math.isinf(v):
        return "-INFINITY" if v < 0 else "INFINITY"
    for digits in range(1, 10):  # 9 significant digits always suffice
        s = "%.*g" % (digits, float(v))
        if np.float32(float(s)) == v:
            break
    if "e" in s and 1e-4 <= abs(v) < 1e9:
        s = repr(float(s))  # 5e+01 -> 50.0: Python's shortest positional
    if not any(c in s for c in ".e"):
        s += ".0"
    return s + "f"


class Header:
    def __init__(self, name, what):
        self.name = name
        # `make format` runs clang-format on every tracked header: keep it off
        # these (the first line, before any comment it could rewrap), or
        # --check would fail after a reformat.
        self.lines = [
            "/* clang-format off */",
            "/* %s: %s" % (name, what),
            " *",
            " * GENERATED by exercises/common/golden/attention.py (NumPy, float64",
            " * arithmetic rounded once to float32). Do not edit: regenerate with",
            " *   /usr/bin/python3 exercises/common/golden/attention.py",
            " */",
        ]
        guard = name.upper().replace(".", "_")
        self.lines += ["#ifndef " + guard, "#define " + guard, "",
                       "#include <math.h>", ""]
        self.guard = guard

    def array(self, name, values):
        vals = [c_float(v) for v in np.asarray(values).reshape(-1)]
        self.lines.append("static const float %s[%d] = {" % (name, len(vals)))
        row = "   "
        for s in vals:
            if len(row) + len(s) + 2 > 79:
                self.lines.append(row)
                row = "   "
            row += " " + s + ","
        self.lines.append(row)
        self.lines.append("};")

    def cases(self, type_name, fields, cases):
        """fields: list of (name, kind) with kind 'int', 'float' or 'array'.
        Emits one array per array field and case, then a table of structs."""
        self.lines.append("typedef struct {")
        for f, kind in fields:
            ctype = {"int": "int", "float": "float",
                     "array": "const float *"}[kind]
            self.lines.append("    %s%s%s;" % (ctype, "" if ctype.endswith("*")
                                              else " ", f))
        self.lines.append("} %s;" % type_name)
        self.lines.append("")
        prefix = type_name[:-2] if type_name.endswith("_t") else type_name
        for i, case in enumerate(cases):
            for f, kind in fields:
                if kind == "array":
                    self.array("%s_%d_%s" % (prefix, i, f), case[f])
        self.lines.append("")
        self.lines.append("static const %s %ss[] = {" % (type_name, prefix))
        for i, case in enumerate(cases):
            parts = []
            for f, kind in fields:
                if kind == "int":
                    parts.append("%d" % case[f])
                elif kind == "float":
                    parts.append(c_float(case[f]))
                else:
                    parts.append("%s_%d_%s" % (prefix, i, f))
            self.lines.append("    {" + ", ".join(parts) + "},")
        self.lines.append("};")
        self.lines.append("enum { %s_COUNT = %d };" % (prefix.upper(),
                                                       len(cases)))
        self.lines.append("")

    def text(self):
        return "\n".join(self.lines + ["#endif /* %s */" % self.guard, ""])


# ---- one generator per exercise ------------------------------------------


def gen_softmax():
    rng = Rng(27)
    h = Header("golden_softmax.h",
               "random rows and their softmax, max and sum.")
    cases = []
    # (length, low, high): scales from gentle to large logits; 1e4 offsets
    # overflow exp() in float32 unless the maximum is subtracted first.
    for n, lo, hi in [(1, -3, 3), (2, -1, 1), (7, -5, 5), (12, -20, 20),
                      (20, 9990, 10010), (37, -10010, -9990), (64, -30, 30),
                      (100, -8, 8)]:
        x = rng.uniform(n, lo, hi)
        m = np.max(f64(x))
        cases.append({"n": n, "x": x, "y": softmax64(x), "max": m,
                      "sum": np.sum(np.exp(f64(x) - m))})
    h.cases("golden_softmax_t", [("n", "int"), ("x", "array"),
                                 ("y", "array"), ("max", "float"),
                                 ("sum", "float")], cases)
    return {"27_softmax/golden_softmax.h": h.text()}


def gen_norms():
    rng = Rng(28)
    h = Header("golden_norms.h", "RMSNorm and LayerNorm inputs and outputs.")
    rms, ln = [], []
    # (n, x scale, x offset, eps). n = 12, 20, 100 are not powers of two; the
    # eps = 0.01 case with tiny x is dominated by eps; the offset-1000 case
    # breaks the one-pass variance formula E[x^2] - E[x]^2 in float32.
    for n, scale, offset, eps in [(1, 2, 0, 1e-5), (12, 3, 0, 1e-5),
                                  (20, 1, 0.5, 1e-6), (64, 0.05, 0, 1e-2),
                                  (100, 4, 0, 1e-5)]:
        x = (offset + f64(rng.uniform(n, -scale, scale))).astype(np.float32)
        w = rng.uniform(n, 0.5, 1.5)
        eps = float(np.float32(eps))  # the value the C test passes
        rms.append({"n": n, "eps": eps, "x": x, "w": w,
                    "y": rmsnorm64(x, w, eps)})
    for n, scale, offset, eps in [(1, 2, 0, 1e-5), (12, 3, 0, 1e-5),
                                  (20, 1, 0.5, 1e-6), (64, 1, 1000, 1e-5),
                                  (100, 4, 0, 1e-5)]:
        x = (offset + f64(rng.uniform(n, -scale, scale))).astype(np.float32)
        w = rng.uniform(n, 0.5, 1.5)
        eps = float(np.float32(eps))
        b = rng.uniform(n, -0.5, 0.5)
        ln.append({"n": n, "eps": eps, "x": x, "w": w, "b": b,
                   "y": layernorm64(x, w, b, eps)})
    h.cases("golden_rmsnorm_t", [("n", "int"), ("eps", "float"),
                                 ("x", "array"), ("w", "array"),
                                 ("y", "array")], rms)
    h.cases("golden_layernorm_t", [("n", "int"), ("eps", "float"),
                                   ("x", "array"), ("w", "array"),
                                   ("b", "array"), ("y", "array")], ln)
    return {"28_norms/golden_norms.h": h.text()}


def gen_rope():
    rng = Rng(29)
    h = Header("golden_rope.h", "RoPE inputs and rotated outputs.")
    cases = []
    for n_heads, head_dim, pos in [(1, 2, 1), (3, 12, 5), (2, 20, 37),
                                   (4, 8, 0), (2, 64, 255), (1, 20, 1000)]:
        x = rng.uniform(n_heads * head_dim)
        cases.append({"n_heads": n_heads, "head_dim": head_dim, "pos": pos,
                      "x": x, "y": rope64(x, n_heads, head_dim, pos)})
    h.cases("golden_rope_t", [("n_heads", "int"), ("head_dim", "int"),
                              ("pos", "int"), ("x", "array"), ("y", "array")],
            cases)
    # Relative position: <rope(q, m), rope(k, n)> depends on m - n only.
    q, k = rng.uniform(2 * 12), rng.uniform(2 * 12)
    dots = []
    for m, n in [(10, 7), (3, 0), (50, 47)]:
        a = rope64(q, 2, 12, m).reshape(2, 12)
        b = rope64(k, 2, 12, n).reshape(2, 12)
        dots.append(np.sum(a * b, axis=1))
    h.array("golden_rope_rel_q", q)
    h.array("golden_rope_rel_k", k)
    h.array("golden_rope_rel_dot", dots[0])  # per head, for offset m - n = 3
    assert np.allclose(dots[0], dots[1]) and np.allclose(dots[0], dots[2])
    return {"29_rope/golden_rope.h": h.text()}


def attention_inputs(rng, t, d):
    return rng.uniform((t, d)), rng.uniform((t, d)), rng.uniform((t, d))


def large_logit_inputs(rng, t):
    """d = 4, integer q and k in [-100, 100]: the scores q.k/2 are exact in
    float32 and reach about +-1e4, so only a stable softmax survives."""
    q = rng.integers((t, 4), -100, 100)
    k = rng.integers((t, 4), -100, 100)
    v = rng.uniform((t, 4))
    return q, k, v


def gen_attention():
    rng = Rng(30)
    h = Header("golden_attention.h",
               "single-query and causal single-head attention.")
    attend = []
    for n_keys, d in [(1, 4), (6, 12), (9, 20)]:
        q = rng.uniform(d, -2, 2)
        k, v = rng.uniform((n_keys, d)), rng.uniform((n_keys, d))
        s = f64(k) @ f64(q) / math.sqrt(d)
        attend.append({"n_keys": n_keys, "d": d, "q": q, "k": k, "v": v,
                       "out": softmax64(s) @ f64(v)})
    h.cases("golden_attend_t", [("n_keys", "int"), ("d", "int"),
                                ("q", "array"), ("k", "array"),
                                ("v", "array"), ("out", "array")], attend)
    causal = []
    for t, d in [(1, 8), (7, 12), (13, 20)]:
        q, k, v = attention_inputs(rng, t, d)
        causal.append({"T": t, "d": d, "q": q, "k": k, "v": v,
                       "out": causal_attention64(q, k, v)})
    q, k, v = large_logit_inputs(rng, 9)
    causal.append({"T": 9, "d": 4, "q": q, "k": k, "v": v,
                   "out": causal_attention64(q, k, v)})
    h.cases("golden_causal_t", [("T", "int"), ("d", "int"), ("q", "array"),
                                ("k", "array"), ("v", "array"),
                                ("out", "array")], causal)
    return {"30_attention/golden_attention.h": h.text()}


def gen_mha():
    rng = Rng(31)
    h = Header("golden_mha.h", "multi-head and grouped-query attention.")
    cases = []
    # MHA (kv = heads), GQA (groups of 3), MQA (one kv head), length 1.
    for t, nh, nkv, hd in [(1, 2, 2, 8), (5, 3, 3, 12), (6, 6, 2, 6),
                           (4, 2, 1, 20), (8, 4, 2, 6)]:
        q = rng.uniform((t, nh * hd))
        k = rng.uniform((t, nkv * hd))
        v = rng.uniform((t, nkv * hd))
        cases.append({"T": t, "n_heads": nh, "n_kv_heads": nkv,
                      "head_dim": hd, "q": q, "k": k, "v": v,
                      "out": mha64(q, k, v, nh, nkv, hd)})
    h.cases("golden_mha_t", [("T", "int"), ("n_heads", "int"),
                             ("n_kv_heads", "int"), ("head_dim", "int"),
                             ("q", "array"), ("k", "array"), ("v", "array"),
                             ("out", "array")], cases)
    return {"31_mha_gqa/golden_mha.h": h.text()}


def gen_kv_cache():
    """A two-layer attention-only toy model, run on all positions at once
    (full recomputation with whole causal score matrices)."""
    rng = Rng(32)
    h = Header("golden_kv_cache.h",
               "toy attention model: weights, inputs, full-recompute output.")
    n_layers, n_heads, n_kv, hd, t = 2, 4, 2, 5, 8
    dim, kv_dim = n_heads * hd, n_kv * hd
    x0 = rng.uniform((t, dim))
    x = f64(x0)
    ws = []
    for _ in range(n_layers):
        wq = rng.uniform((dim, dim), -0.5, 0.5)  # W[out][in], row-major
        wk = rng.uniform((kv_dim, dim), -0.5, 0.5)
        wv = rng.uniform((kv_dim, dim), -0.5, 0.5)
        ws.append((wq, wk, wv))
        q, k, v = x @ f64(wq).T, x @ f64(wk).T, x @ f64(wv).T
        x = x + mha64(q, k, v, n_heads, n_kv, hd)  # residual connection
    h.lines.append("enum { TOY_LAYERS = %d, TOY_HEADS = %d, TOY_KV_HEADS = %d,"
                   " TOY_HEAD_DIM = %d, TOY_T = %d };" % (n_layers, n_heads,
                                                          n_kv, hd, t))
    h.lines.append("")
    h.array("toy_x0", x0)
    for i, (wq, wk, wv) in enumerate(ws):
        h.array("toy_wq%d" % i, wq)
        h.array("toy_wk%d" % i, wk)
        h.array("toy_wv%d" % i, wv)
    h.array("toy_out", x)
    h.lines.append("")
    # Plain GQA attention for the cache's one-query-at-a-time attend:
    # row t of the causal output is what the query at position t sees.
    t, nh, nkv, hd = 5, 4, 2, 6
    q = rng.uniform((t, nh * hd))
    k, v = rng.uniform((t, nkv * hd)), rng.uniform((t, nkv * hd))
    h.lines.append("enum { GQA_T = %d, GQA_HEADS = %d, GQA_KV_HEADS = %d, "
                   "GQA_HEAD_DIM = %d };" % (t, nh, nkv, hd))
    h.lines.append("")
    h.array("gqa_q", q)
    h.array("gqa_k", k)
    h.array("gqa_v", v)
    h.array("gqa_out", mha64(q, k, v, nh, nkv, hd))
    return {"32_kv_cache/golden_kv_cache.h": h.text()}


def gen_flash():
    rng = Rng(33)
    h = Header("golden_flash.h",
               "causal attention and one online-softmax block update.")
    cases = []
    for t, d in [(1, 8), (10, 20), (21, 12)]:
        q, k, v = attention_inputs(rng, t, d)
        cases.append({"T": t, "d": d, "q": q, "k": k, "v": v,
                      "out": causal_attention64(q, k, v)})
    q, k, v = large_logit_inputs(rng, 11)
    cases.append({"T": 11, "d": 4, "q": q, "k": k, "v": v,
                  "out": causal_attention64(q, k, v)})
    h.cases("golden_flash_t", [("T", "int"), ("d", "int"), ("q", "array"),
                               ("k", "array"), ("v", "array"),
                               ("out", "array")], cases)
    # One query, keys in two blocks (5 then 7). The expected state after
    # each block is computed directly from all keys seen so far (no
    # recurrence): max, sum of exp(s - max), and sum of exp(s - max) * v.
    d, n1, n2 = 12, 5, 7
    q = rng.uniform(d, -3, 3)
    k, v = rng.uniform((n1 + n2, d)), rng.uniform((n1 + n2, d))
    s = f64(k) @ f64(q) / math.sqrt(d)
    h.array("golden_block_q", q)
    h.array("golden_block_k", k)
    h.array("golden_block_v", v)
    for name, n in [("1", n1), ("2", n1 + n2)]:
        m = np.max(s[:n])
        p = np.exp(s[:n] - m)
        h.array("golden_block_state" + name, [m, np.sum(p)])
        h.array("golden_block_acc" + name, p @ f64(v[:n]))
    return {"33_flash_attention/golden_flash.h": h.text()}


def gen_flash_cuda():
    """Causal attention for the CUDA tiled kernel: lengths that are and are
    not multiples of the tiles the tests use (1, 4, 16, 32), a head size of
    1 and one of 64 (the largest the exercise allows), large logits."""
    rng = Rng(34)
    h = Header("golden_flash_cuda.h", "causal attention for the CUDA kernel.")
    cases = []
    for t, d in [(1, 8), (16, 1), (37, 12), (64, 20), (50, 64)]:
        q, k, v = attention_inputs(rng, t, d)
        cases.append({"T": t, "d": d, "q": q, "k": k, "v": v,
                      "out": causal_attention64(q, k, v)})
    q, k, v = large_logit_inputs(rng, 19)
    cases.append({"T": 19, "d": 4, "q": q, "k": k, "v": v,
                  "out": causal_attention64(q, k, v)})
    h.cases("golden_flash_cuda_t", [("T", "int"), ("d", "int"),
                                    ("q", "array"), ("k", "array"),
                                    ("v", "array"), ("out", "array")], cases)
    return {"34_flash_attention_cuda/golden_flash_cuda.h": h.text()}


GENERATORS = [gen_softmax, gen_norms, gen_rope, gen_attention, gen_mha,
              gen_kv_cache, gen_flash, gen_flash_cuda]


def generate(root):
    written = []
    for gen in GENERATORS:
        for rel, text in gen().items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            written.append(rel)
    return written


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="regenerate into a temp dir and compare byte for "
                    "byte with the checked-in headers")
    args = ap.parse_args()
    if not args.check:
        for rel in generate(EXERCISES):
            print("wrote exercises/" + rel)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        bad = []
        for rel in generate(pathlib.Path(tmp)):
            mine = EXERCISES / rel
            fresh = (pathlib.Path(tmp) / rel).read_bytes()
            if not mine.exists():
                bad.append("exercises/%s: missing" % rel)
            elif mine.read_bytes() != fresh:
                bad.append("exercises/%s: differs from what NumPy computes "
                           "now" % rel)
    if bad:
        for line in bad:
            print("golden check FAILED: " + line, file=sys.stderr)
        print("regenerate with /usr/bin/python3 "
              "exercises/common/golden/attention.py and review the diff",
              file=sys.stderr)
        return 1
    print("golden check: all chapter 4 headers match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
