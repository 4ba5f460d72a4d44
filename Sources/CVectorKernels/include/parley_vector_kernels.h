#ifndef PARLEY_VECTOR_KERNELS_H
#define PARLEY_VECTOR_KERNELS_H

#include <stdint.h>

/// Scores `count` int8 rows of `dimensions` codes against an int8 query: `out[r] = (row_r · query) * scales[r]`.
///
/// The integer dot products are exact (32-bit accumulators); AVX2 is used when the processor has it, checked once.
void parley_int8_scores(const int8_t *rows, const float *scales, long count, long dimensions, const int8_t *query,
                        float *out);

/// Whether `parley_int8_scores` runs on AVX2 on this processor.
int parley_int8_scores_use_avx2(void);

#endif
