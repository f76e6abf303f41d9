/* vadd.cl: the OpenCL C kernel of exercise 25_opencl_vadd.
 *
 * One work-item per element: work-item i computes c[i] = a[i] + b[i].
 * The host rounds the global size up to a multiple of the work-group size,
 * so some work-items have no element. */
__kernel void vadd(__global const float *a, __global const float *b,
                   __global float *c, const uint n)
{
    const size_t i = get_global_id(0);
    if (i < n) /* the work-items of the rounded-up tail do nothing */
        c[i] = a[i] + b[i];
}
