/* sim_only.cu: accepted by the simulator, rejected by nvcc (the host calls
 * a __device__ function). `make -C hardware test` proves the nvcc compile
 * check catches it. */
__device__ int twice(int x)
{
    return 2 * x;
}

int host_calls_device(int x)
{
    return twice(x); /* not allowed: twice runs only on the GPU */
}
