import COpenBLAS

/// The few OpenBLAS entry points the embedder uses: single-precision matrix products and the thread count.
enum BLAS {
    /// Computes `C = A · Bᵀ + beta · C` for row-major `A` (m×k), `B` (n×k) and `C` (m×n).
    ///
    /// This is the shape of a linear layer whose weight is stored, as in PyTorch, with one row per output.
    static func multiplyTransposed(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, lda: Int,
        _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float,
        into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, blasint(m), blasint(n), blasint(k),
            1, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// Computes `C = A · B + beta · C` for row-major `A` (m×k), `B` (k×n) and `C` (m×n).
    static func multiply(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, lda: Int,
        _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float,
        into c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(n), blasint(k),
            1, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// The number of threads OpenBLAS uses for one product; a process-wide setting.
    static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// The processor count OpenBLAS detected.
    static var processorCount: Int { Int(openblas_get_num_procs()) }

    /// OpenBLAS's build configuration and the kernel it chose for this processor, for benchmark reports.
    static var configuration: String {
        let config = openblas_get_config().map { String(cString: $0) } ?? "?"
        let core = openblas_get_corename().map { String(cString: $0) } ?? "?"
        return "\(config) core=\(core)"
    }
}
