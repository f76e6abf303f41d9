void f(float *p)
{
    <<<1, 1>>>(p);
    (k)<<<1, 1>>>(p);
    k<<<1, 1>>> p;
    k<<<1, 1;
    k<<<1, 1 k<<<2, 2>>>(p);
    __shared__ float a[4]
}
__shared__ float z[
