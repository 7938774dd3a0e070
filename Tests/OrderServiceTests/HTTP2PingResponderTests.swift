import NIOCore
import NIOEmbedded
import OrderService
import Testing

/// The responder answers a peer's PINGs and hands every other byte on unchanged, in order, however
/// the bytes are cut into reads.
@Suite("HTTP/2 PINGs answered below the HTTP/2 handler")
struct HTTP2PingResponderTests {
    /// One HTTP/2 frame: 24-bit length, type, flags, stream, payload.
    static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags]
            + [UInt8(stream >> 24), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)] + payload
    }

    static let settings = frame(type: 4, payload: [0, 3, 0, 0, 0, 100])
    static let ping = frame(type: 6, flags: 0x8, payload: [1, 2, 3, 4, 5, 6, 7, 8])
    static let pingAck = frame(type: 6, flags: 1, payload: [9, 9, 9, 9, 9, 9, 9, 9])
    static let pingOnStream = frame(type: 6, stream: 1, payload: [1, 1, 1, 1, 1, 1, 1, 1])
    static let shortPing = frame(type: 6, payload: [1, 2, 3])
    static let data = frame(type: 0, flags: 1, stream: 1, payload: Array(repeating: 0xAB, count: 40_000))
    static let empty = frame(type: 0, stream: 3, payload: [])

    /// Feeds `chunks` to a responder; what it passed on, and what it wrote back.
    static func run(_ chunks: [[UInt8]]) throws -> (passed: [UInt8], written: [UInt8]) {
        let channel = EmbeddedChannel(handler: HTTP2PingResponder())
        for chunk in chunks { try channel.writeInbound(ByteBuffer(bytes: chunk)) }
        var passed: [UInt8] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { passed += Array(buffer.readableBytesView) }
        var written: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { written += Array(buffer.readableBytesView) }
        _ = try channel.finish()
        return (passed, written)
    }

    @Test("a PING is answered with the ACK flag alone and its 8 bytes; the rest passes on, whether read whole or byte by byte, or cut at every place")
    func answersAndPasses() throws {
        let stream = Self.settings + Self.ping + Self.data + Self.pingAck + Self.empty + Self.ping + Self.pingOnStream + Self.shortPing
        let passed = Self.settings + Self.data + Self.pingAck + Self.empty + Self.pingOnStream + Self.shortPing
        let answer = Self.frame(type: 6, flags: 1, payload: [1, 2, 3, 4, 5, 6, 7, 8])
        let whole = try Self.run([stream])
        #expect(whole.passed == passed)
        #expect(whole.written == answer + answer)
        let byteByByte = try Self.run(stream.map { [$0] })
        #expect(byteByByte.passed == passed)
        #expect(byteByByte.written == answer + answer)
        // Every cut around the first PING: inside its header, inside its payload, at its ends.
        for cut in (Self.settings.count - 1)...(Self.settings.count + Self.ping.count + 1) {
            let split = try Self.run([Array(stream[..<cut]), Array(stream[cut...])])
            #expect(split.passed == passed, "cut at \(cut)")
            #expect(split.written == answer + answer, "cut at \(cut)")
        }
    }
}
