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
    scratch[lid] = gid < n ? x[gid] : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    /* Halve the active work-items each step; the barrier is outside the
     * if, so every work-item of the group reaches it. */
    for (size_t stride = lsize / 2; stride > 0; stride /= 2) {
        if (lid < stride)
            scratch[lid] += scratch[lid + stride];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0)
        partial[get_group_id(0)] = scratch[0];
}
