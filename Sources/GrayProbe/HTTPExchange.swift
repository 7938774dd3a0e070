/// One HTTP request grayctl sends.
public struct HTTPRequest: Sendable {
    /// `GET`, `PUT`, `POST`.
    public var method: String
    /// Full URL.
    public var url: String
    /// Headers besides those curl adds; an `Authorization` value is never logged.
    public var headers: [(String, String)]
    /// Body bytes, if any.
    public var body: [UInt8]?
    /// Seconds allowed for connecting.
    public var connectTimeout: Double
    /// Seconds allowed for the whole exchange (0: no limit).
    public var timeout: Double

    /// Creates a request.
    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
                connectTimeout: Double = 1, timeout: Double = 2) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}

/// One HTTP answer.
public struct HTTPResponse: Sendable {
    /// Status code of the last response (after any 100-continue).
    public var status: Int
    /// Header fields, lower-cased names, in order (HTTP/2 trailers come last).
    public var headers: [(String, String)]
    /// Body bytes.
    public var body: [UInt8]
    /// Seconds from start to end of the exchange.
    public var seconds: Double

    /// An answer as libcurl delivered it (tests and fuzzing build their own).
    public init(status: Int, headers: [(String, String)], body: [UInt8], seconds: Double) {
        self.status = status
        self.headers = headers
        self.body = body
        self.seconds = seconds
    }

    /// The last value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.last { $0.0 == lowered }?.1
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// TLS files for HTTPS and gRPC over TLS (`--cacert --cert --key`).
public struct ProbeTLS: Sendable, Equatable {
    /// CA bundle to verify servers with (PEM).
    public var caFile: String?
    /// Client certificate for mutual TLS (PEM).
    public var certFile: String?
    /// Private key of the client certificate (PEM).
    public var keyFile: String?

    /// Creates TLS settings.
    public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}
