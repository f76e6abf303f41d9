void g(float *p)
{
    k<<<1,
       1>>>(p);
    __shared__ float s[8];
}
