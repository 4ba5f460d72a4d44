import ParleyCore

/// Whose rows a PostgreSQL transaction may see: row-level security admits only the rows its scope names.
///
/// Every tenant-owned table has a policy keyed on transaction-local settings (`SET LOCAL`, through `set_config(...,
/// true)`), so a statement that forgets its tenant filter still sees nothing of another tenant, and a connection back
/// in the pool carries no setting into the next transaction.
enum PostgresScope: Sendable, Equatable {
    /// One tenant's rows: `app.tenant_id`.
    case tenant(TenantID)
    /// The one row a secret or unique value finds before its tenant is known: a sign-in email, the hash of an API
    /// key or a refresh token. The policy of that table matches the column against the setting.
    case lookup(PostgresLookup, String)
    /// The background workers' view of the job queue across tenants: `app.job_worker`.
    case jobWorker
    /// No tenant rows at all: tenants themselves, migrations, health checks.
    case unscoped

    /// The settings that open this scope, as `set_config` name and value pairs.
    var settings: [(name: String, value: String)] {
        switch self {
        case .tenant(let tenant): [("app.tenant_id", tenant.rawValue)]
        case .lookup(let lookup, let value): [(lookup.setting, value)]
        case .jobWorker: [("app.job_worker", "on")]
        case .unscoped: []
        }
    }
}

/// The values a row can be found by before its tenant is known, each with its own setting and policy clause.
enum PostgresLookup: String, Sendable, CaseIterable {
    /// `users.email`, for sign-in.
    case userEmail = "app.user_email"
    /// `api_keys.secret_hash`, for API-key authentication.
    case apiKeySecretHash = "app.api_key_hash"
    /// `refresh_tokens.token_hash`, for refreshing a session.
    case refreshTokenHash = "app.refresh_token_hash"

    /// The transaction-local setting that carries the value.
    var setting: String { rawValue }
}
