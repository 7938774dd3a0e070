import CCurl
import CCurlShim
import Foundation

/// Every `send` of the process on one thread through one curl multi handle: one `poll` wakes for
/// all the sockets that are ready, instead of a blocked thread per exchange, and keep-alive
/// connections are shared by every client that talks to the same server.
///
/// Exchanges arrive from any thread (``submit(_:)``, then `curl_multi_wakeup`); the loop adds them,
/// drives them and hands each outcome back once, from its own thread. One transfer is one
/// connection at a time (no HTTP/2 multiplexing): cleartext HTTP/2 connections are never reused
/// (curl#10634, see ``CurlHTTPClient``). Easy handles are kept for the next exchange.
final class CurlTransferLoop: @unchecked Sendable {
    /// The process's loop, started on first use.
    static let shared = CurlTransferLoop()

    /// One exchange: what to send, where the answer collects, whom to tell.
    final class Transfer {
        let request: HTTPRequest
        let setup: CurlHTTPClient.Setup
        let sink = ResponseSink()
        let done: @Sendable (Result<HTTPResponse, ProbeError>) -> Void
        var headerList: UnsafeMutablePointer<curl_slist>?

        init(request: HTTPRequest, setup: CurlHTTPClient.Setup, done: @escaping @Sendable (Result<HTTPResponse, ProbeError>) -> Void) {
            self.request = request
            self.setup = setup
            self.done = done
        }
    }

    /// Idle easy handles kept beyond this are freed.
    private static let keptHandles = 256

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var pending: [Transfer] = []
    /// Owned by the loop's thread.
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]
    private var idle: [UnsafeMutableRawPointer] = []

    private init() {
        CurlGlobal.initialize()
        multi = curl_multi_init()!
        grayctl_multi_setopt_long(multi, CURLMOPT_PIPELINING, CURLPIPE_NOTHING)
        // Room for a kept connection to every admin port of a large fleet.
        grayctl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 4096)
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "grayctl.curl"
        thread.start()
    }

    /// Queues `transfer`; its `done` is called once, on the loop's thread.
    func submit(_ transfer: Transfer) {
        lock.withLock { pending.append(transfer) }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            let arrived = lock.withLock {
                let taken = pending
                pending.removeAll(keepingCapacity: true)
                return taken
            }
            for transfer in arrived { start(transfer) }
            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                finish(easy, code: message.pointee.data.result)
            }
            let polled = curl_multi_poll(multi, nil, 0, 1000, nil)
            if polled != CURLM_OK {
                // Nothing in flight can progress: each exchange fails, and the loop waits a moment
                // before it tries again instead of spinning.
                for easy in Array(running.keys) {
                    abandon(easy, code: polled)
                }
                usleep(100_000)
            }
        }
    }

    private func abandon(_ easy: UnsafeMutableRawPointer, code: CURLMcode) {
        guard let transfer = running.removeValue(forKey: easy) else { return }
        curl_multi_remove_handle(multi, easy)
        recycle(easy, transfer)
        transfer.done(.failure(.transport(url: transfer.request.url, code: Int(code.rawValue), message: "curl: \(String(cString: curl_multi_strerror(code)))")))
    }

    private func start(_ transfer: Transfer) {
        guard let easy = idle.popLast() ?? curl_easy_init() else {
            transfer.done(.failure(.transport(url: transfer.request.url, code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "no curl handle")))
            return
        }
        transfer.headerList = CurlHTTPClient.configure(
            easy, for: transfer.request, setup: transfer.setup, sink: Unmanaged.passUnretained(transfer.sink).toOpaque())
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
        let result = CurlHTTPClient.outcome(of: easy, code: code, sink: transfer.sink, url: transfer.request.url)
        recycle(easy, transfer)
        transfer.done(result)
    }

    private func recycle(_ easy: UnsafeMutableRawPointer, _ transfer: Transfer) {
        curl_slist_free_all(transfer.headerList)
        transfer.headerList = nil
        curl_easy_reset(easy)
        if idle.count < Self.keptHandles {
            idle.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
    }
}
