import GRPCHealthMessages
import SwiftProtobuf
public import GrayCore

/// gRPC's message framing over HTTP/2 and its percent-encoded `grpc-message`.
public enum GRPCFraming {
    /// One uncompressed message: flag 0, 4-byte big-endian length, the bytes.
    static func frame(_ message: [UInt8]) -> [UInt8] {
        let count = UInt32(message.count)
        return [0, UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)] + message
    }

    /// The first complete message of a body, nil when the body is cut short or compressed.
    public static func firstMessage(_ body: [UInt8]) -> [UInt8]? {
        guard body.count >= 5, body[0] == 0 else { return nil }
        let length = Self.length(body, at: 0)
        guard body.count - 5 >= length else { return nil }
        return Array(body[5..<5 + length])
    }

    /// Removes and returns every complete message at the front of `buffer` (a stream's bytes so
    /// far); an incomplete one stays for the next call.
    public static func takeMessages(from buffer: inout [UInt8]) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var start = 0
        while buffer.count - start >= 5 {
            let length = Self.length(buffer, at: start)
            guard buffer.count - start - 5 >= length else { break }
            messages.append(Array(buffer[(start + 5)..<(start + 5 + length)]))
            start += 5 + length
        }
        buffer.removeFirst(start)
        return messages
    }

    /// The 4-byte big-endian length of the message whose 5-byte prefix starts at `start` (at most
    /// 2^32 − 1, so it never overflows).
    private static func length(_ bytes: [UInt8], at start: Int) -> Int {
        Int(bytes[start + 1]) << 24 | Int(bytes[start + 2]) << 16 | Int(bytes[start + 3]) << 8 | Int(bytes[start + 4])
    }

    /// Decodes `%XX` escapes (`grpc-message` is percent-encoded UTF-8).
    public static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The two messages of `grpc.health.v1`, with the SwiftProtobuf types generated from
/// `protos/grpc/health/v1/health.proto` (module GRPCHealthMessages: no NIO, no gRPC stack).
public enum HealthProtobuf {
    /// `HealthCheckRequest{service}`, serialized.
    static func request(service: String) -> [UInt8] {
        let request = Grpc_Health_V1_HealthCheckRequest.with { $0.service = service }
        return (try? request.serializedBytes()) ?? []
    }

    /// The status of a serialized `HealthCheckResponse`; nil when the bytes are not one. A status
    /// number the proto does not define reads as UNKNOWN, as an absent field does (proto3's default).
    public static func status(_ message: [UInt8]) -> HealthStatus? {
        guard let response = try? Grpc_Health_V1_HealthCheckResponse(serializedBytes: message) else { return nil }
        switch response.status {
        case .unknown, .UNRECOGNIZED: return .unknown
        case .serving: return .serving
        case .notServing: return .notServing
        case .serviceUnknown: return .serviceUnknown
        }
    }
}
