import CCurl
import CCurlShim
import Foundation
import Glibc

/// Every `send` of the process on one thread through one curl multi handle, driven by
/// `curl_multi_socket_action` over an epoll set: a wake costs what its ready sockets cost, not a
/// walk over every transfer and every socket in flight, and keep-alive connections are shared by
/// every client that talks to the same server.
///
/// Exchanges arrive from any thread (``submit(_:)``, then a write to the loop's eventfd); the loop
/// adds them, drives them and hands each outcome back once, from its own thread. One transfer is
/// one connection at a time (no HTTP/2 multiplexing). A cleartext HTTP/2 exchange that found no
/// kept connection, or lost it before any answer, is sent once more on a new one (curl#10634, see
/// ``CurlHTTPClient``); h2c connections are kept in a connection cache of their own (a curl share
/// object), so an h2c exchange never reuses a kept HTTP/1.1 connection to the same address (a
/// server with gRPC and HTTP on one port). Easy handles are kept for the next exchange of the same
/// kind.
final class CurlTransferLoop: @unchecked Sendable {
    /// The process's loop, started on first use.
    static let shared = CurlTransferLoop()

    /// One exchange: what to send, where the answer collects, whom to tell.
    final class Transfer {
        /// What to send; a second attempt gets what is left of the timeout.
        var request: HTTPRequest
        let setup: CurlHTTPClient.Setup
        var sink = ResponseSink()
        let done: @Sendable (Result<HTTPResponse, ProbeError>) -> Void
        var headerList: UnsafeMutablePointer<curl_slist>?
        /// Cleartext HTTP/2: kept apart, and tried on a kept connection first.
        let h2c: Bool
        /// True while the exchange may only reuse a kept connection.
        var keptConnectionOnly: Bool
        /// Seconds an earlier attempt took: the answer's time counts them too.
        var earlierSeconds = 0.0

        init(request: HTTPRequest, setup: CurlHTTPClient.Setup, done: @escaping @Sendable (Result<HTTPResponse, ProbeError>) -> Void) {
            self.request = request
            self.setup = setup
            self.done = done
            h2c = CurlHTTPClient.triesKeptConnectionFirst(request, setup: setup)
            keptConnectionOnly = h2c
        }
    }

    /// Idle easy handles kept beyond this are freed.
    private static let keptHandles = 256
    /// The longest the loop sleeps with nothing due: curl's own timeouts are kept through its timer.
    private static let longestWaitMs: Int32 = 1000

    private let multi: UnsafeMutableRawPointer
    private let epoll: Int32
    private let wakeup: Int32
    private let lock = NSLock()
    private var pending: [Transfer] = []
    /// Owned by the loop's thread.
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]
    /// Idle easy handles for HTTP/1.1 and TLS exchanges.
    private var idle: [UnsafeMutableRawPointer] = []
    /// Idle easy handles for h2c exchanges: they carry the share of ``h2cConnections`` through
    /// `curl_easy_reset`, as curl documents.
    private var idleH2C: [UnsafeMutableRawPointer] = []
    /// The connection cache of h2c exchanges, apart from the multi handle's.
    private let h2cConnections: UnsafeMutableRawPointer
    /// When curl asked to be called with `CURL_SOCKET_TIMEOUT` (monotonic nanoseconds); owned by
    /// the loop's thread (curl calls its timer callback from the loop's calls only).
    private var timerDue: UInt64?

    private init() {
        CurlGlobal.initialize()
        multi = curl_multi_init()!
        h2cConnections = grayctl_share_connections()!
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeup = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        precondition(epoll >= 0 && wakeup >= 0, "grayctl: cannot create the curl loop's epoll set (errno \(errno))")
        watch(wakeup, events: EPOLLIN.rawValue)
        grayctl_multi_setopt_long(multi, CURLMOPT_PIPELINING, CURLPIPE_NOTHING)
        // Room for a kept connection to every admin port of a large fleet.
        grayctl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 4096)
        let me = Unmanaged.passUnretained(self).toOpaque()
        grayctl_multi_set_socket_callback(multi, { _, socket, what, data, _ in
            Unmanaged<CurlTransferLoop>.fromOpaque(data!).takeUnretainedValue().socketChanged(socket, what: what)
            return 0
        }, me)
        grayctl_multi_set_timer_callback(multi, { _, timeoutMs, data in
            Unmanaged<CurlTransferLoop>.fromOpaque(data!).takeUnretainedValue().timerChanged(timeoutMs)
            return 0
        }, me)
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "grayctl.curl"
        thread.start()
    }

    /// Queues `transfer`; its `done` is called once, on the loop's thread.
    func submit(_ transfer: Transfer) {
        lock.withLock { pending.append(transfer) }
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { Glibc.write(wakeup, $0.baseAddress, $0.count) }
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 128)
        while true {
            let arrived = lock.withLock {
                let taken = pending
                pending.removeAll(keepingCapacity: true)
                return taken
            }
            for transfer in arrived { start(transfer) }
            if timerDue.map({ $0 <= Self.now() }) ?? false {
                // curl's timer is one-shot: it sets a new one from inside this call if it needs one.
                timerDue = nil
                act(on: CURL_SOCKET_TIMEOUT, mask: 0)
            }
            collectFinished()
            let ready = events.withUnsafeMutableBufferPointer {
                epoll_wait(epoll, $0.baseAddress, Int32($0.count), waitMs())
            }
            if ready < 0 {
                guard errno != EINTR else { continue }
                // Nothing in flight can progress: each exchange fails, and the loop waits a moment
                // before it tries again instead of spinning.
                for easy in Array(running.keys) { abandon(easy, code: CURLM_INTERNAL_ERROR) }
                usleep(100_000)
                continue
            }
            for event in events.prefix(Int(ready)) {
                if event.data.fd == wakeup {
                    var count: UInt64 = 0
                    _ = withUnsafeMutableBytes(of: &count) { Glibc.read(wakeup, $0.baseAddress, $0.count) }
                    continue
                }
                var mask: Int32 = 0
                if event.events & EPOLLIN.rawValue != 0 { mask |= CURL_CSELECT_IN }
                if event.events & EPOLLOUT.rawValue != 0 { mask |= CURL_CSELECT_OUT }
                if event.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { mask |= CURL_CSELECT_ERR }
                act(on: event.data.fd, mask: mask)
            }
            collectFinished()
        }
    }

    /// Lets curl drive what `socket` (or its timer) is ready for.
    private func act(on socket: curl_socket_t, mask: Int32) {
        var active: Int32 = 0
        curl_multi_socket_action(multi, socket, mask, &active)
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            finish(easy, code: message.pointee.data.result)
        }
    }

    /// curl's socket callback: what `socket` is to be watched for, or that it is done with.
    private func socketChanged(_ socket: curl_socket_t, what: Int32) {
        switch what {
        case CURL_POLL_REMOVE:
            epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nil)
        default:
            var events: UInt32 = 0
            if what & CURL_POLL_IN != 0 { events |= EPOLLIN.rawValue }
            if what & CURL_POLL_OUT != 0 { events |= EPOLLOUT.rawValue }
            watch(socket, events: events)
        }
    }

    /// Adds `socket` to the epoll set, or changes what it is watched for.
    private func watch(_ socket: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = socket
        if epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event) != 0, errno == ENOENT {
            epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event)
        }
    }

    /// curl's timer callback: -1 removes the timer, 0 asks for a call as soon as possible.
    private func timerChanged(_ timeoutMs: Int) {
        timerDue = timeoutMs < 0 ? nil : Self.now() + UInt64(timeoutMs) * 1_000_000
    }

    /// How long `epoll_wait` may sleep: until curl's timer is due, at most ``longestWaitMs``.
    private func waitMs() -> Int32 {
        guard let due = timerDue else { return Self.longestWaitMs }
        let now = Self.now()
        guard due > now else { return 0 }
        return Int32(min(UInt64(Self.longestWaitMs), (due - now + 999_999) / 1_000_000))
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    private func abandon(_ easy: UnsafeMutableRawPointer, code: CURLMcode) {
        guard let transfer = running.removeValue(forKey: easy) else { return }
        curl_multi_remove_handle(multi, easy)
        recycle(easy, transfer)
        transfer.done(.failure(.transport(url: transfer.request.url, code: Int(code.rawValue), message: "curl: \(String(cString: curl_multi_strerror(code)))")))
    }

    private func start(_ transfer: Transfer) {
        guard let easy = handle(h2c: transfer.h2c) else {
            transfer.done(.failure(.transport(url: transfer.request.url, code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "no curl handle")))
            return
        }
        add(easy, transfer)
    }

    /// An idle easy handle for an exchange of the kind `h2c` says, or a new one.
    private func handle(h2c: Bool) -> UnsafeMutableRawPointer? {
        if let easy = h2c ? idleH2C.popLast() : idle.popLast() { return easy }
        guard let easy = curl_easy_init() else { return nil }
        guard !h2c || grayctl_easy_setopt_pointer(easy, CURLOPT_SHARE, h2cConnections) == CURLE_OK else {
            curl_easy_cleanup(easy)
            return nil
        }
        return easy
    }

    /// Configures `easy` for `transfer` and hands it to curl.
    private func add(_ easy: UnsafeMutableRawPointer, _ transfer: Transfer) {
        transfer.headerList = CurlHTTPClient.configure(
            easy, for: transfer.request, setup: transfer.setup, keptConnectionOnly: transfer.keptConnectionOnly,
            sink: Unmanaged.passUnretained(transfer.sink).toOpaque())
        running[easy] = transfer
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else {
            running[easy] = nil
            recycle(easy, transfer)
            transfer.done(.failure(.transport(url: transfer.request.url, code: Int(added.rawValue), message: String(cString: curl_multi_strerror(added)))))
            return
        }
    }

    private func finish(_ easy: UnsafeMutableRawPointer, code: CURLcode) {
        guard let transfer = running.removeValue(forKey: easy) else { return }
        curl_multi_remove_handle(multi, easy)
        if transfer.keptConnectionOnly, CurlHTTPClient.needsNewConnection(easy, code: code, sink: transfer.sink),
           let remainder = CurlHTTPClient.remainder(of: transfer.request, after: easy) {
            // Once more on a new connection, which curl then keeps.
            transfer.request = remainder.request
            transfer.earlierSeconds = remainder.spent
            curl_slist_free_all(transfer.headerList)
            curl_easy_reset(easy)
            transfer.keptConnectionOnly = false
            transfer.sink = ResponseSink()
            add(easy, transfer)
            return
        }
        let earlierSeconds = transfer.earlierSeconds
        let result = CurlHTTPClient.outcome(of: easy, code: code, sink: transfer.sink, url: transfer.request.url).map { answer in
            var answer = answer
            answer.seconds += earlierSeconds
            return answer
        }
        recycle(easy, transfer)
        transfer.done(result)
    }

    private func recycle(_ easy: UnsafeMutableRawPointer, _ transfer: Transfer) {
        curl_slist_free_all(transfer.headerList)
        transfer.headerList = nil
        curl_easy_reset(easy)
        if transfer.h2c, idleH2C.count < Self.keptHandles {
            idleH2C.append(easy)
        } else if !transfer.h2c, idle.count < Self.keptHandles {
            idle.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
    }
}
