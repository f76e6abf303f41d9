/* registry.h: the table of live OpenCL objects behind cltrack.h, fed by the
 * wrapped OpenCL calls (cl_wrappers.c). */
#ifndef CLTRACK_REGISTRY_H
#define CLTRACK_REGISTRY_H

enum cltrack_kind {
    CLT_CONTEXT,
    CLT_QUEUE,
    CLT_MEM,
    CLT_PROGRAM,
    CLT_KERNEL,
    CLT_EVENT,
    CLT_SAMPLER,
    CLT_DEVICE,
    CLT_SVM
};

/* handle was created by `call` (returning to caller, the instruction after
 * the call); NULL handles are ignored. */
void cltrack_created(const void *handle, enum cltrack_kind kind,
                     const char *call, const void *caller);

/* One more / one fewer reference held by the program; an object whose
 * count reaches 0 is released. Unknown handles are ignored. */
void cltrack_retained(const void *handle);
void cltrack_released(const void *handle);

#endif
