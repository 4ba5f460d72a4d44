extension EmbeddingProvider {
    /// Embeds one text, or returns nil when the embedder fails or misses `deadline` (a remote endpoint that is down
    /// or hung); cancellation of the caller is passed on and thrown.
    ///
    /// A turn uses this where a vector improves the answer but is not required: search and intent then go on
    /// without one rather than failing the turn.
    public func embedding(of text: String, deadline: Duration) async throws -> [Float]? {
        let work = Task { try await embed([text]).first }
        let timer = Task {
            try await Task.sleep(for: deadline)
            work.cancel()
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await work.value
            } onCancel: {
                work.cancel()
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return nil
        }
    }
}
