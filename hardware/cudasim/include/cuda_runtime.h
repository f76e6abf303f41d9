/* cuda_runtime.h: under the simulator, the CUDA runtime API is cudasim.h. */
#include <cudasim.h>
