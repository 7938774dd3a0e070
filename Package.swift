// swift-tools-version:6.2
import PackageDescription

/// Strict settings shared by every Swift target (see docs/architecture in README).
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "grayctl",
    products: [
        .executable(name: "grayctl", targets: ["grayctl"]),
        .executable(name: "grayctl-bench", targets: ["GrayBenchmarks"]),
        // grayctl's modules for the fuzz targets in fuzz/ (a package of its own: normal builds never see them).
        .library(name: "GrayModules", targets: ["GrayCore", "GrayRender", "GrayProbe", "GrayRuntime"]),
        // The reference fleet (gRPC stack: minutes to build; grayctl does not link it).
        .executable(name: "order-service", targets: ["OrderServiceMain"]),
        .executable(name: "order-gateway", targets: ["OrderGatewayMain"]),
        .executable(name: "order-load", targets: ["OrderLoadMain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // Pure decision core: no I/O, no clock, no curses.
        .target(
            name: "GrayCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // The dashboard as a pure function of state: cell buffer, widgets, panels, themes.
        .target(
            name: "GrayRender",
            dependencies: ["GrayCore"],
            swiftSettings: strictSettings
        ),
        // System libraries: libcurl (HTTP/2, TLS) and ncursesw, with C shims.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        // Endpoint clients over libcurl: HTTP, gRPC health over HTTP/2. No NIO, no grpc-swift.
        .target(
            name: "GrayProbe",
            dependencies: [
                "GrayCore", "CCurl", "CCurlShim", "GRPCHealthMessages",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        // SIGINT/SIGTERM as an action (drain, stop), shared by grayctl and the fleet.
        .target(name: "SignalActions", swiftSettings: strictSettings),
        // The live loop: polling, effects, journal.
        .target(
            name: "GrayRuntime",
            dependencies: ["GrayCore", "GrayProbe"],
            swiftSettings: strictSettings
        ),
        // In-memory twins of the runtime's ports (router, journal, fleet) for tests without sockets.
        .target(
            name: "GrayTesting",
            dependencies: ["GrayRuntime", "GrayCore"],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // The only module that touches curses: opening and restoring the terminal, drawing screens, keys.
        .target(
            name: "GrayTerminal",
            dependencies: ["GrayRender", "CNcursesw"],
            swiftSettings: strictSettings
        ),
        // Thin executables.
        .executableTarget(
            name: "grayctl",
            dependencies: [
                "GrayCore", "GrayProbe", "GrayRuntime", "GrayRender", "GrayTerminal", "SignalActions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Whole releases judged by the real engine on simulated traffic (seeded): the judge's figures.
        .target(name: "GraySimulation", dependencies: ["GrayCore"], swiftSettings: strictSettings),
        .executableTarget(
            name: "GrayBenchmarks",
            dependencies: ["GrayCore", "GrayRender", "GrayProbe", "GrayRuntime", "GraySimulation"],
            swiftSettings: strictSettings
        ),
        // The generated grpc.health.v1 messages alone (SwiftProtobuf, no NIO): grayctl's probe decodes
        // health answers with them; OrderAPI re-exports them for the generated health service.
        .target(
            name: "GRPCHealthMessages",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Reference fleet: generated gRPC code, service logic, thin executables.
        .target(
            name: "OrderAPI",
            dependencies: [
                "GRPCHealthMessages",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .target(
            name: "OrderService",
            dependencies: [
                "OrderAPI",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OrderGateway",
            dependencies: [
                "OrderService", "OrderAPI",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OrderLoad",
            dependencies: [
                "OrderAPI", "OrderService",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "OrderLoadMain",
            dependencies: [
                "OrderLoad", "OrderAPI", "OrderService",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "OrderGatewayMain",
            dependencies: [
                "OrderGateway", "OrderService", "SignalActions", "FleetCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FleetCommandLine",
            dependencies: ["OrderService", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "OrderServiceMain",
            dependencies: [
                "OrderService", "SignalActions", "FleetCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GrayCoreTests",
            dependencies: ["GrayCore", "GraySimulation"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GrayRenderTests",
            dependencies: ["GrayRender", "GrayCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OrderServiceTests",
            dependencies: [
                "OrderService", "OrderGateway", "OrderLoad", "OrderAPI", "GrayCore", "GrayTesting",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GrayProbeTests",
            dependencies: ["GrayProbe", "GrayCore", "GrayRuntime", "OrderService"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GrayRuntimeTests",
            dependencies: [
                "GrayRuntime", "GrayProbe", "GrayCore", "GrayTesting", "OrderService", "OrderGateway", "OrderLoad", "OrderAPI",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "grayctlTests",
            dependencies: ["grayctl", "OrderServiceMain", "OrderGatewayMain", "OrderLoadMain", "GrayCore", "GrayProbe", "GrayRuntime", "GrayTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SystemLibraryTests",
            dependencies: ["CCurlShim", "CNcursesw"],
            swiftSettings: strictSettings
        ),
    ]
)
