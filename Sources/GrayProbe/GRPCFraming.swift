import GrayCore

/// gRPC's message framing over HTTP/2 and its percent-encoded `grpc-message`.
enum GRPCFraming {
    /// One uncompressed message: flag 0, 4-byte big-endian length, the bytes.
    static func frame(_ message: [UInt8]) -> [UInt8] {
        let count = UInt32(message.count)
        return [0, UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)] + message
    }

    /// The first complete message of a body, nil when the body is cut short or compressed.
    static func firstMessage(_ body: [UInt8]) -> [UInt8]? {
        guard body.count >= 5, body[0] == 0 else { return nil }
        let length = Int(body[1]) << 24 | Int(body[2]) << 16 | Int(body[3]) << 8 | Int(body[4])
        guard body.count >= 5 + length else { return nil }
        return Array(body[5..<5 + length])
    }

    /// Removes and returns every complete message at the front of `buffer` (a stream's bytes so
    /// far); an incomplete one stays for the next call.
    static func takeMessages(from buffer: inout [UInt8]) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var start = 0
        while buffer.count - start >= 5 {
            let length = Int(buffer[start + 1]) << 24 | Int(buffer[start + 2]) << 16 | Int(buffer[start + 3]) << 8 | Int(buffer[start + 4])
            guard buffer.count - start >= 5 + length else { break }
            messages.append(Array(buffer[(start + 5)..<(start + 5 + length)]))
            start += 5 + length
        }
        buffer.removeFirst(start)
        return messages
    }

    /// Decodes `%XX` escapes (`grpc-message` is percent-encoded UTF-8).
    static func percentDecoded(_ text: String) -> String {
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

/// The two messages of `grpc.health.v1`, encoded and decoded by hand (field 1 of each).
enum HealthProtobuf {
    /// `HealthCheckRequest{service}`.
    static func request(service: String) -> [UInt8] {
        guard !service.isEmpty else { return [] }
        let bytes = Array(service.utf8)
        return [0x0A] + varint(UInt64(bytes.count)) + bytes
    }

    /// The status of a `HealthCheckResponse` (absent field 1 means UNKNOWN, proto3's default).
    static func status(_ message: [UInt8]) -> HealthStatus? {
        var index = 0
        var value: UInt64 = 0
        while index < message.count {
            let key = message[index]
            index += 1
            switch key & 7 {
            case 0:
                guard let (number, next) = readVarint(message, from: index) else { return nil }
                if key >> 3 == 1 { value = number }
                index = next
            case 2:
                guard let (length, next) = readVarint(message, from: index) else { return nil }
                index = next + Int(length)
            default:
                return nil
            }
        }
        switch value {
        case 0: return .unknown
        case 1: return .serving
        case 2: return .notServing
        case 3: return .serviceUnknown
        default: return .unknown
        }
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            out.append(byte)
        } while value != 0
        return out
    }

    static func readVarint(_ bytes: [UInt8], from start: Int) -> (UInt64, Int)? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = start
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            value |= UInt64(byte & 0x7F) << shift
            index += 1
            if byte & 0x80 == 0 { return (value, index) }
            shift += 7
        }
        return nil
    }
}
