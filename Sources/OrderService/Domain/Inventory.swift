import Synchronization

/// In-memory stock per SKU with optimistic concurrency: every record has a version, and a
/// reservation is a compare-and-set against the version it read, retried on conflict.
///
/// A multi-item order reserves its items one by one and releases what it took if a later item is
/// short, so stock is never oversold and never leaked, however many streams reserve at once.
public final class Inventory: Sendable {
    /// One SKU's stock.
    public struct Record: Sendable, Equatable {
        /// Units available.
        public var available: Int
        /// Bumped by every change.
        public var version: UInt64
    }

    /// Why a reservation failed.
    public enum ReservationError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The SKU is not stocked here.
        case unknownSKU(String)
        /// Not enough units.
        case insufficient(sku: String, requested: Int, available: Int)

        public var description: String {
            switch self {
            case .unknownSKU(let sku): return "unknown sku_id \"\(sku)\""
            case .insufficient(let sku, let requested, let available):
                return "insufficient stock for sku_id \"\(sku)\": requested \(requested), available \(available)"
            }
        }
    }

    private let records: Mutex<[String: Record]>
    private let conflicts = Atomic<Int>(0)

    /// Creates an inventory with `stock` units per SKU, all at version 1.
    public init(stock: [String: Int]) {
        records = Mutex(stock.mapValues { Record(available: $0, version: 1) })
    }

    /// The record of `sku`, if stocked.
    public func record(_ sku: String) -> Record? {
        records.withLock { $0[sku] }
    }

    /// How many compare-and-set attempts lost a race and were retried.
    public var conflictCount: Int { conflicts.load(ordering: .relaxed) }

    /// Compare-and-set: replaces `sku`'s record if its version is still `expected`.
    func compareAndSet(_ sku: String, expected: UInt64, new: Record) -> Bool {
        records.withLock { records in
            guard records[sku]?.version == expected else { return false }
            records[sku] = new
            return true
        }
    }

    /// Reserves `count` units of `sku`: read, check, compare-and-set, retry on conflict.
    public func reserve(_ sku: String, count: Int) throws(ReservationError) -> (sku: String, count: Int, version: UInt64) {
        while true {
            guard let current = record(sku) else { throw .unknownSKU(sku) }
            guard current.available >= count else {
                throw .insufficient(sku: sku, requested: count, available: current.available)
            }
            let updated = Record(available: current.available - count, version: current.version + 1)
            if compareAndSet(sku, expected: current.version, new: updated) {
                return (sku, count, current.version)
            }
            conflicts.add(1, ordering: .relaxed)
        }
    }

    /// Gives back `count` units of `sku` (compare-and-set, retried).
    public func release(_ sku: String, count: Int) {
        while let current = record(sku) {
            let updated = Record(available: current.available + count, version: current.version + 1)
            if compareAndSet(sku, expected: current.version, new: updated) { return }
            conflicts.add(1, ordering: .relaxed)
        }
    }

    /// Reserves every item or none: on a shortage, what was taken is released and the error thrown.
    public func reserveAll(_ items: [(sku: String, count: Int)]) throws(ReservationError) -> [(sku: String, count: Int, version: UInt64)] {
        var taken: [(sku: String, count: Int, version: UInt64)] = []
        for item in items {
            do {
                taken.append(try reserve(item.sku, count: item.count))
            } catch {
                for reservation in taken { release(reservation.sku, count: reservation.count) }
                throw error
            }
        }
        return taken
    }
}
