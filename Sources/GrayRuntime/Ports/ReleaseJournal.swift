public import GrayCore

/// Where every weight change and operator action is written, durably, before it is carried out.
public protocol ReleaseJournal: Sendable {
    /// Appends `entry` and returns only once it is on disk; throws when it could not be written.
    func append(_ entry: JournalEntry) throws
}
