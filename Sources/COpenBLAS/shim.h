#ifndef PARLEY_COPENBLAS_SHIM_H
#define PARLEY_COPENBLAS_SHIM_H

// OpenBLAS's CBLAS interface plus its thread-count controls (openblas_set_num_threads and friends).
#include <cblas.h>

#endif
