import Logging
import PostgresNIO

/// The channel between replicas over PostgreSQL's `LISTEN`/`NOTIFY`.
///
/// Notes are sent with `pg_notify` and delivered when the sending transaction commits, to every session listening on
/// the channel; the channel name carries the schema, so deployments sharing a server do not hear each other. A note
/// is at most 8000 bytes (PostgreSQL's limit); senders pass larger things by reference.
struct PostgresReplicaChannel: ReplicaChannel {
    let database: PostgresDatabase
    let name: String

    /// The largest note PostgreSQL carries (8000 bytes), less room for the channel name.
    let maximumNote = 7900

    init(database: PostgresDatabase, schema: String?) {
        self.database = database
        name = "parley_events_\(schema ?? "public")"
    }

    func send(_ note: String) async throws {
        try await database.query("SELECT pg_notify(?, ?)", [.text(name), .text(note)], scope: .unscoped)
    }

    func listen(_ receive: @escaping @Sendable (String) async -> Void) async throws {
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                try await database.client.withConnection { connection in
                    try await connection.listen(on: name) { notifications in
                        for try await notification in notifications {
                            await receive(notification.payload)
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                database.logger.warning(
                    "replica channel lost; reconnecting", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }
}
