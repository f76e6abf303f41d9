/* wmma.cpp: the warp-collective WMMA operations of mma.h (tensor cores).
 *
 * A fragment is spread over the 32 lanes of a warp: lane l holds the
 * tile's elements 32 i + l (i = 0..7), numbered in the order the tile is
 * stored (matrix_a, matrix_b: the fragment's layout; accumulators: row
 * major, whatever layout a load or store names). Each operation is a
 * rendezvous of the whole warp:
 *
 *   1. every lane puts its arguments in its slot and waits in a warp
 *      operation of all 32 lanes (the scheduler checks that every lane
 *      arrives at the same call: a lane that exits or calls something else
 *      is a fault naming both places);
 *   2. each lane compares its arguments with lane 0's, then does its part:
 *      loads or stores its 8 elements (through the instrumentation entry
 *      points, so the memory-traffic counters, the bounds checks and the
 *      race tier see them as the lane's accesses at the caller's line), or
 *      computes its 8 elements of D from every lane's A and B;
 *   3. the warp waits once more, so no lane changes a fragment or its slot
 *      before every lane has read them.
 */
#include "counters.h"
#include "cudasim.h"
#include "device_fault.h"

#include <cinttypes>
#include <cstdint>
#include <cstring>

#include "cuda_fp16.h"

extern "C" {
/* tsan_abi.cpp (the instrumentation's entry points) */
void __tsan_read2_pc(void *a, void *pc);
void __tsan_read4_pc(void *a, void *pc);
void __tsan_write2_pc(void *a, void *pc);
void __tsan_write4_pc(void *a, void *pc);
}

namespace cudasim
{
namespace wmma_impl
{
namespace
{

constexpr unsigned kTile = 16;   /* rows, columns */
constexpr unsigned kPerLane = 8; /* elements of a fragment in one lane */
constexpr unsigned kMaxThreads = 1024;

/* One lane's arguments (step 1). */
struct Slot {
    const void *ptr;
    unsigned ldm, elem;
    bool col_major;
    uint32_t value; /* fill_fragment's value, as bits */
    const void *a, *b;
};
Slot g_slots[kMaxThreads];

struct Lane {
    unsigned linear, lane, first; /* first: the warp's lane 0 */
};

Lane this_lane()
{
    const uint3 t = ::cudasim::g_cur->tid;
    const dim3 &b = ::cudasim::g_blockDim;
    Lane l;
    l.linear = t.x + b.x * (t.y + b.y * t.z);
    l.lane = l.linear % 32;
    l.first = l.linear - l.lane;
    return l;
}

const char *op_name(int op)
{
    switch (op) {
    case W_WMMA_LOAD: return "wmma::load_matrix_sync";
    case W_WMMA_STORE: return "wmma::store_matrix_sync";
    case W_WMMA_FILL: return "wmma::fill_fragment";
    default: return "wmma::mma_sync";
    }
}

/* Step 1 and the checks that need no other lane. */
Lane arrive(int op, const Slot &args, const char *file, int line)
{
    Lane l = this_lane();
    const dim3 &b = ::cudasim::g_blockDim;
    const unsigned threads = b.x * b.y * b.z;
    if (threads - l.first < 32)
        device_fault("%s at %s:%d: the warp has only %u lanes (the block has "
                     "%u threads); wmma operations need all 32 lanes of a "
                     "warp: use a multiple of 32 threads per block",
                     op_name(op), file, line, threads - l.first, threads);
    g_slots[l.linear] = args;
    warp_op(op, 0xffffffffu, 0, 0, 32, file, line);
    return l;
}

/* Step 2's comparison with lane 0. */
void same_as_lane0(int op, const Lane &l, const char *file, int line)
{
    const Slot &me = g_slots[l.linear], &w = g_slots[l.first];
    const char *why = nullptr;
    char mine[64] = "", theirs[64] = "";
    if (me.ptr != w.ptr) {
        why = "pointer";
        snprintf(mine, sizeof mine, "%p", me.ptr);
        snprintf(theirs, sizeof theirs, "%p", w.ptr);
    } else if (me.ldm != w.ldm) {
        why = "ldm";
        snprintf(mine, sizeof mine, "%u", me.ldm);
        snprintf(theirs, sizeof theirs, "%u", w.ldm);
    } else if (me.col_major != w.col_major) {
        why = "layout";
        snprintf(mine, sizeof mine, "%s",
                 me.col_major ? "mem_col_major" : "mem_row_major");
        snprintf(theirs, sizeof theirs, "%s",
                 w.col_major ? "mem_col_major" : "mem_row_major");
    } else if (me.value != w.value) {
        why = "value";
        snprintf(mine, sizeof mine, "bits 0x%08" PRIx32, me.value);
        snprintf(theirs, sizeof theirs, "bits 0x%08" PRIx32, w.value);
    }
    if (why)
        device_fault("%s at %s:%d: lane %u passes the %s %s but lane 0 passes "
                     "%s; all 32 lanes of a warp must call it with the same "
                     "arguments (the fragment is spread over the warp)",
                     op_name(op), file, line, l.lane, why, mine, theirs);
}

/* The alignment CUDA requires of a tile in memory. */
void check_tile(int op, const void *ptr, unsigned ldm, unsigned elem,
                const char *file, int line)
{
    const char *type = elem == 2 ? "half" : "float";
    if (reinterpret_cast<uintptr_t>(ptr) % 32 != 0)
        device_fault("%s at %s:%d: the pointer %p is not 32-byte (256-bit) "
                     "aligned, as wmma requires (offset %u bytes)",
                     op_name(op), file, line, ptr,
                     (unsigned)(reinterpret_cast<uintptr_t>(ptr) % 32));
    if (ldm < kTile || (ldm * elem) % 16 != 0)
        device_fault("%s at %s:%d: ldm %u must be at least 16 and a multiple "
                     "of %u (16 bytes of %s): it is the distance in elements "
                     "between the starts of two rows (row major) or columns "
                     "(column major) of the matrix in memory",
                     op_name(op), file, line, ldm, 16 / elem, type);
}

/* Where element e (0..255) of a tile lies, in elements from its start. */
size_t offset_of(unsigned e, unsigned ldm, bool col_major)
{
    const unsigned r = e / kTile, c = e % kTile;
    return col_major ? (size_t)c * ldm + r : (size_t)r * ldm + c;
}

void note(const void *addr, unsigned elem, bool write, void *pc)
{
    void *a = const_cast<void *>(addr);
    if (write)
        (elem == 2 ? __tsan_write2_pc : __tsan_write4_pc)(a, pc);
    else
        (elem == 2 ? __tsan_read2_pc : __tsan_read4_pc)(a, pc);
}

float element_as_float(const void *x, unsigned i, unsigned elem)
{
    if (elem == 2) {
        __half h;
        std::memcpy(&h, static_cast<const char *>(x) + 2 * i, 2);
        return __half2float(h);
    }
    float f;
    std::memcpy(&f, static_cast<const char *>(x) + 4 * i, 4);
    return f;
}

/* Element e of the tile a fragment spread over the warp holds. */
float tile_element(const void *const *frags, unsigned e, unsigned elem)
{
    return element_as_float(frags[e % 32], e / 32, elem);
}

/* The instruction the counters and the race tier attribute an access to:
 * the caller's call of the operation. */
#define CALLER_PC                                                              \
    reinterpret_cast<void *>(                                                  \
        reinterpret_cast<uintptr_t>(__builtin_return_address(0)) - 1)

} /* namespace */

void load(void *x, const void *ptr, unsigned ldm, unsigned elem, bool col_major,
          const char *file, int line)
{
    void *pc = CALLER_PC;
    Lane l = arrive(W_WMMA_LOAD, Slot{ptr, ldm, elem, col_major, 0, 0, 0}, file,
                    line);
    same_as_lane0(W_WMMA_LOAD, l, file, line);
    check_tile(W_WMMA_LOAD, ptr, ldm, elem, file, line);
    const char *base = static_cast<const char *>(ptr);
    for (unsigned i = 0; i < kPerLane; i++) {
        const char *at =
            base + offset_of(32 * i + l.lane, ldm, col_major) * elem;
        note(at, elem, false, pc);
        std::memcpy(static_cast<char *>(x) + i * elem, at, elem);
    }
    warp_op(W_WMMA_LOAD, 0xffffffffu, 0, 0, 32, file, line);
}

void store(void *ptr, const void *x, unsigned ldm, unsigned elem,
           bool col_major, const char *file, int line)
{
    void *pc = CALLER_PC;
    Lane l = arrive(W_WMMA_STORE, Slot{ptr, ldm, elem, col_major, 0, 0, 0},
                    file, line);
    same_as_lane0(W_WMMA_STORE, l, file, line);
    check_tile(W_WMMA_STORE, ptr, ldm, elem, file, line);
    char *base = static_cast<char *>(ptr);
    for (unsigned i = 0; i < kPerLane; i++) {
        char *at = base + offset_of(32 * i + l.lane, ldm, col_major) * elem;
        note(at, elem, true, pc);
        std::memcpy(at, static_cast<const char *>(x) + i * elem, elem);
    }
    warp_op(W_WMMA_STORE, 0xffffffffu, 0, 0, 32, file, line);
}

void fill(void *x, const void *value, unsigned elem, const char *file, int line)
{
    uint32_t bits = 0;
    std::memcpy(&bits, value, elem);
    Lane l = arrive(W_WMMA_FILL, Slot{nullptr, 0, elem, false, bits, 0, 0},
                    file, line);
    same_as_lane0(W_WMMA_FILL, l, file, line);
    for (unsigned i = 0; i < kPerLane; i++)
        std::memcpy(static_cast<char *>(x) + i * elem, value, elem);
    warp_op(W_WMMA_FILL, 0xffffffffu, 0, 0, 32, file, line);
}

void mma(void *d, const void *a, const void *b, const void *c, bool a_col,
         bool b_col, unsigned acc_elem, const char *file, int line)
{
    Lane l = arrive(W_WMMA_MMA, Slot{nullptr, 0, acc_elem, false, 0, a, b},
                    file, line);
    const void *as[32], *bs[32];
    for (unsigned k = 0; k < 32; k++) {
        as[k] = g_slots[l.first + k].a;
        bs[k] = g_slots[l.first + k].b;
    }
    float out[kPerLane];
    for (unsigned i = 0; i < kPerLane; i++) {
        const unsigned e = 32 * i + l.lane, r = e / kTile, col = e % kTile;
        float acc = element_as_float(c, i, acc_elem);
        for (unsigned k = 0; k < kTile; k++) {
            /* matrix_a holds A[r][k] at r*16+k (row major) or k*16+r */
            const float x =
                tile_element(as, a_col ? k * kTile + r : r * kTile + k, 2);
            const float y =
                tile_element(bs, b_col ? col * kTile + k : k * kTile + col, 2);
            acc += x * y; /* exact product; one rounding per addition */
        }
        out[i] = acc;
    }
    for (unsigned i = 0; i < kPerLane; i++) {
        if (acc_elem == 2) {
            const __half h = __float2half(out[i]);
            std::memcpy(static_cast<char *>(d) + 2 * i, &h, 2);
        } else {
            std::memcpy(static_cast<char *>(d) + 4 * i, &out[i], 4);
        }
    }
    if (l.lane == 0)
        counters::tensor_mma();
    warp_op(W_WMMA_MMA, 0xffffffffu, 0, 0, 32, file, line);
}

} /* namespace wmma_impl */
} /* namespace cudasim */
