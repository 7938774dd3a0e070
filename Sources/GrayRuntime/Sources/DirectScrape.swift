public import GrayCore

/// A version's metrics read from each instance's own `/metrics`, all at once.
public struct DirectScrape: VersionMetricsSource {
    /// The source.
    public init() {}

    public func read(_ members: [InstanceDirectory.Member], of directory: InstanceDirectory) async -> [RecordEntry] {
        await withTaskGroup(of: (Int, RecordEntry).self) { group in
            for (index, member) in members.enumerated() {
                if let probe = member.metrics { group.addTask { (index, await probe.scrape()) } }
            }
            var entries: [(Int, RecordEntry)] = []
            for await entry in group { entries.append(entry) }
            return entries.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
