import Hummingbird

/// Liveness and readiness probes.
enum HealthRoutes {
    struct Status: Encodable {
        var status: String
        var database: String?
        /// `hybrid` (full-text and semantic) or `lexical` (no embedding model configured).
        var search: String?
        /// Where semantic search runs: `pgvector` (in PostgreSQL) or `in-process`.
        var vectors: String?
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(.get, "/health/live", summary: "Liveness: the process is up", tag: "health", access: .publicAccess) {
            _, _ in
            try .json(Status(status: "ok"))
        }
        api.on(
            .get, "/health/ready", summary: "Readiness: the database answers", tag: "health", access: .publicAccess
        ) { _, context in
            do {
                try await services.store.ping()
                return try .json(
                    Status(
                        status: "ok", database: services.store.backend, search: services.knowledge.serverSearchMode,
                        vectors: services.store.knowledge.vectorSearch))
            } catch {
                context.logger.warning("readiness check failed: database did not answer")
                var response = try Response.json(
                    Status(status: "unavailable", database: services.store.backend), status: .serviceUnavailable)
                response.headers[.retryAfter] = "2"
                return response
            }
        }
    }
}
