// Integer dot products for the quantized vector scan. Swift's SIMD types compile to the x86-64 baseline (SSE2),
// which has no widening int8 multiply-add; here AVX2's vpmovsxbw + vpmaddwd take 16 codes per step, chosen at run
// time so the binary still runs on processors without AVX2.
#include "parley_vector_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static void scores_portable(const int8_t *rows, const float *scales, long count, long dimensions,
                            const int8_t *query, float *out) {
    for (long r = 0; r < count; r++) {
        const int8_t *row = rows + r * dimensions;
        int32_t sum = 0;
        for (long d = 0; d < dimensions; d++) sum += (int32_t)row[d] * (int32_t)query[d];
        out[r] = (float)sum * scales[r];
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static void scores_avx2(const int8_t *rows, const float *scales, long count,
                                                         long dimensions, const int8_t *query, float *out) {
    long whole = dimensions - dimensions % 32;
    for (long r = 0; r < count; r++) {
        const int8_t *row = rows + r * dimensions;
        __m256i first = _mm256_setzero_si256();
        __m256i second = _mm256_setzero_si256();
        for (long d = 0; d < whole; d += 32) {
            __m256i a0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + d)));
            __m256i b0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(query + d)));
            __m256i a1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + d + 16)));
            __m256i b1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(query + d + 16)));
            first = _mm256_add_epi32(first, _mm256_madd_epi16(a0, b0));
            second = _mm256_add_epi32(second, _mm256_madd_epi16(a1, b1));
        }
        __m256i both = _mm256_add_epi32(first, second);
        __m128i half = _mm_add_epi32(_mm256_castsi256_si128(both), _mm256_extracti128_si256(both, 1));
        half = _mm_add_epi32(half, _mm_shuffle_epi32(half, _MM_SHUFFLE(1, 0, 3, 2)));
        half = _mm_add_epi32(half, _mm_shuffle_epi32(half, _MM_SHUFFLE(2, 3, 0, 1)));
        int32_t sum = _mm_cvtsi128_si32(half);
        for (long d = whole; d < dimensions; d++) sum += (int32_t)row[d] * (int32_t)query[d];
        out[r] = (float)sum * scales[r];
    }
}
#endif

int parley_int8_scores_use_avx2(void) {
#if defined(__x86_64__)
    // Both builtins only read what the runtime filled in at start (init is idempotent): cheap, and free of races.
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

void parley_int8_scores(const int8_t *rows, const float *scales, long count, long dimensions, const int8_t *query,
                        float *out) {
#if defined(__x86_64__)
    if (parley_int8_scores_use_avx2()) {
        scores_avx2(rows, scales, count, dimensions, query, out);
        return;
    }
#endif
    scores_portable(rows, scales, count, dimensions, query, out);
}
