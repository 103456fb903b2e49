// swift-tools-version: 6.1
import PackageDescription

/// Upcoming features every target opts into: explicit `any`; imports that must be named where a
/// member is used; and async functions that run on their caller's executor unless marked
/// `@concurrent` (SE-0461). Without the last, entering each nonisolated async function of ours
/// called the runtime's executor switch, which for a task preferring an event loop (every webhook
/// update) looks that preference up under a lock: `swift_task_switch` fell from 2.8 % to 1.0 % of
/// the bot process's samples. Our one actor (`PollOffsetStore`) only awaits I/O, so nothing relied
/// on leaving it.
///
/// Release builds also optimise across our modules (the chat front's path runs through Core,
/// Telegram, Chat and a backend, and by default only small functions' bodies are visible to other
/// modules for inlining and specialisation): 16 interleaved pairs of the webhook load test on
/// PostgreSQL + Redis, 14 won, +10.7 % updates/s and −5 % bot CPU relative to PostgreSQL's
/// (BENCHMARKS.md, "Chat front", tenth round).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "newsbot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "newsbot", targets: ["newsbot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // MARK: domain and ports
        .target(
            name: "Core",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: news feeds (libxml2 stays inside Feeds)
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "Feeds",
            dependencies: ["Core", "CLibXML2"],
            swiftSettings: swiftSettings
        ),

        // MARK: pipeline stages
        .target(
            name: "Stages",
            dependencies: [
                "Core", "Feeds",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Telegram Bot API
        .target(
            name: "Telegram",
            dependencies: [
                "Core",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                // The pipelined sendMessage client's TLS (already in the graph through AsyncHTTPClient).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // FastPathHandler sits in an HTTP server's channel pipeline (the webhook's, the simulator's),
                // in front of Hummingbird's HTTPTypes codec (FastPathHTTP1Channel).
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TelegramSim",
            dependencies: [
                "Telegram",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: delivery, chat front, pipeline
        .target(
            name: "Delivery",
            dependencies: [
                "Core", "Telegram",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Chat",
            dependencies: [
                "Core", "Telegram",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The webhook's server (`WebhookRoute.server()`) and its statuses.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "Core", "Stages", "Delivery", "Telegram",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: backends (C types never leave their backend target)
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/Backends/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "SQLiteBackend",
            dependencies: ["Core", "CSQLite", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Backends/SQLite",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PostgresBackend",
            dependencies: [
                "Core",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Backends/Postgres",
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CHiredis",
            path: "Sources/Backends/CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(
            name: "RedisBackend",
            dependencies: ["Core", "CHiredis", .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            path: "Sources/Backends/Redis",
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Sources/Backends/CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .target(
            name: "RabbitMQBackend",
            dependencies: ["Core", "CRabbitMQ", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Backends/RabbitMQ",
            swiftSettings: swiftSettings
        ),

        // MARK: the executable
        // jemalloc, linked into the executable only (libraries do not choose an allocator): it
        // takes malloc over from glibc's for the whole process. The webhook load test's process
        // spent ~9 % of its CPU in glibc's malloc and free; see BENCHMARKS.md, thirteenth round.
        .systemLibrary(
            name: "CJemalloc",
            path: "Sources/CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"])]
        ),
        .executableTarget(
            name: "newsbot",
            dependencies: [
                "Core", "Stages", "Telegram", "TelegramSim", "Delivery", "Chat", "Pipeline",
                "SQLiteBackend", "PostgresBackend", "RedisBackend", "RabbitMQBackend", "Feeds", "CJemalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: tests
        .testTarget(name: "CoreTests", dependencies: ["Core"], swiftSettings: swiftSettings),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds", "Core"], swiftSettings: swiftSettings),
        .testTarget(name: "StagesTests", dependencies: ["Stages", "Core", "Feeds"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TelegramTests",
            dependencies: ["Telegram", "TelegramSim", "Core", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOEmbedded", package: "swift-nio"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: ["Delivery", "Telegram", "TelegramSim", "Core",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ChatTests",
            dependencies: ["Chat", "Telegram", "TelegramSim", "Core", "SQLiteBackend",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Stages", "Delivery", "Telegram", "TelegramSim", "Core", "SQLiteBackend",
                                                          .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                                          .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                                                          .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        .testTarget(
            name: "ContractTests",
            dependencies: ["Core", "SQLiteBackend", "PostgresBackend", "RedisBackend", "RabbitMQBackend"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Core", "SQLiteBackend", "PostgresBackend", "RedisBackend", "RabbitMQBackend",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Core", "Telegram", "TelegramSim", "SQLiteBackend", "PostgresBackend",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
    ]
)
