/* reduce.cl: the kernel of exercise 26_opencl_local.
 *
 * Each work-group sums local_size consecutive elements of x in local
 * memory (`scratch`, local_size floats, sized by the host) and writes its
 * sum to partial[group]. Work-items past n contribute 0. */
__kernel void partial_sums(__global const float *x, __global float *partial,
                           __local float *scratch, const uint n)
{
    const size_t gid = get_global_id(0);
    const size_t lid = get_local_id(0);
    const size_t lsize = get_local_size(0);
    /* TODO: 1. scratch[lid] = this work-item's element (0 past n);
     *          every work-item waits for the others (barrier).
     *       2. for stride = lsize / 2, lsize / 4, ..., 1: the work-items
     *          below stride add scratch[lid + stride] into scratch[lid];
     *          a barrier that EVERY work-item reaches ends each step.
     *       3. work-item 0 writes scratch[0] to partial[group id]. */
    (void)lsize;
    if (lid == 0)
        partial[get_group_id(0)] = gid < n ? x[gid] : 0.0f;
    (void)scratch;
}
