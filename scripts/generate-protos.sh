#!/usr/bin/env bash
# Regenerates Sources/OrderAPI/Generated from protos/ with Debian's protoc and the swift-protobuf
# and grpc-swift-protobuf plugins, built once into .build-codegen (about 2 minutes). CI never runs
# this: the generated code is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v protoc >/dev/null || { echo "install protoc: apt-get install protobuf-compiler" >&2; exit 2; }
swift build --package-path scripts/codegen --scratch-path .build-codegen --product protoc-gen-swift
swift build --package-path scripts/codegen --scratch-path .build-codegen --product protoc-gen-grpc-swift-2
bin=.build-codegen/debug
out=Sources/OrderAPI/Generated
# The health messages get a module of their own (SwiftProtobuf only), which grayctl's probe links.
health=Sources/GRPCHealthMessages/Generated
rm -f "$out"/*.swift "$health"/*.swift
protos=(order/v1/order.proto grpc/health/v1/health.proto)
protoc -I protos --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --swift_out="$out" --swift_opt=Visibility=Public,FileNaming=PathToUnderscores order/v1/order.proto
protoc -I protos --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
  --swift_out="$health" --swift_opt=Visibility=Public,FileNaming=PathToUnderscores grpc/health/v1/health.proto
protoc -I protos --plugin=protoc-gen-grpc-swift-2="$bin/protoc-gen-grpc-swift-2" \
  --grpc-swift-2_out="$out" --grpc-swift-2_opt=Visibility=Public,FileNaming=PathToUnderscores,Server=true,Client=true "${protos[@]}"
ls -1 "$out" "$health"
