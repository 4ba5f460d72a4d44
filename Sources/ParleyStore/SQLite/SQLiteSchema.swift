/// The SQLite schema as numbered migrations; each runs once, in its own transaction, in order.
enum SQLiteSchema {
    /// A schema change: its version, a name for logs, and its statements.
    struct Migration {
        var version: Int
        var name: String
        var statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "initial",
            statements: [
                """
                CREATE TABLE tenants (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL, widget_key TEXT NOT NULL UNIQUE,
                    fallback_text TEXT NOT NULL, created_at REAL NOT NULL)
                """,
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                    email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL,
                    password_hash TEXT NOT NULL, created_at REAL NOT NULL)
                """,
                "CREATE INDEX users_tenant ON users(tenant_id)",
                """
                CREATE TABLE refresh_tokens (
                    token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    tenant_id TEXT NOT NULL, family_id TEXT NOT NULL, expires_at REAL NOT NULL,
                    used_at REAL, revoked_at REAL)
                """,
                "CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id)",
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                    name TEXT NOT NULL, prefix TEXT NOT NULL, role TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
                    created_at REAL NOT NULL, revoked_at REAL)
                """,
                "CREATE INDEX api_keys_tenant ON api_keys(tenant_id)",
                """
                CREATE TABLE domains (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                    host TEXT NOT NULL, verification_token TEXT NOT NULL, verified_at REAL, created_at REAL NOT NULL,
                    UNIQUE (tenant_id, host))
                """,
                """
                CREATE TABLE visitors (
                    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, id TEXT NOT NULL,
                    attributes TEXT NOT NULL, first_seen_at REAL NOT NULL, last_seen_at REAL NOT NULL,
                    PRIMARY KEY (tenant_id, id))
                """,
                """
                CREATE TABLE conversations (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                    visitor_id TEXT NOT NULL, state TEXT NOT NULL, tags TEXT NOT NULL, bot_failures INTEGER NOT NULL,
                    created_at REAL NOT NULL, updated_at REAL NOT NULL)
                """,
                "CREATE INDEX conversations_tenant_updated ON conversations(tenant_id, updated_at DESC)",
                "CREATE INDEX conversations_visitor ON conversations(tenant_id, visitor_id, updated_at DESC)",
                """
                CREATE TABLE messages (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                    role TEXT NOT NULL, text TEXT NOT NULL, client_message_id TEXT, in_reply_to TEXT,
                    metadata TEXT NOT NULL, created_at REAL NOT NULL)
                """,
                """
                CREATE UNIQUE INDEX messages_client_id ON messages(tenant_id, conversation_id, client_message_id)
                    WHERE client_message_id IS NOT NULL
                """,
                "CREATE INDEX messages_conversation ON messages(tenant_id, conversation_id, seq)",
                """
                CREATE TABLE feedback (
                    message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
                    tenant_id TEXT NOT NULL, rating INTEGER NOT NULL, comment TEXT, created_at REAL NOT NULL)
                """,
                """
                CREATE TABLE turns (
                    message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
                    tenant_id TEXT NOT NULL, conversation_id TEXT NOT NULL, decision TEXT NOT NULL, decided_by TEXT,
                    reply_id TEXT, trace TEXT NOT NULL, created_at REAL NOT NULL)
                """,
                "CREATE INDEX turns_conversation ON turns(tenant_id, conversation_id, created_at)",
                """
                CREATE TABLE chain_configs (
                    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, version INTEGER NOT NULL,
                    config TEXT NOT NULL, created_by TEXT, created_at REAL NOT NULL, PRIMARY KEY (tenant_id, version))
                """,
                """
                CREATE TABLE chain_activations (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, version INTEGER NOT NULL)
                """,
                "CREATE INDEX chain_activations_tenant ON chain_activations(tenant_id, seq)",
            ]
        ),
        Migration(
            version: 2, name: "lua rules, plans, intents",
            statements: [
                """
                CREATE TABLE rule_versions (
                    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, name TEXT NOT NULL,
                    version INTEGER NOT NULL, source TEXT NOT NULL, fixtures TEXT, created_by TEXT,
                    created_at REAL NOT NULL, PRIMARY KEY (tenant_id, name, version))
                """,
                """
                CREATE TABLE rule_activations (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, name TEXT NOT NULL,
                    version INTEGER)
                """,
                "CREATE INDEX rule_activations_rule ON rule_activations(tenant_id, name, seq)",
                """
                CREATE TABLE rule_shadows (
                    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, name TEXT NOT NULL,
                    version INTEGER NOT NULL, PRIMARY KEY (tenant_id, name))
                """,
                """
                CREATE TABLE rule_shadow_results (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, name TEXT NOT NULL,
                    active_version INTEGER, candidate_version INTEGER NOT NULL, conversation_id TEXT NOT NULL,
                    message_id TEXT NOT NULL, active TEXT NOT NULL, candidate TEXT NOT NULL, agrees INTEGER NOT NULL,
                    created_at REAL NOT NULL)
                """,
                """
                CREATE INDEX rule_shadow_results_rule
                    ON rule_shadow_results(tenant_id, name, candidate_version, agrees, seq)
                """,
                """
                CREATE TABLE proactive_deliveries (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, visitor_id TEXT NOT NULL,
                    rule TEXT NOT NULL, sent_at REAL NOT NULL)
                """,
                "CREATE INDEX proactive_deliveries_visitor ON proactive_deliveries(tenant_id, visitor_id, sent_at)",
                "ALTER TABLE turns ADD COLUMN rule_input TEXT",
                "CREATE INDEX turns_tenant_created ON turns(tenant_id, created_at)",
                "ALTER TABLE visitors ADD COLUMN visits INTEGER NOT NULL DEFAULT 1",
                "ALTER TABLE tenants ADD COLUMN plan TEXT NOT NULL DEFAULT '{}'",
                "ALTER TABLE conversations ADD COLUMN sentiment_trend TEXT",
                "ALTER TABLE conversations ADD COLUMN handoff TEXT",
                "ALTER TABLE conversations ADD COLUMN assigned_agent TEXT",
                "CREATE INDEX conversations_tenant_state ON conversations(tenant_id, state)",
                """
                CREATE TABLE tenant_intents (
                    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE, definition TEXT NOT NULL,
                    version INTEGER NOT NULL, updated_at REAL NOT NULL)
                """,
            ]
        ),
        Migration(
            version: 3, name: "customer message counter",
            statements: [
                "ALTER TABLE conversations ADD COLUMN customer_messages INTEGER NOT NULL DEFAULT 0",
                """
                UPDATE conversations SET customer_messages = (
                    SELECT COUNT(*) FROM messages m
                    WHERE m.tenant_id = conversations.tenant_id AND m.conversation_id = conversations.id
                        AND m.role = 'customer')
                """,
            ]
        ),
        Migration(
            version: 4, name: "knowledge, assistants, token usage",
            statements: [
                """
                CREATE TABLE knowledge_documents (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL, source_key TEXT NOT NULL, title TEXT NOT NULL, url TEXT,
                    content_hash TEXT NOT NULL, version INTEGER NOT NULL, chunk_count INTEGER NOT NULL,
                    embedding_model TEXT, created_at REAL NOT NULL, updated_at REAL NOT NULL)
                """,
                "CREATE UNIQUE INDEX knowledge_documents_source ON knowledge_documents(tenant_id, source_key)",
                """
                CREATE TABLE knowledge_chunks (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, tenant_id TEXT NOT NULL,
                    document_id TEXT NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL, title TEXT NOT NULL, heading_path TEXT NOT NULL, url TEXT,
                    text TEXT NOT NULL, embedding BLOB, embedding_model TEXT)
                """,
                "CREATE INDEX knowledge_chunks_document ON knowledge_chunks(tenant_id, document_id, position)",
                """
                CREATE VIRTUAL TABLE knowledge_fts USING fts5(
                    title, text, content = 'knowledge_chunks', content_rowid = 'seq',
                    tokenize = 'porter unicode61 remove_diacritics 2')
                """,
                """
                CREATE TRIGGER knowledge_chunks_indexed AFTER INSERT ON knowledge_chunks BEGIN
                    INSERT INTO knowledge_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
                END
                """,
                """
                CREATE TRIGGER knowledge_chunks_unindexed AFTER DELETE ON knowledge_chunks BEGIN
                    INSERT INTO knowledge_fts (knowledge_fts, rowid, title, text)
                    VALUES ('delete', old.seq, old.title, old.text);
                END
                """,
                """
                CREATE TABLE knowledge_versions (
                    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE, version INTEGER NOT NULL)
                """,
                """
                CREATE TABLE tenant_assistants (
                    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE, settings TEXT NOT NULL,
                    updated_at REAL NOT NULL)
                """,
                """
                CREATE TABLE token_usage (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE, conversation_id TEXT NOT NULL,
                    provider TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
                    created_at REAL NOT NULL)
                """,
                "CREATE INDEX token_usage_tenant_created ON token_usage(tenant_id, created_at)",
            ]
        ),
        Migration(
            version: 5, name: "recent questions for loop detection",
            statements: ["ALTER TABLE conversations ADD COLUMN recent_questions TEXT NOT NULL DEFAULT '[]'"]
        ),
        Migration(
            version: 6, name: "widget settings and conversation ratings",
            statements: [
                """
                CREATE TABLE tenant_widgets (
                    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE, settings TEXT NOT NULL,
                    updated_at REAL NOT NULL)
                """,
                """
                CREATE TABLE conversation_ratings (
                    conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
                    tenant_id TEXT NOT NULL, rating INTEGER NOT NULL, comment TEXT, created_at REAL NOT NULL)
                """,
            ]
        ),
        Migration(
            version: 7, name: "attachments",
            statements: [
                """
                CREATE TABLE attachments (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL,
                    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE, name TEXT NOT NULL,
                    content_type TEXT NOT NULL, size INTEGER NOT NULL, data BLOB NOT NULL, created_at REAL NOT NULL)
                """,
                "CREATE INDEX attachments_conversation ON attachments(tenant_id, conversation_id)",
            ]
        ),
        Migration(
            version: 8, name: "ingestion jobs",
            statements: [
                """
                CREATE TABLE ingestion_jobs (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                    filename TEXT, title TEXT, source_key TEXT, url TEXT, status TEXT NOT NULL, progress REAL NOT NULL,
                    error TEXT, documents INTEGER NOT NULL, data BLOB NOT NULL, created_at REAL NOT NULL,
                    updated_at REAL NOT NULL)
                """,
                "CREATE INDEX ingestion_jobs_queue ON ingestion_jobs(status, created_at)",
                "CREATE INDEX ingestion_jobs_tenant ON ingestion_jobs(tenant_id, created_at DESC)",
            ]
        ),
        Migration(
            version: 9, name: "ingestion queue: leases, retries, dead letters",
            statements: [
                "ALTER TABLE ingestion_jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE ingestion_jobs ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 5",
                "ALTER TABLE ingestion_jobs ADD COLUMN run_after REAL NOT NULL DEFAULT 0",
                "ALTER TABLE ingestion_jobs ADD COLUMN lease_owner TEXT",
                "ALTER TABLE ingestion_jobs ADD COLUMN lease_expires_at REAL",
                // Jobs a stopped worker left half done: their lease has run out, so the next claim takes them.
                "UPDATE ingestion_jobs SET lease_expires_at = 0 WHERE status IN ('extracting', 'embedding')",
                "DROP INDEX ingestion_jobs_queue",
                "CREATE INDEX ingestion_jobs_queue ON ingestion_jobs(status, run_after)",
            ]
        ),
        Migration(
            version: 10, name: "knowledge document language",
            statements: ["ALTER TABLE knowledge_documents ADD COLUMN language TEXT"]
        ),
        Migration(
            version: 11, name: "website crawls",
            statements: [
                """
                CREATE TABLE crawl_sources (
                    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                    url TEXT NOT NULL, limits TEXT NOT NULL, resync_hours INTEGER, status TEXT NOT NULL,
                    last_error TEXT, last_report TEXT, pages TEXT NOT NULL, last_crawled_at REAL, next_crawl_at REAL,
                    created_at REAL NOT NULL, updated_at REAL NOT NULL)
                """,
                "CREATE INDEX crawl_sources_tenant ON crawl_sources(tenant_id, created_at DESC)",
                "CREATE INDEX crawl_sources_due ON crawl_sources(next_crawl_at)",
                "ALTER TABLE ingestion_jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'file'",
            ]
        ),
        Migration(
            version: 12, name: "indexes every turn wrote and few reads need",
            statements: [
                // Every turn moves `updated_at`; with it in this index, each turn rewrote two of its pages. A
                // visitor's few conversations are sorted after the lookup instead.
                "DROP INDEX conversations_visitor",
                "CREATE INDEX conversations_visitor ON conversations(tenant_id, visitor_id)",
                // A conversation's turns are found through its messages (one turn per customer message).
                "DROP INDEX turns_conversation",
            ]
        ),
        Migration(
            version: 13, name: "who an API key was made for",
            statements: [
                "ALTER TABLE api_keys ADD COLUMN created_by TEXT",
                "CREATE INDEX api_keys_creator ON api_keys(tenant_id, created_by)",
            ]
        ),
        Migration(version: 14, name: "an absolute end to a sign-in's refresh tokens", statements: sessionEnds),
    ]

    /// Each refresh token carries its family's absolute end; tokens from before have none stored and end 60 days
    /// after they expire (`StoredRows.refreshToken`), as on PostgreSQL.
    static let sessionEnds = ["ALTER TABLE refresh_tokens ADD COLUMN session_ends_at REAL"]
}
