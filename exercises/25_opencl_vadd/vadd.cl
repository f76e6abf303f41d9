/* vadd.cl: the OpenCL C kernel of exercise 25_opencl_vadd.
 *
 * One work-item per element: work-item i computes c[i] = a[i] + b[i].
 * The host rounds the global size up to a multiple of the work-group size,
 * so some work-items have no element. */
__kernel void vadd(__global const float *a, __global const float *b,
                   __global float *c, const uint n)
{
    /* TODO: this work-item's index (get_global_id), and only when it is
     * below n, c[i] = a[i] + b[i]. */
    const size_t i = 0;
    if (n > 0)
        c[i] = a[i];
}
