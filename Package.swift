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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Pure decision core: no I/O, no clock, no curses.
        .target(
            name: "GrayCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        // System libraries: libcurl (HTTP/2, TLS) and ncursesw, with C shims.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // Thin executables.
        .executableTarget(
            name: "grayctl",
            dependencies: [
                "GrayCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "GrayBenchmarks",
            dependencies: ["GrayCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GrayCoreTests",
            dependencies: ["GrayCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "grayctlTests",
            dependencies: ["grayctl"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SystemLibraryTests",
            dependencies: ["CCurlShim", "CNcursesw"],
            swiftSettings: strictSettings
        ),
    ]
)
