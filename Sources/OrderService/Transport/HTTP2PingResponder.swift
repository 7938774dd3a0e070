public import GRPCNIOTransportHTTP2Posix
public import NIOCore
import NIOHTTP2

/// Answers a peer's HTTP/2 `PING`s below the HTTP/2 handler, which then never sees them.
///
/// Why: swift-nio-http2 counts every inbound `PING` against a denial-of-service limit of 200 in
/// 30 s and closes the connection with `ENHANCE_YOUR_CALM` beyond it, and grpc-swift-nio-transport
/// offers no way to raise that limit. grpc-go, by default, sends a bandwidth-delay-product `PING`
/// for nearly every burst of data it receives — under 300 calls/s, one per call — so a grpc-swift
/// client of a grpc-go server dropped its connection every 0.7 s and every call in flight on it
/// failed `UNAVAILABLE: Stream unexpectedly closed`. RFC 9113 §6.7 asks only that a `PING` be
/// answered by a `PING` with the `ACK` flag and the same 8 bytes, as soon as possible; this handler
/// does exactly that. Every other frame, a `PING` acknowledgement, and a malformed `PING` (wrong
/// length: a protocol error the HTTP/2 handler must see) pass through untouched, in order, as the
/// bytes arrived, streamed without waiting for whole frames.
public final class HTTP2PingResponder: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private static let headerLength = 9
    private static let pingType: UInt8 = 6
    private static let ackFlag: UInt8 = 1
    private static let pingPayloadLength = 8

    /// Bytes of the frame in progress still to pass through.
    private var passing = 0
    /// True once `head` holds a whole `PING` header and its payload is being read.
    private var readingPingPayload = false
    /// The frame header being read, and a `PING`'s payload after it.
    private var head = ByteBuffer()

    /// A responder for one connection.
    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        var answers: [ByteBuffer] = []
        while bytes.readableBytes > 0 {
            if passing > 0 {
                let slice = bytes.readSlice(length: min(passing, bytes.readableBytes))!
                passing -= slice.readableBytes
                context.fireChannelRead(wrapInboundOut(slice))
                continue
            }
            if !readingPingPayload {
                guard fill(to: Self.headerLength, from: &bytes) else { break }
                guard Self.isPing(head) else {
                    passing = Self.payloadLength(head)
                    context.fireChannelRead(wrapInboundOut(head))
                    head = context.channel.allocator.buffer(capacity: Self.headerLength)
                    continue
                }
                readingPingPayload = true
            }
            guard fill(to: Self.headerLength + Self.pingPayloadLength, from: &bytes) else { break }
            // The answer: the same frame with exactly the ACK flag (RFC 9113 §6.7).
            head.setInteger(Self.ackFlag, at: head.readerIndex + 4)
            answers.append(head)
            head = context.channel.allocator.buffer(capacity: Self.headerLength + Self.pingPayloadLength)
            readingPingPayload = false
        }
        guard !answers.isEmpty else { return }
        for answer in answers { context.write(wrapOutboundOut(answer), promise: nil) }
        context.flush()
    }

    /// Moves bytes from `bytes` into `head` until it holds `count`; false when `bytes` ran out first.
    private func fill(to count: Int, from bytes: inout ByteBuffer) -> Bool {
        let missing = count - head.readableBytes
        if missing > 0 {
            var part = bytes.readSlice(length: min(missing, bytes.readableBytes))!
            head.writeBuffer(&part)
        }
        return head.readableBytes >= count
    }

    /// The payload length a frame header announces.
    private static func payloadLength(_ header: ByteBuffer) -> Int {
        let index = header.readerIndex
        return Int(header.getInteger(at: index, as: UInt16.self)!) << 8 | Int(header.getInteger(at: index + 2, as: UInt8.self)!)
    }

    /// Whether a frame header is a well-formed `PING` that asks for an answer: type 6, no ACK,
    /// 8 bytes, on stream 0. (Anything else, malformed `PING`s included, is the HTTP/2 handler's.)
    private static func isPing(_ header: ByteBuffer) -> Bool {
        let index = header.readerIndex
        return header.getInteger(at: index + 3, as: UInt8.self) == pingType
            && header.getInteger(at: index + 4, as: UInt8.self)! & ackFlag == 0
            && payloadLength(header) == pingPayloadLength
            && header.getInteger(at: index + 5, as: UInt32.self)! & 0x7FFF_FFFF == 0
    }
}

extension HTTP2ClientTransport.Posix.Config {
    /// The defaults, with every connection's peer `PING`s answered by an ``HTTP2PingResponder``
    /// placed just below the HTTP/2 handler (above TLS, when there is TLS).
    public static var answeringPings: Self {
        var config = Self.defaults
        config.channelDebuggingCallbacks.onCreateTCPConnection = { channel in
            channel.eventLoop.makeCompletedFuture {
                let http2 = try channel.pipeline.syncOperations.handler(type: NIOHTTP2Handler.self)
                try channel.pipeline.syncOperations.addHandler(HTTP2PingResponder(), position: .before(http2))
            }
        }
        return config
    }
}
