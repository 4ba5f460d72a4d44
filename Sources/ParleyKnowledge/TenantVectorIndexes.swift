import ParleyCore
import ParleyStore

/// Each tenant's in-process vector index, loaded from the stored embeddings and kept until its knowledge changes.
///
/// Tenants never share an index. A search checks the tenant's knowledge version (one indexed read) and rebuilds
/// the index when it moved; concurrent searches of a tenant whose index is being built wait for that one build.
actor TenantVectorIndexes {
    private let store: any KnowledgeRepository
    private var loaded: [TenantID: (version: Int, model: String, index: VectorIndex)] = [:]
    private var building: [TenantID: Task<(Int, VectorIndex), any Error>] = [:]

    init(store: any KnowledgeRepository) {
        self.store = store
    }

    func index(tenant: TenantID, model: String, dimensions: Int) async throws -> VectorIndex {
        let version = try await store.version(tenant: tenant)
        if let current = loaded[tenant], current.version == version, current.model == model { return current.index }
        if let running = building[tenant] { return try await running.value.1 }
        let store = store
        let task = Task {
            var index = VectorIndex(dimensions: dimensions)
            for embedding in try await store.embeddings(tenant: tenant, model: model) {
                // A vector the index refuses (all zeros, or another size from a misbehaving endpoint) leaves that
                // chunk to full-text search rather than failing every search of the tenant.
                try? index.add(id: embedding.chunkID, vector: embedding.vector)
            }
            return (version, index)
        }
        building[tenant] = task
        defer { building[tenant] = nil }
        let (builtVersion, index) = try await task.value
        loaded[tenant] = (builtVersion, model, index)
        return index
    }
}
