import GrayCore
@testable import GrayProbe
import Testing

/// What a health server sends is outside input: every byte sequence decodes to a status or to
/// "not a health answer", never to a crash.
@Suite("Health messages and gRPC framing from untrusted bytes")
struct HealthMessageTests {
    @Test("statuses decode; a status number the proto does not define is UNKNOWN, as an empty message is",
          arguments: [([0x08, 0x01], HealthStatus.serving), ([0x08, 0x02], .notServing), ([0x08, 0x03], .serviceUnknown),
                      ([], .unknown), ([0x08, 0x07], .unknown), ([0x08, 0x01, 0x12, 0x00], .serving)] as [([UInt8], HealthStatus)])
    func statuses(bytes: [UInt8], status: HealthStatus) {
        #expect(HealthProtobuf.status(bytes) == status)
    }

    @Test("malformed answers are not health answers: a length varint of 2^64 − 1, a cut varint, a bad wire type",
          arguments: [
            [0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00],
            [0x08, 0xFF],
            [0x12, 0x05, 0x61],
            [0x0F, 0x00],
          ] as [[UInt8]])
    func malformed(bytes: [UInt8]) {
        #expect(HealthProtobuf.status(bytes) == nil)
    }

    @Test("the request names the service")
    func request() {
        #expect(HealthProtobuf.request(service: "order.v1.OrderService") == [0x0A, 21] + Array("order.v1.OrderService".utf8))
        #expect(HealthProtobuf.request(service: "").isEmpty)
    }

    @Test("a frame claiming 4 GiB on a short body is incomplete, not a crash")
    func hugeFrame() {
        #expect(GRPCFraming.firstMessage([0, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2]) == nil)
        var buffer: [UInt8] = [0, 0, 0, 0, 1, 7, 0, 0xFF, 0xFF, 0xFF, 0xFF, 1]
        #expect(GRPCFraming.takeMessages(from: &buffer) == [[7]])
        #expect(buffer == [0, 0xFF, 0xFF, 0xFF, 0xFF, 1], "the incomplete frame stays for the next call")
    }
}
