__global__ void s(float *out)
{
    __shared__ float a[16][16], *b, c;
    volatile __shared__ int v[32];
    __shared__ __align__(16) float f4[8];
    extern __shared__ float dyn[];
    __shared__ int bad = 3;
    a[0][0] = dyn[0] + c + v[0] + f4[0] + *b;
    out[0] = a[0][0];
}
extern __shared__ int global_dyn[];
__shared__ int file_scope;
