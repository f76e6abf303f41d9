/* hardware.h: the workbook's hardware/ (the CUDA simulator, the device
 * probe) built once per grader process into the build folder, the probe's
 * JSON, and where nvcc is. */
#ifndef GRADER_HARDWARE_H
#define GRADER_HARDWARE_H

#include <cjson/cJSON.h>

#include "base/strbuf.h"
#include "workbook/workbook.h"

/* Builds ROOT/hardware into BUILD_DIR/hardware (make, sandboxed, once per
 * grader process). Returns the absolute folder holding cudasim-rewrite,
 * libcudasim.a, libcudasim_tsan.a and probe (owned by this module), or NULL
 * with the reason in err. */
const char *hw_build_dir(const graded_view *v, strbuf *err);

/* The probe's JSON document (probe --json), run once; NULL when it could
 * not be built or run. Owned by this module. */
const cJSON *hw_probe(const graded_view *v);

/* Whether the probe found a usable CUDA GPU; 0 when unknown. */
int hw_gpu_usable(const graded_view *v);

/* {"hardware": probe} for the results document when the manifest has an
 * exercise of a kind that uses hardware/, else NULL. The caller owns it. */
cJSON *hw_results_extra(const graded_view *v);

/* The path of nvcc (PATH, then /usr/local/cuda/bin/nvcc), or NULL. */
char *hw_find_nvcc(void);

#endif
