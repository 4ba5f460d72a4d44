/// The PostgreSQL schema as numbered migrations; each runs once, in its own transaction, in order.
///
/// The tables mirror the SQLite schema column for column, so both stores read rows the same way: times are seconds
/// since 1970 (`double precision`), JSON documents are `text`. PostgreSQL adds `tsvector` full-text columns with GIN
/// indexes, row-level security on every tenant-owned table, and pgvector where the extension is installed.
enum PostgresSchema {
    /// A schema change: its version, a name for logs, and its statements.
    struct Migration: Sendable {
        var version: Int
        var name: String
        var statements: [String]
    }

    /// Tenant-owned tables, each with a `tenant_id` column that its row-level security policy keys on, and the
    /// lookup (if any) that may also find a row before its tenant is known.
    static let tenantTables = initialTenantTables + [("crawl_sources", nil)]

    /// The tenant-owned tables of the first schema, which migration 2 secured; later tables get their policy in the
    /// migration that creates them.
    private static let initialTenantTables: [(table: String, lookup: (column: String, setting: PostgresLookup)?)] = [
        ("users", ("email", .userEmail)),
        ("refresh_tokens", ("token_hash", .refreshTokenHash)),
        ("api_keys", ("secret_hash", .apiKeySecretHash)),
        ("domains", nil), ("visitors", nil), ("conversations", nil), ("messages", nil), ("feedback", nil),
        ("turns", nil), ("chain_configs", nil), ("chain_activations", nil), ("rule_versions", nil),
        ("rule_activations", nil), ("rule_shadows", nil), ("rule_shadow_results", nil),
        ("proactive_deliveries", nil), ("tenant_intents", nil), ("knowledge_documents", nil),
        ("knowledge_chunks", nil), ("knowledge_versions", nil), ("tenant_assistants", nil), ("token_usage", nil),
        ("tenant_widgets", nil), ("conversation_ratings", nil), ("attachments", nil), ("ingestion_jobs", nil),
    ]

    static let migrations: [Migration] = [
        Migration(version: 1, name: "initial", statements: initial),
        Migration(version: 2, name: "row-level security", statements: rowLevelSecurity),
        Migration(version: 3, name: "full-text search in each document's language", statements: documentLanguages),
        Migration(version: 4, name: "website crawls", statements: websiteCrawls),
        Migration(
            version: 5, name: "a turns index every turn wrote and one read needs",
            statements: [
                // A conversation's turns are found through its messages (one turn per customer message). Dropping
                // is quick; rebuilding `conversations_visitor` as SQLite's migration 12 does would lock the
                // conversations table for the whole build, so PostgreSQL keeps that index as it is.
                "DROP INDEX turns_conversation"
            ]),
        Migration(version: 6, name: "leases on running turns", statements: turnLeases),
        Migration(
            version: 7, name: "who an API key was made for",
            statements: [
                "ALTER TABLE api_keys ADD COLUMN created_by text",
                "CREATE INDEX api_keys_creator ON api_keys(tenant_id, created_by)",
            ]),
        // Tokens from before have no end stored (row-level security would hide them from an update here): they end
        // 60 days after they expire (`StoredRows.refreshToken`).
        Migration(
            version: 8, name: "an absolute end to a sign-in's refresh tokens",
            statements: ["ALTER TABLE refresh_tokens ADD COLUMN session_ends_at double precision"]),
    ]

    /// Which replica runs a turn, until when (`TurnRepository.claim`); a row lives from `begin` to `complete`.
    private static let turnLeases =
        [
            """
            CREATE TABLE turn_leases (
                message_id text PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
                tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, holder text NOT NULL,
                expires_at double precision NOT NULL)
            """
        ] + policy(table: "turn_leases", lookup: nil)

    /// Crawl sources (tenant-owned, seen by the job workers' scheduler too) and the kind of an ingestion job.
    private static let websiteCrawls =
        [
            """
            CREATE TABLE crawl_sources (
                id text PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                url text NOT NULL, limits text NOT NULL, resync_hours bigint, status text NOT NULL, last_error text,
                last_report text, pages text NOT NULL, last_crawled_at double precision,
                next_crawl_at double precision, created_at double precision NOT NULL,
                updated_at double precision NOT NULL)
            """,
            "CREATE INDEX crawl_sources_tenant ON crawl_sources(tenant_id, created_at DESC)",
            "CREATE INDEX crawl_sources_due ON crawl_sources(next_crawl_at)",
            "ALTER TABLE ingestion_jobs ADD COLUMN kind text NOT NULL DEFAULT 'file'",
        ] + policy(table: "crawl_sources", lookup: nil)

    /// Each document's language and the text-search configuration its chunks' vectors are built with (rows stored
    /// before this were indexed in English, the default), and the aggregate that ORs one query read in several
    /// configurations.
    private static let documentLanguages = [
        "ALTER TABLE knowledge_documents ADD COLUMN language text",
        "ALTER TABLE knowledge_documents ADD COLUMN search_config regconfig NOT NULL DEFAULT 'english'",
        "CREATE INDEX knowledge_documents_search_config ON knowledge_documents(tenant_id, search_config)",
        "CREATE AGGREGATE parley_tsquery_any(tsquery) (SFUNC = tsquery_or, STYPE = tsquery)",
    ]

    private static let initial = [
        """
        CREATE TABLE tenants (
            id text PRIMARY KEY, name text NOT NULL, widget_key text NOT NULL UNIQUE, fallback_text text NOT NULL,
            plan text NOT NULL DEFAULT '{}', created_at double precision NOT NULL)
        """,
        """
        CREATE TABLE users (
            id text PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
            email text NOT NULL UNIQUE, name text NOT NULL, role text NOT NULL, password_hash text NOT NULL,
            created_at double precision NOT NULL)
        """,
        "CREATE INDEX users_tenant ON users(tenant_id)",
        """
        CREATE TABLE refresh_tokens (
            token_hash text PRIMARY KEY, user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            tenant_id text NOT NULL, family_id text NOT NULL, expires_at double precision NOT NULL,
            used_at double precision, revoked_at double precision)
        """,
        "CREATE INDEX refresh_tokens_family ON refresh_tokens(tenant_id, family_id)",
        """
        CREATE TABLE api_keys (
            id text PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, name text NOT NULL,
            prefix text NOT NULL, role text NOT NULL, secret_hash text NOT NULL UNIQUE,
            created_at double precision NOT NULL, revoked_at double precision)
        """,
        "CREATE INDEX api_keys_tenant ON api_keys(tenant_id)",
        """
        CREATE TABLE domains (
            id text PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, host text NOT NULL,
            verification_token text NOT NULL, verified_at double precision, created_at double precision NOT NULL,
            UNIQUE (tenant_id, host))
        """,
        """
        CREATE TABLE visitors (
            tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, id text NOT NULL,
            attributes text NOT NULL, first_seen_at double precision NOT NULL, last_seen_at double precision NOT NULL,
            visits bigint NOT NULL DEFAULT 1, PRIMARY KEY (tenant_id, id))
        """,
        """
        CREATE TABLE conversations (
            id text PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
            visitor_id text NOT NULL, state text NOT NULL, tags text NOT NULL, bot_failures bigint NOT NULL,
            created_at double precision NOT NULL, updated_at double precision NOT NULL, sentiment_trend text,
            handoff text, assigned_agent text, customer_messages bigint NOT NULL DEFAULT 0,
            recent_questions text NOT NULL DEFAULT '[]')
        """,
        "CREATE INDEX conversations_tenant_updated ON conversations(tenant_id, updated_at DESC)",
        "CREATE INDEX conversations_visitor ON conversations(tenant_id, visitor_id, updated_at DESC)",
        "CREATE INDEX conversations_tenant_state ON conversations(tenant_id, state)",
        """
        CREATE TABLE messages (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
            tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
            conversation_id text NOT NULL REFERENCES conversations(id) ON DELETE CASCADE, role text NOT NULL,
            text text NOT NULL, client_message_id text, in_reply_to text, metadata text NOT NULL,
            created_at double precision NOT NULL)
        """,
        """
        CREATE UNIQUE INDEX messages_client_id ON messages(tenant_id, conversation_id, client_message_id)
            WHERE client_message_id IS NOT NULL
        """,
        "CREATE INDEX messages_conversation ON messages(tenant_id, conversation_id, seq)",
        """
        CREATE TABLE feedback (
            message_id text PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE, tenant_id text NOT NULL,
            rating bigint NOT NULL, comment text, created_at double precision NOT NULL)
        """,
        """
        CREATE TABLE turns (
            message_id text PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE, tenant_id text NOT NULL,
            conversation_id text NOT NULL, decision text NOT NULL, decided_by text, reply_id text, trace text NOT NULL,
            created_at double precision NOT NULL, rule_input text)
        """,
        "CREATE INDEX turns_conversation ON turns(tenant_id, conversation_id, created_at)",
        "CREATE INDEX turns_tenant_created ON turns(tenant_id, created_at)",
        """
        CREATE TABLE chain_configs (
            tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, version bigint NOT NULL,
            config text NOT NULL, created_by text, created_at double precision NOT NULL,
            PRIMARY KEY (tenant_id, version))
        """,
        """
        CREATE TABLE chain_activations (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, version bigint NOT NULL)
        """,
        "CREATE INDEX chain_activations_tenant ON chain_activations(tenant_id, seq)",
        """
        CREATE TABLE rule_versions (
            tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, name text NOT NULL,
            version bigint NOT NULL, source text NOT NULL, fixtures text, created_by text,
            created_at double precision NOT NULL, PRIMARY KEY (tenant_id, name, version))
        """,
        """
        CREATE TABLE rule_activations (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, name text NOT NULL, version bigint)
        """,
        "CREATE INDEX rule_activations_rule ON rule_activations(tenant_id, name, seq)",
        """
        CREATE TABLE rule_shadows (
            tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, name text NOT NULL,
            version bigint NOT NULL, PRIMARY KEY (tenant_id, name))
        """,
        """
        CREATE TABLE rule_shadow_results (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, name text NOT NULL,
            active_version bigint, candidate_version bigint NOT NULL, conversation_id text NOT NULL,
            message_id text NOT NULL, active text NOT NULL, candidate text NOT NULL, agrees bigint NOT NULL,
            created_at double precision NOT NULL)
        """,
        """
        CREATE INDEX rule_shadow_results_rule ON rule_shadow_results(tenant_id, name, candidate_version, agrees, seq)
        """,
        """
        CREATE TABLE proactive_deliveries (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, visitor_id text NOT NULL,
            rule text NOT NULL, sent_at double precision NOT NULL)
        """,
        "CREATE INDEX proactive_deliveries_visitor ON proactive_deliveries(tenant_id, visitor_id, sent_at)",
        """
        CREATE TABLE tenant_intents (
            tenant_id text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE, definition text NOT NULL,
            version bigint NOT NULL, updated_at double precision NOT NULL)
        """,
        """
        CREATE TABLE knowledge_documents (
            id text PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, kind text NOT NULL,
            source_key text NOT NULL, title text NOT NULL, url text, content_hash text NOT NULL,
            version bigint NOT NULL, chunk_count bigint NOT NULL, embedding_model text,
            created_at double precision NOT NULL, updated_at double precision NOT NULL)
        """,
        "CREATE UNIQUE INDEX knowledge_documents_source ON knowledge_documents(tenant_id, source_key)",
        // `search` is the chunk's full-text vector in its text-search configuration: English stemming, as SQLite's
        // porter tokenizer does, until migration 3 made it the configuration of the document's language.
        """
        CREATE TABLE knowledge_chunks (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE, tenant_id text NOT NULL,
            document_id text NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
            position bigint NOT NULL, title text NOT NULL, heading_path text NOT NULL, url text, text text NOT NULL,
            embedding bytea, embedding_model text, search_config regconfig NOT NULL DEFAULT 'english',
            search tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector(search_config, title), 'B') || setweight(to_tsvector(search_config, text), 'A')
            ) STORED)
        """,
        "CREATE INDEX knowledge_chunks_document ON knowledge_chunks(tenant_id, document_id, position)",
        "CREATE INDEX knowledge_chunks_search ON knowledge_chunks USING gin (search)",
        """
        CREATE TABLE knowledge_versions (
            tenant_id text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE, version bigint NOT NULL)
        """,
        """
        CREATE TABLE tenant_assistants (
            tenant_id text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE, settings text NOT NULL,
            updated_at double precision NOT NULL)
        """,
        """
        CREATE TABLE token_usage (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, conversation_id text NOT NULL,
            provider text NOT NULL, prompt_tokens bigint NOT NULL, completion_tokens bigint NOT NULL,
            created_at double precision NOT NULL)
        """,
        "CREATE INDEX token_usage_tenant_created ON token_usage(tenant_id, created_at)",
        """
        CREATE TABLE tenant_widgets (
            tenant_id text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE, settings text NOT NULL,
            updated_at double precision NOT NULL)
        """,
        """
        CREATE TABLE conversation_ratings (
            conversation_id text PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE, tenant_id text NOT NULL,
            rating bigint NOT NULL, comment text, created_at double precision NOT NULL)
        """,
        """
        CREATE TABLE attachments (
            id text PRIMARY KEY, tenant_id text NOT NULL,
            conversation_id text NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            message_id text NOT NULL REFERENCES messages(id) ON DELETE CASCADE, name text NOT NULL,
            content_type text NOT NULL, size bigint NOT NULL, data bytea NOT NULL,
            created_at double precision NOT NULL)
        """,
        "CREATE INDEX attachments_conversation ON attachments(tenant_id, conversation_id)",
        """
        CREATE TABLE ingestion_jobs (
            id text PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, filename text,
            title text, source_key text, url text, status text NOT NULL, progress double precision NOT NULL,
            error text, documents bigint NOT NULL, data bytea NOT NULL, created_at double precision NOT NULL,
            updated_at double precision NOT NULL, attempts bigint NOT NULL DEFAULT 0,
            max_attempts bigint NOT NULL DEFAULT 5, run_after double precision NOT NULL DEFAULT 0, lease_owner text,
            lease_expires_at double precision)
        """,
        "CREATE INDEX ingestion_jobs_queue ON ingestion_jobs(status, run_after)",
        "CREATE INDEX ingestion_jobs_tenant ON ingestion_jobs(tenant_id, created_at DESC)",
    ]

    /// Row-level security on every tenant-owned table, forced so that the owning role is held to it too.
    ///
    /// A row is visible when its `tenant_id` is the transaction's `app.tenant_id`; a table with a lookup also shows
    /// the row whose lookup column equals the lookup setting; the job queue also shows every row to the job workers.
    /// Without a setting, `current_setting(..., true)` is null and nothing matches.
    private static let rowLevelSecurity: [String] = initialTenantTables.flatMap {
        policy(table: $0.table, lookup: $0.lookup)
    }

    /// The statements that secure one table.
    private static func policy(
        table: String, lookup: (column: String, setting: PostgresLookup)?
    ) -> [String] {
        var condition = "tenant_id = current_setting('app.tenant_id', true)"
        if let lookup {
            condition += " OR \(lookup.column) = current_setting('\(lookup.setting.setting)', true)"
        }
        if table == "ingestion_jobs" || table == "crawl_sources" {
            condition += " OR current_setting('app.job_worker', true) = 'on'"
        }
        return [
            "ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY",
            "ALTER TABLE \(table) FORCE ROW LEVEL SECURITY",
            "CREATE POLICY tenant_isolation ON \(table) USING (\(condition))",
        ]
    }
}
