import CCurl
import CCurlShim
import Dispatch
import Foundation

/// HTTP over libcurl: HTTP/1.1 keep-alive, HTTP/2 (h2c prior knowledge or TLS), TLS and mTLS,
/// connect and total timeouts.
///
/// Exchanges (``send(_:)``) run on the process's ``CurlTransferLoop``: many at once on one thread,
/// kept connections shared by every client of the same server. Cleartext HTTP/2 (h2c) connections
/// are kept too, around a bug of Debian 12's libcurl 7.88 (curl#10634, fixed in 8.0): a request
/// sent with prior knowledge on a reused h2c connection fails with a framing error. So an h2c
/// exchange first asks for plain HTTP/2 and may only reuse a kept h2c connection (curl may open no
/// socket, so it never sends an HTTP/1.1 upgrade on a new one; and the loop keeps h2c connections
/// apart from HTTP/1.1 ones to the same address, so it never reuses one of those either). When
/// none is kept (the first exchange, or the server closed it), or the kept one ended before any
/// answer (the server closed it under the request), the exchange is sent again with prior
/// knowledge on a new connection, which is kept for the next. h2c exchanges must therefore be safe
/// to send twice (gRPC health `Check`s are). A long-lived ``stream(_:onData:shouldStop:)`` has an
/// easy handle and a thread of its own. Blocking work never runs on the caller's executor.
public final class CurlHTTPClient: Sendable {
    /// Which HTTP version to speak.
    public enum HTTPVersion: Sendable {
        /// HTTP/1.1 (admin and metrics endpoints).
        case http1
        /// HTTP/2: cleartext (h2c) on kept connections, ALPN over TLS (gRPC); an h2c exchange
        /// may be sent twice (see the type's documentation).
        case http2
    }

    /// What every exchange of one client is sent with.
    struct Setup: Sendable {
        let httpVersion: HTTPVersion
        let tls: ProbeTLS
    }

    private let setup: Setup
    private let label: String

    /// Creates a client speaking `version`, with `tls` files for `https://` URLs; `label` names
    /// the thread of its streams.
    public init(version: HTTPVersion = .http1, tls: ProbeTLS = ProbeTLS(), label: String = "grayctl.curl") {
        CurlGlobal.initialize()
        self.setup = Setup(httpVersion: version, tls: tls)
        self.label = label
    }

    /// Sends `request` and returns the answer, whatever its HTTP status; transport failures throw.
    public func send(_ request: HTTPRequest) async throws(ProbeError) -> HTTPResponse {
        let setup = setup
        let result: Result<HTTPResponse, ProbeError> = await withCheckedContinuation { continuation in
            CurlTransferLoop.shared.submit(.init(request: request, setup: setup) { continuation.resume(returning: $0) })
        }
        return try result.get()
    }

    /// Sends `request` and hands the body to `onData` as it arrives, until the server ends the
    /// response, `onData` returns false, or `shouldStop` (asked at least once a second) returns
    /// true. The answer's body is empty; stopping by the caller is not an error. For long-lived
    /// streams (gRPC health `Watch`): give the request no total timeout.
    public func stream(
        _ request: HTTPRequest, onData: @escaping @Sendable (UnsafeRawBufferPointer) -> Bool, shouldStop: @escaping @Sendable () -> Bool
    ) async throws(ProbeError) -> HTTPResponse {
        let setup = setup
        let result: Result<HTTPResponse, ProbeError> = await withCheckedContinuation { continuation in
            DispatchQueue(label: label).async {
                guard let handle = curl_easy_init() else {
                    continuation.resume(returning: .failure(.transport(url: request.url, code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "no curl handle")))
                    return
                }
                defer { curl_easy_cleanup(handle) }
                let sink = ResponseSink()
                sink.onData = onData
                sink.shouldStop = shouldStop
                let headerList = Self.configure(
                    handle, for: request, setup: setup, keptConnectionOnly: false, sink: Unmanaged.passUnretained(sink).toOpaque())
                defer { curl_slist_free_all(headerList) }
                let code = withExtendedLifetime(sink) { curl_easy_perform(handle) }
                continuation.resume(returning: Self.outcome(of: handle, code: code, sink: sink, url: request.url))
            }
        }
        return try result.get()
    }

    /// Whether an exchange of `request` first tries a kept connection only: cleartext HTTP/2 (see
    /// the type's documentation).
    static func triesKeptConnectionFirst(_ request: HTTPRequest, setup: Setup) -> Bool {
        setup.httpVersion == .http2 && request.url.hasPrefix("http://")
    }

    /// Whether an h2c exchange that tried a kept connection only and ended with `code` on
    /// `handle` is to be sent again on a new connection: none was kept (a new one was refused, so
    /// nothing was sent on it), or the kept one ended before any answer came (the server closed it
    /// under the request). A timeout or a reset stream is an answer from a live connection: such
    /// a server stays failed. `connects == 0` also keeps an attempt that could not be limited to
    /// kept connections (see ``configure(_:for:setup:keptConnectionOnly:sink:)``) from a retry.
    static func needsNewConnection(_ handle: UnsafeMutableRawPointer, code: CURLcode, sink: ResponseSink) -> Bool {
        guard code != CURLE_OK else { return false }
        if sink.refusedConnections.pointee > 0 { return true }
        var connects = 0
        var headerBytes = 0
        grayctl_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        grayctl_easy_getinfo_long(handle, CURLINFO_HEADER_SIZE, &headerBytes)
        return connects == 0 && headerBytes == 0 && closedUnderRequest.contains(code.rawValue)
    }

    /// `request` to send again after the attempt on `handle`, with the seconds that attempt took:
    /// its total timeout less those seconds, so the deadline covers both; nil when no time is left.
    static func remainder(of request: HTTPRequest, after handle: UnsafeMutableRawPointer) -> (request: HTTPRequest, spent: Double)? {
        var spent = 0.0
        grayctl_easy_getinfo_double(handle, CURLINFO_TOTAL_TIME, &spent)
        guard request.timeout > 0 else { return (request, spent) }
        var next = request
        next.timeout = request.timeout - spent
        return next.timeout >= 0.001 ? (next, spent) : nil
    }

    /// How curl 7.88 reports a reused connection that ended under a request.
    private static let closedUnderRequest: Set<UInt32> = [
        CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    /// Sets every option of `request` on the fresh or reset easy `handle`, its answer collected by
    /// the ``ResponseSink`` at `sink` (kept alive by the caller until the exchange ends); with
    /// `keptConnectionOnly`, an h2c exchange may only reuse a kept connection (each refused new one
    /// counted in the sink's ``ResponseSink/refusedConnections``; should curl refuse the callback,
    /// the exchange opens a new connection as without it), without it an h2c exchange opens a new
    /// one. Returns the header list to free after the exchange.
    static func configure(
        _ handle: UnsafeMutableRawPointer, for request: HTTPRequest, setup: Setup, keptConnectionOnly: Bool, sink: UnsafeMutableRawPointer
    ) -> UnsafeMutablePointer<curl_slist>? {
        let responseSink = Unmanaged<ResponseSink>.fromOpaque(sink).takeUnretainedValue()
        var headerList: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        grayctl_easy_setopt_string(handle, CURLOPT_URL, request.url)
        grayctl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        grayctl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        if request.timeout > 0 { grayctl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000)) }
        grayctl_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, curlWrite)
        grayctl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, sink)
        grayctl_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, curlHeader)
        grayctl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, sink)
        grayctl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        let cleartext = request.url.hasPrefix("http://")
        switch setup.httpVersion {
        case .http1:
            grayctl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        case .http2:
            guard cleartext else {
                grayctl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
                break
            }
            if keptConnectionOnly, grayctl_easy_reuse_only(handle, responseSink.refusedConnections) == CURLE_OK {
                grayctl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2_0)
            } else {
                grayctl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE)
                grayctl_easy_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
            }
        }
        if let ca = setup.tls.caFile { grayctl_easy_setopt_string(handle, CURLOPT_CAINFO, ca) }
        if let cert = setup.tls.certFile { grayctl_easy_setopt_string(handle, CURLOPT_SSLCERT, cert) }
        if let key = setup.tls.keyFile { grayctl_easy_setopt_string(handle, CURLOPT_SSLKEY, key) }
        if request.method != "GET" { grayctl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method) }
        if let body = request.body {
            grayctl_easy_setopt_long(handle, CURLOPT_POST, 1)
            grayctl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                _ = grayctl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
        }
        if responseSink.shouldStop != nil {
            grayctl_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
            grayctl_easy_setopt_xferinfo_callback(handle, curlProgress)
            grayctl_easy_setopt_pointer(handle, CURLOPT_XFERINFODATA, sink)
        }
        return headerList
    }

    /// The answer `handle` collected in `sink`, or the transport failure `code` names.
    static func outcome(of handle: UnsafeMutableRawPointer, code: CURLcode, sink: ResponseSink, url: String) -> Result<HTTPResponse, ProbeError> {
        var total = 0.0
        grayctl_easy_getinfo_double(handle, CURLINFO_TOTAL_TIME, &total)
        guard code == CURLE_OK || sink.stoppedByCaller else {
            let message = String(cString: curl_easy_strerror(code))
            return .failure(.transport(url: url, code: Int(code.rawValue), message: message))
        }
        var status = 0
        grayctl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: sink.headers, body: sink.body, seconds: total))
    }
}

/// Collects body bytes and header lines from curl's callbacks.
final class ResponseSink {
    var body: [UInt8] = []
    var headers: [(String, String)] = []
    /// Streaming: receives the body instead of `body`; false stops the transfer.
    var onData: ((UnsafeRawBufferPointer) -> Bool)?
    /// Streaming: asked from curl's progress callback; true stops the transfer.
    var shouldStop: (() -> Bool)?
    /// True once the caller stopped the transfer (curl then reports an abort, which is no error).
    var stoppedByCaller = false
    /// How many new connections a kept-connection-only exchange was refused (written by curl's
    /// open-socket callback, hence a pointer of its own).
    let refusedConnections = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    init() {
        refusedConnections.initialize(to: 0)
    }

    deinit {
        refusedConnections.deallocate()
    }

    /// Takes one header line as curl hands it (status line, `name: value`, or the blank end),
    /// the name lower-cased, the value without surrounding blanks.
    func header(line: UnsafeRawBufferPointer) {
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll()
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: line[..<colon].lazy.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        var first = colon + 1
        var end = line.endIndex
        while first < end, isBlank(line[first]) { first += 1 }
        while end > first, isBlank(line[end - 1]) { end -= 1 }
        headers.append((name, String(decoding: line[first..<end], as: UTF8.self)))
    }
}

private let curlWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
    guard let data, let user else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(user).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    if let onData = sink.onData {
        guard onData(bytes) else {
            sink.stoppedByCaller = true
            return 0
        }
    } else {
        sink.body.append(contentsOf: bytes)
    }
    return size * count
}

private let curlProgress: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = { user, _, _, _, _ in
    guard let user else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(user).takeUnretainedValue()
    guard sink.shouldStop?() == true else { return 0 }
    sink.stoppedByCaller = true
    return 1
}

private let curlHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
    guard let data, let user else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(user).takeUnretainedValue()
    sink.header(line: UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

/// `curl_global_init` once per process, before any handle.
enum CurlGlobal {
    private static let once: Void = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
    }()

    static func initialize() {
        _ = once
    }
}
