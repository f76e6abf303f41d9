/* gpu_checks.h: what the cuda and opencl kinds need beyond a C build: the
 * workbook's hardware/ (CUDA simulator, probe) built once into the build
 * folder, the probe's JSON, and turning ThreadSanitizer and oclgrind
 * reports into one-line messages. */
#ifndef GRADER_GPU_CHECKS_H
#define GRADER_GPU_CHECKS_H

#include <cjson/cJSON.h>

#include "base/strbuf.h"
#include "workbook/workbook.h"

/* Builds ROOT/hardware into BUILD_DIR/hardware (make, sandboxed, once per
 * grader process). Returns the absolute folder holding cudasim-rewrite,
 * libcudasim.a, libcudasim_tsan.a and probe (owned by this module), or NULL
 * with the reason in err. */
const char *hw_build_dir(const workbook *wb, strbuf *err);

/* The probe's JSON document (probe --json), run once; NULL when it could
 * not be built or run. Owned by this module. */
const cJSON *hw_probe(const workbook *wb);

/* Whether the probe found a usable CUDA GPU; 0 when unknown. */
int hw_gpu_usable(const workbook *wb);

/* {"hardware": probe} for the results document when the manifest has a
 * cuda or opencl exercise, else NULL. The caller owns the object. */
cJSON *hw_results_extra(const workbook *wb);

/* The path of nvcc (PATH, then /usr/local/cuda/bin/nvcc), or NULL. */
char *hw_find_nvcc(void);

/* From a ThreadSanitizer report on stderr: "data race in KERNEL: ACCESS by
 * block (..) thread (..) at FILE:LINE and ACCESS by ... at FILE:LINE", or
 * NULL when there is no data race report. prefix is removed from paths. */
char *tsan_race_message(const char *err, const char *prefix);

/* From an oclgrind run's stderr: its first finding (invalid access, data
 * race, barrier divergence ...) as one line, or NULL. */
char *oclgrind_finding(const char *err, const char *prefix);

/* Replaces the PoCL cache paths in compiler messages about a kernel
 * (".../pocl-cache/tempfile_XXXX.cl:7:14") by "(your .cl file)", in place. */
void opencl_clean_paths(char *s);

#endif
