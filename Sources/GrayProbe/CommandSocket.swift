import Dispatch
import Glibc
import GrayCore

/// A line-command admin socket (HAProxy's runtime API): one connection per exchange, one command
/// line written, the whole answer read until the server closes the connection.
///
/// The address is `host:port` (IPv4, or a name resolved by the system) or a unix socket path
/// (starting with `/`). Connect and the whole exchange are bounded by `timeout`. Blocking work
/// runs on the socket's own serial queue, never on the caller's executor.
public final class CommandSocket: Sendable {
    private let address: String
    private let timeout: Double
    private let queue: DispatchQueue

    /// A socket at `address` (`127.0.0.1:9999` or `/run/haproxy/admin.sock`).
    public init(address: String, timeout: Double = 1) {
        self.address = address
        self.timeout = timeout
        self.queue = DispatchQueue(label: "grayctl.command-socket")
    }

    /// Sends `command` (one line, without its newline) and returns the answer as text.
    public func send(_ command: String) async throws(ProbeError) -> String {
        let result: Result<String, ProbeError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.exchange(command))
            }
        }
        return try result.get()
    }

    private func failure(_ what: String, _ code: Int32 = errno) -> ProbeError {
        .socket(address: address, message: "\(what) failed: \(String(cString: strerror(code)))")
    }

    private var timedOut: ProbeError {
        .socket(address: address, message: "no answer within \(Format.seconds(timeout))")
    }

    private func exchange(_ command: String) -> Result<String, ProbeError> {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        let socket: Int32
        switch connected() {
        case .success(let descriptor): socket = descriptor
        case .failure(let error): return .failure(error)
        }
        defer { close(socket) }
        let line = Array((command + "\n").utf8)
        var written = 0
        while written < line.count {
            guard wait(socket, for: Int16(POLLOUT), until: deadline) else { return .failure(timedOut) }
            let count = line[written...].withUnsafeBytes { Glibc.write(socket, $0.baseAddress, $0.count) }
            guard count > 0 else { return .failure(failure("write")) }
            written += count
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            guard wait(socket, for: Int16(POLLIN), until: deadline) else { return .failure(timedOut) }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(socket, $0.baseAddress, $0.count) }
            if count == 0 { break }
            guard count > 0 else { return .failure(failure("read")) }
            answer.append(contentsOf: buffer[..<count])
            guard answer.count <= 1 << 20 else { return .failure(.socket(address: address, message: "an answer over 1 MiB")) }
        }
        return .success(String(decoding: answer, as: UTF8.self))
    }

    /// A connected, non-blocking socket, or why not.
    private func connected() -> Result<Int32, ProbeError> {
        if address.hasPrefix("/") {
            var unix = sockaddr_un()
            unix.sun_family = sa_family_t(AF_UNIX)
            let path = Array(address.utf8)
            guard path.count < MemoryLayout.size(ofValue: unix.sun_path) else {
                return .failure(.socket(address: address, message: "a unix socket path longer than the system allows"))
            }
            withUnsafeMutableBytes(of: &unix.sun_path) { raw in
                raw.copyBytes(from: path)
            }
            return open(family: AF_UNIX) { socket in
                withUnsafePointer(to: &unix) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
            }
        }
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            return .failure(.socket(address: address, message: "expected host:port or a unix socket path"))
        }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let host = String(address[..<colon])
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            return .failure(.unresolved(name: host, reason: "no IPv4 address"))
        }
        defer { freeaddrinfo(list) }
        return open(family: AF_INET) { socket in connect(socket, first.pointee.ai_addr, first.pointee.ai_addrlen) }
    }

    /// A socket of `family` connected by `connecting` within the timeout.
    private func open(family: Int32, _ connecting: (Int32) -> Int32) -> Result<Int32, ProbeError> {
        let socket = Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard socket >= 0 else { return .failure(failure("socket")) }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        if connecting(socket) != 0 {
            guard errno == EINPROGRESS || errno == EAGAIN else {
                let error = failure("connect")
                close(socket)
                return .failure(error)
            }
            guard wait(socket, for: Int16(POLLOUT), until: deadline) else {
                close(socket)
                return .failure(timedOut)
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket, SOL_SOCKET, SO_ERROR, &code, &length)
            guard code == 0 else {
                close(socket)
                return .failure(failure("connect", code))
            }
        }
        return .success(socket)
    }

    /// Waits until `socket` is ready for `events` or the deadline passes (false).
    private func wait(_ socket: Int32, for events: Int16, until deadline: UInt64) -> Bool {
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { return false }
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(max(1, (deadline - now) / 1_000_000)))
            if ready > 0 { return true }
            if ready < 0, errno == EINTR { continue }
            if ready == 0 { return false }
            return true
        }
    }
}
