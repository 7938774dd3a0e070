import Foundation
public import GrayCore
public import GrayRuntime

/// An in-memory ``ReleaseJournal`` that can be made to fail like a full disk.
public final class MemoryJournal: ReleaseJournal, @unchecked Sendable {
    /// The failure a write reports while the journal is failing.
    public struct WriteError: Error, CustomStringConvertible {
        /// What the disk said.
        public var description: String
    }

    private let lock = NSLock()
    private var stored: [JournalEntry] = []
    private var failure: String?

    /// An empty journal.
    public init() {}

    /// The entries written, oldest first.
    public var entries: [JournalEntry] { lock.withLock { stored } }

    /// Fails every write with `message` (nil: write again).
    public func fail(_ message: String?) { lock.withLock { failure = message } }

    public func append(_ entry: JournalEntry) throws {
        try lock.withLock {
            if let failure { throw WriteError(description: failure) }
            stored.append(entry)
        }
    }
}
