import Foundation

/// The statements of a table holding one JSON settings document per tenant (`tenant_id`, `settings`,
/// `updated_at`): the assistant's and the widget's.
struct TenantDocumentStatements: Sendable {
    /// The table's name, one of the server's own (never input).
    let table: String

    /// Reads the tenant's document (binds: tenant).
    var select: String { "SELECT settings FROM \(table) WHERE tenant_id = ?" }

    /// Stores the tenant's document, replacing the one before (binds: tenant, settings, now).
    var upsert: String {
        """
        INSERT INTO \(table) (tenant_id, settings, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
        """
    }

    /// The values of `upsert`.
    func upsertValues(_ document: some Encodable, tenant: String) throws -> [SQLValue] {
        [.text(tenant), try SQLValues.json(document), SQLValues.date(Date())]
    }
}
