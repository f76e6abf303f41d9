/* ctor_cuda: computes the result on the host, and a constructor that runs
 * before the simulator's own (priority 100 < 101) takes the device report's
 * descriptor out of the environment, so no device process starts and
 * nothing reports that no kernel ran. */
#include "gpu.h"

#include <stdlib.h>

__attribute__((constructor(100))) static void no_device(void)
{
    unsetenv("CUDASIM_DEVICE_REPORT_FD");
}

int gpu_scale(const float *x, float *y, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = 2.0f * x[i] + 1.0f;
    return 0;
}
