public import OrderAPI

/// What a load run does: which call, how hard, for how long. Always bounded by count or time.
public struct LoadPlan: Sendable {
    /// Unary `CreateOrder` per request, or `CreateOrderStream` with many requests per stream.
    public enum Call: String, Sendable {
        /// One unary call per request.
        case unary
        /// Requests sent one at a time on long-lived bidirectional streams (one per worker).
        case stream
    }

    /// Which call.
    public var call: Call
    /// Concurrent workers (connections share one HTTP/2 channel).
    public var concurrency: Int
    /// Stop after this many requests (nil: only the duration bounds it).
    public var total: Int?
    /// Stop after this many seconds (nil: only the total bounds it).
    public var duration: Double?
    /// Cap on requests per second over all workers (nil: as fast as answers come).
    public var rps: Double?
    /// The request sent; `{{n}}` in `user_id` and `sku_id` becomes the request number.
    public var template: Order_V1_CreateOrderRequest

    /// Creates a plan; at least one of `total` and `duration` must be set.
    public init(call: Call, concurrency: Int, total: Int?, duration: Double?, rps: Double?, template: Order_V1_CreateOrderRequest) {
        precondition(total != nil || duration != nil, "a load run must be bounded by count or time")
        self.call = call
        self.concurrency = concurrency
        self.total = total
        self.duration = duration
        self.rps = rps
        self.template = template
    }

    /// The request numbered `number`, placeholders filled in.
    public func request(_ number: Int) -> Order_V1_CreateOrderRequest {
        var request = template
        request.userID = request.userID.replacingPlaceholder(number)
        for index in request.items.indices {
            request.items[index].skuID = request.items[index].skuID.replacingPlaceholder(number)
        }
        return request
    }
}

extension String {
    fileprivate func replacingPlaceholder(_ number: Int) -> String {
        guard contains("{{n}}") else { return self }
        return split(separator: "{{n}}", omittingEmptySubsequences: false).joined(separator: String(number))
    }
}
