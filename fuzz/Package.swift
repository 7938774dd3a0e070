// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets for everything grayctl reads from outside: built only by scripts/fuzz.sh
/// (`swift build --sanitize=fuzzer --sanitize=address`), never by grayctl's own builds.
let targets = [
    "FuzzExposition", "FuzzJSON", "FuzzRecording", "FuzzConfig", "FuzzTheme", "FuzzGRPCHealth", "FuzzPrometheus", "FuzzEngines",
]

let package = Package(
    name: "grayctl-fuzz",
    products: targets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "grayctl", path: "..")],
    targets: targets.map { name in
        .executableTarget(
            name: name,
            dependencies: [.product(name: "GrayModules", package: "grayctl")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    }
)
