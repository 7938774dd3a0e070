public import GrayCore

/// Where a version's metrics come from in one round: each instance scraped on its own, or one
/// Prometheus query for the whole version split by instance.
///
/// Contract: never throws; returns the round's `metrics` and `error` entries for the version's
/// instances (and `instances` when the source itself names them); a member it has nothing of is an
/// `error` of that member, never silently left out.
public protocol VersionMetricsSource: Sendable {
    /// The round's entries for `members` of `directory`'s version.
    func read(_ members: [InstanceDirectory.Member], of directory: InstanceDirectory) async -> [RecordEntry]
}
