import ParleyCore

/// Tenants whose knowledge should be brought to their current embedding model, for the re-embedding service to
/// work through one at a time.
final class ReembeddingQueue: Sendable {
    /// The tenants, in the order they were scheduled.
    let tenants: AsyncStream<TenantID>
    private let continuation: AsyncStream<TenantID>.Continuation

    init() {
        (tenants, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Asks for the tenant's chunks to be embedded with its current model, in the background.
    func schedule(_ tenant: TenantID) {
        continuation.yield(tenant)
    }
}
