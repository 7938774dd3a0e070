import Synchronization

/// Unique, time-ordered 64-bit order ids, Snowflake style: 41 bits of milliseconds since
/// 2026-01-01T00:00:00Z, 10 bits of node id, 12 bits of sequence within the millisecond.
///
/// Thread-safe. Ids from one generator strictly increase; two generators with different node ids
/// never collide. When 4,096 ids are taken within one millisecond the generator moves on to the
/// next millisecond rather than repeat; if the clock goes back, it keeps the last time.
public final class OrderIDGenerator: Sendable {
    /// 2026-01-01T00:00:00Z in milliseconds since the Unix epoch.
    public static let epochMilliseconds: Int64 = 1_767_225_600_000
    private let node: UInt64
    private let clock: @Sendable () -> Int64
    private let state = Mutex<(milliseconds: Int64, sequence: UInt64)>((0, 0))

    /// Creates a generator for `node` (0...1023); `clock` returns milliseconds since the Unix epoch.
    public init(node: UInt64, clock: @escaping @Sendable () -> Int64) {
        precondition(node < 1024, "node id must be in 0...1023")
        self.node = node
        self.clock = clock
    }

    /// The next id.
    public func next() -> UInt64 {
        let now = clock() - Self.epochMilliseconds
        return state.withLock { state in
            var milliseconds = max(now, state.milliseconds)
            var sequence: UInt64 = 0
            if milliseconds == state.milliseconds {
                sequence = state.sequence + 1
                if sequence >= 4096 {
                    milliseconds += 1
                    sequence = 0
                }
            }
            state = (milliseconds, sequence)
            return UInt64(milliseconds) << 22 | node << 12 | sequence
        }
    }

    /// The creation time of `id`, milliseconds since the Unix epoch.
    public static func milliseconds(of id: UInt64) -> Int64 {
        Int64(id >> 22) + epochMilliseconds
    }
}
