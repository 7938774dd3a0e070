import Foundation
import OrderAPI
import OrderService
import SwiftProtobuf
import Testing

@Suite("Order domain: validation, inventory, ids")
struct DomainTests {
    static func request(user: String = "u1", items: [(String, Int32)] = [("sku-1", 1)]) -> Order_V1_CreateOrderRequest {
        .with { request in
            request.userID = user
            request.items = items.map { item in .with { $0.skuID = item.0; $0.count = item.1 } }
        }
    }

    @Test("validation names the offending field", arguments: [
        (request(user: ""), "user_id must not be empty"),
        (request(items: []), "items must contain at least one item"),
        (request(items: [("sku-1", 1), ("", 2)]), "items[1].sku_id must not be empty"),
        (request(items: [("sku-1", 0)]), "items[0].count must be at least 1 (got 0)"),
        (request(items: [("sku-1", -3)]), "items[0].count must be at least 1 (got -3)"),
    ])
    func validation(request: Order_V1_CreateOrderRequest, problem: String) {
        #expect(OrderValidation.problem(request) == problem)
    }

    @Test("a valid request has no problem")
    func valid() {
        #expect(OrderValidation.problem(Self.request()) == nil)
    }

    @Test("reservations are all or nothing and name the short SKU")
    func allOrNothing() {
        let inventory = Inventory(stock: ["a": 5, "b": 1])
        #expect(throws: Inventory.ReservationError.insufficient(sku: "b", requested: 2, available: 1)) {
            try inventory.reserveAll([("a", 3), ("b", 2)])
        }
        #expect(inventory.record("a")?.available == 5, "a's reservation was released")
        #expect(throws: Inventory.ReservationError.unknownSKU("zzz")) { try inventory.reserveAll([("zzz", 1)]) }
        let taken = try? inventory.reserveAll([("a", 3), ("b", 1)])
        #expect(taken?.count == 2)
        #expect(inventory.record("a")?.available == 2 && inventory.record("b")?.available == 0)
    }

    @Test("many concurrent reservers never oversell a small stock")
    func noOversell() async {
        let inventory = Inventory(stock: ["hot": 100, "cold": 1_000])
        let succeeded = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    var wins = 0
                    for _ in 0..<20 {
                        if (try? inventory.reserveAll([("cold", 1), ("hot", 1)])) != nil { wins += 1 }
                    }
                    return wins
                }
            }
            return await group.reduce(0, +)
        }
        #expect(succeeded == 100)
        #expect(inventory.record("hot")?.available == 0)
        #expect(inventory.record("cold")?.available == 900)
    }

    @Test("order ids are unique and time-ordered, also across threads")
    func orderIDs() async {
        let clock = ManualMilliseconds(1_767_225_600_000 + 5_000)
        let generator = OrderIDGenerator(node: 2, clock: { clock.value })
        let ids = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<8 { group.addTask { (0..<2_000).map { _ in generator.next() } } }
            return await group.reduce(into: [UInt64]()) { $0 += $1 }
        }
        #expect(Set(ids).count == 16_000)
        let first = generator.next()
        clock.advance(1)
        let second = generator.next()
        #expect(second > first)
        #expect(OrderIDGenerator.milliseconds(of: first) >= 1_767_225_605_000)
    }
}

/// A settable clock in milliseconds.
final class ManualMilliseconds: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int64

    init(_ value: Int64) {
        current = value
    }

    var value: Int64 { lock.withLock { current } }

    func advance(_ milliseconds: Int64) {
        lock.withLock { current += milliseconds }
    }
}
