// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"]),
        .executable(name: "lua-probe", targets: ["LuaProbe"]),
        .executable(name: "lua-bench", targets: ["LuaBench"]),
        .executable(name: "embed-bench", targets: ["EmbedBench"]),
        .executable(name: "knowledge-bench", targets: ["KnowledgeBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        // The domain: tenants, conversations, the turn, the stage protocol, the chain and its configuration.
        .target(
            name: "ParleyCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Lua 5.4 from the system (liblua5.4-dev) and the C shim that owns every Lua error raise.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // Integer dot products for the quantized vector scan, on AVX2 where the processor has it.
        .target(name: "CVectorKernels", cSettings: [.unsafeFlags(["-O2"])]),
        // Sandboxed Lua states: safe libraries, instruction budget, memory cap, deadline, value bridging.
        .target(name: "LuaSandbox", dependencies: ["CLuaShim"], exclude: ["SECURITY.md"], swiftSettings: swiftSettings),
        // Runs one script in the sandbox and prints the result as JSON; the escape tests run hostile scripts in it.
        .executableTarget(name: "LuaProbe", dependencies: ["LuaSandbox"], swiftSettings: swiftSettings),
        // Rule-call cost against a bare lua_pcall.
        .executableTarget(
            name: "LuaBench", dependencies: ["LuaSandbox", "ParleyCore", "ParleyRules"], swiftSettings: swiftSettings),
        // OpenBLAS from the system (libopenblas-dev): cblas_sgemm for every matrix product of the built-in embedder.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // Models: the embedding protocol and the built-in all-MiniLM-L6-v2 embedder; chat-completion providers
        // (OpenAI-compatible, Azure OpenAI) with streaming, retries, circuit breakers, fallback, deadlines, metering.
        // Optimised in debug builds too: unoptimised, the transformer runs ~30x slower and the exactness test takes
        // minutes.
        .target(
            name: "ParleyAI",
            dependencies: [
                "COpenBLAS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // Sentences per second of the built-in embedder at batch 32 (scripts/embedder/bench.sh runs it beside PyTorch).
        .executableTarget(name: "EmbedBench", dependencies: ["ParleyAI"], swiftSettings: swiftSettings),
        // libxml2 from the system (libxml2-dev): its HTML parser reads uploaded and crawled pages.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // Knowledge: text extraction from uploaded files, chunking, the in-process vector index, rank fusion and
        // retrieval confidence, the extractive answerer, hybrid search over the store, ingestion, and BEIR-format
        // retrieval evaluation.
        .target(
            name: "ParleyKnowledge",
            dependencies: [
                "ParleyCore", "ParleyAI", "ParleyStore", "ParleyUnderstanding", "CLibXML2", "CVectorKernels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // Microseconds per exact vector query over 100k x 384 vectors (run with `-c release`).
        .executableTarget(name: "KnowledgeBench", dependencies: ["ParleyKnowledge"], swiftSettings: swiftSettings),
        // In-process text understanding: PII, moderation and injection, language, sentiment, intent, entities.
        .target(name: "ParleyUnderstanding", swiftSettings: swiftSettings),
        // Tenants' Lua rules: rule API v1 views and decisions, the engine, fixtures, the shipped defaults.
        .target(
            name: "ParleyRules",
            dependencies: [
                "ParleyCore", "LuaSandbox",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Built-in stages, one file each.
        .target(
            name: "ParleyStages",
            dependencies: ["ParleyAI", "ParleyCore", "ParleyUnderstanding", "ParleyRules", "ParleyKnowledge"],
            swiftSettings: swiftSettings
        ),
        // Repository protocols and their two implementations with migrations: SQLite (embedded, the default) and
        // PostgreSQL (production: row-level security, pgvector, several replicas on one database).
        .target(
            name: "ParleyStore",
            dependencies: [
                "ParleyCore",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Example plugin: answers outside business hours and marks the conversation for follow-up.
        .target(
            name: "BusinessHoursPlugin",
            dependencies: ["ParleyCore"],
            path: "plugins/BusinessHours",
            swiftSettings: swiftSettings
        ),
        // The HTTP app: routes, auth, rate limits, metrics, the demo page.
        .target(
            name: "ParleyServer",
            dependencies: [
                "ParleyAI", "ParleyCore", "ParleyKnowledge", "ParleyRules", "ParleyStages", "ParleyStore",
                "ParleyUnderstanding", "BusinessHoursPlugin",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            // The widget's files are compiled into the binary: one file to deploy, nothing to build.
            resources: [
                .embedInCode("Widget/Assets/loader.js"), .embedInCode("Widget/Assets/widget.js"),
                .embedInCode("Widget/Assets/widget.css"), .embedInCode("Widget/Assets/demo.html"),
                .embedInCode("Widget/Assets/demo.js"), .embedInCode("Widget/Assets/demo-pages.json"),
            ],
            swiftSettings: swiftSettings
        ),
        // The executable: serve, migrate, tenant, bench.
        .executableTarget(
            name: "parley",
            dependencies: [
                "ParleyServer", "ParleyCore", "ParleyRules", "ParleyStages", "ParleyStore", "ParleyUnderstanding",
                "ParleyKnowledge", "ParleyAI", "LuaSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LuaSandboxTests",
            dependencies: ["LuaSandbox", "LuaProbe"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ParleyUnderstandingTests",
            dependencies: ["ParleyUnderstanding"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ParleyCoreTests",
            dependencies: ["ParleyAI", "ParleyCore", "ParleyStages", "ParleyUnderstanding", "BusinessHoursPlugin"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ParleyRulesTests",
            dependencies: ["ParleyRules", "ParleyStages", "LuaSandbox"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ParleyAITests",
            dependencies: [
                "ParleyAI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ParleyKnowledgeTests",
            dependencies: [
                "ParleyKnowledge", "ParleyCore", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ParleyStoreTests",
            dependencies: ["ParleyStore", "ParleyUnderstanding"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ParleyServerTests",
            dependencies: [
                "ParleyServer", "parley", "ParleyStore", "ParleyCore", "ParleyKnowledge", "ParleyAI",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
