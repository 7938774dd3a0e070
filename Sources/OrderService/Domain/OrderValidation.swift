public import OrderAPI

/// Checks a `CreateOrderRequest` per `docs/endpoints.md`; the message names the offending field.
public enum OrderValidation {
    /// The first problem with `request`, or nil when it is valid.
    public static func problem(_ request: Order_V1_CreateOrderRequest) -> String? {
        if request.userID.isEmpty { return "user_id must not be empty" }
        if request.items.isEmpty { return "items must contain at least one item" }
        for (index, item) in request.items.enumerated() {
            if item.skuID.isEmpty { return "items[\(index)].sku_id must not be empty" }
            if item.count < 1 { return "items[\(index)].count must be at least 1 (got \(item.count))" }
        }
        return nil
    }
}
