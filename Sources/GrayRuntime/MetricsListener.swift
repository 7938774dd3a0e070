import Foundation
import Glibc

/// `--metrics-listen HOST:PORT`: serves grayctl's own metrics (``GrayCore/DriverMetrics``) at
/// `GET /metrics` as Prometheus text, one short HTTP/1.1 exchange a connection, on a thread of its
/// own. Anything else answers 404 (other paths) or 405 (other methods); a client whose request
/// head has not arrived within 2 s, or is over 8 KiB, is dropped. A scrape never waits on a
/// poll round: the text is taken from `exposition` as it is at that moment.
public final class MetricsListener: @unchecked Sendable {
    /// Why the listener could not start.
    public enum StartError: Error, Equatable, CustomStringConvertible {
        /// Not `HOST:PORT` with an IPv4 host (or `localhost`) and a port in 1...65535.
        case badAddress(String)
        /// The socket could not be bound: what the system said.
        case cannotListen(String, reason: String)

        public var description: String {
            switch self {
            case .badAddress(let address):
                return "--metrics-listen \(address): expected HOST:PORT with an IPv4 address (such as 127.0.0.1:9464)"
            case .cannotListen(let address, let reason):
                return "--metrics-listen \(address): cannot listen: \(reason)"
            }
        }
    }

    private let socket: Int32
    private let exposition: @Sendable () -> String
    /// The port bound (useful with port 0).
    public let port: Int

    /// Binds `address` (`HOST:PORT`) and starts serving `exposition`.
    public init(address: String, exposition: @escaping @Sendable () -> String) throws(StartError) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (0...65535).contains(port) else {
            throw .badAddress(address)
        }
        let host = String(address[..<colon])
        var ip = in_addr()
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &ip) == 1 else { throw .badAddress(address) }
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw .cannotListen(address, reason: String(cString: strerror(errno))) }
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var name = sockaddr_in()
        name.sin_family = sa_family_t(AF_INET)
        name.sin_port = in_port_t(UInt16(port).bigEndian)
        name.sin_addr = ip
        let bound = withUnsafePointer(to: &name) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw .cannotListen(address, reason: reason)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.socket = socket
        self.exposition = exposition
        let thread = Thread { [self] in serve() }
        thread.name = "grayctl.metrics"
        thread.start()
    }

    private func serve() {
        while true {
            let client = accept(socket, nil, nil)
            guard client >= 0 else {
                // Out of descriptors, an aborted connection, a signal: wait a moment (unless it
                // was a signal) and accept again; the listener never stops serving.
                if errno != EINTR { usleep(100_000) }
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            answer(client)
            close(client)
        }
    }

    /// Reads one request head from `client` within 2 s in all (a client trickling bytes is cut
    /// off at the deadline, not per byte) and answers it.
    private func answer(_ client: Int32) {
        let deadline = DispatchTime.now().uptimeNanoseconds + 2_000_000_000
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while !Self.endsHead(head) {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { return }
            let left = deadline - now
            var timeout = timeval(tv_sec: Int(left / 1_000_000_000), tv_usec: Int(left % 1_000_000_000 / 1000))
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0, head.count + count <= 8192 else { return }
            head += buffer[..<count]
        }
        var sendTimeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        let requestLine = String(decoding: head.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self).split(separator: " ")
        let (status, type, body): (String, String, String)
        if requestLine.count < 2 {
            (status, type, body) = ("400 Bad Request", "text/plain", "bad request\n")
        } else if requestLine[0] != "GET" {
            (status, type, body) = ("405 Method Not Allowed", "text/plain", "only GET\n")
        } else if requestLine[1] == "/metrics" || requestLine[1].hasPrefix("/metrics?") {
            (status, type, body) = ("200 OK", "text/plain; version=0.0.4; charset=utf-8", exposition())
        } else {
            (status, type, body) = ("404 Not Found", "text/plain", "grayctl serves its metrics at /metrics\n")
        }
        let bytes = Array(body.utf8)
        let response = Array("HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n".utf8) + bytes
        var sent = 0
        while sent < response.count {
            let count = response[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            sent += count
        }
    }

    /// Whether `head` holds a blank line (the end of a request head).
    private static func endsHead(_ head: [UInt8]) -> Bool {
        head.indices.contains { index in
            head[index] == 0x0A && (index >= 1 && head[index - 1] == 0x0A || index >= 2 && head[index - 1] == 0x0D && head[index - 2] == 0x0A)
        }
    }
}
