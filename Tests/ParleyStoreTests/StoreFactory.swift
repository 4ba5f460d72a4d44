import Foundation
import Logging
import ParleyStore

/// The store implementations the contract suite runs against.
///
/// PostgreSQL joins this list when it lands.
enum StoreFactory: String, CaseIterable {
    case sqliteFile

    /// A fresh, migrated store with nothing in it.
    func make() async throws -> any ParleyStore {
        switch self {
        case .sqliteFile:
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("parley-contract-\(UUID().uuidString).sqlite").path
            let store = try await SQLiteStore.open(path: path, logger: Logger(label: "contract"))
            try await store.migrate()
            return store
        }
    }
}
