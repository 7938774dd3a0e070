// swift-tools-version:6.2
// Only for scripts/generate-protos.sh: builds the protoc plugins of swift-protobuf and
// grpc-swift-protobuf without the rest of grayctl's package graph.
import PackageDescription

let package = Package(
    name: "grayctl-codegen",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
    ],
    targets: []
)
