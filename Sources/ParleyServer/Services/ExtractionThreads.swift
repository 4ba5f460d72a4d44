import NIOPosix

/// The threads that read uploaded documents (PDF, Word, HTML), apart from NIO's shared blocking pool.
///
/// Extraction parses untrusted bytes and may wait seconds for `pdftotext`. On NIO's shared pool, which has as many
/// threads as the machine has cores, a few uploads at once made every password check (bcrypt) and the crawler's
/// name lookups wait behind them. Here at most `count` documents are read at once, and the others queue.
enum ExtractionThreads {
    /// How many documents are read at once.
    static let count = 2

    /// The started pool; it lives as long as the process, as NIO's shared pool does.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: count)
        pool.start()
        return pool
    }()

    /// Runs `body` on one of the extraction threads.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
