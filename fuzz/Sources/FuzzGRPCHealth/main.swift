import GrayProbe

/// gRPC framing and the health answer's decoders on any bytes. The first byte chooses: even, the
/// rest is a `Check` answer's body (with `grpc-status: 0`) and its `grpc-message`; odd, the rest is
/// a `Watch` stream's bytes delivered in pieces of the second byte's size.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGRPCHealth(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let mode = bytes.first else { return 0 }
    let rest = Array(bytes.dropFirst())
    if mode % 2 == 0 {
        let response = HTTPResponse(status: 200, headers: [("grpc-status", "0")], body: rest, seconds: 0)
        _ = GRPCHealthClient.interpret(response, url: "fuzz")
        _ = GRPCFraming.percentDecoded(String(decoding: rest, as: UTF8.self))
        return 0
    }
    let piece = max(1, Int(rest.first ?? 1))
    let stream = Array(rest.dropFirst())
    var buffer: [UInt8] = []
    var index = 0
    while index < stream.count {
        buffer.append(contentsOf: stream[index..<min(stream.count, index + piece)])
        index += piece
        for message in GRPCFraming.takeMessages(from: &buffer) { _ = HealthProtobuf.status(message) }
    }
    return 0
}
