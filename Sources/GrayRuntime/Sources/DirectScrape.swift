public import GrayCore

/// A version's metrics read from each instance's own `/metrics`, all at once; an instance without
/// an admin port is an `error` entry of its own.
public struct DirectScrape: VersionMetricsSource {
    /// The source.
    public init() {}

    public func read(_ members: [InstanceDirectory.Member], of directory: InstanceDirectory) async -> [RecordEntry] {
        await withTaskGroup(of: (Int, RecordEntry).self) { group in
            for (index, member) in members.enumerated() {
                guard let probe = member.metrics else {
                    // Never silently left out: its metrics are missing, and the gates say why.
                    let subject = member.subject
                    group.addTask {
                        (index, .error(subject, endpoint: "metrics", message: "\(subject.description) has no admin port and its version no Prometheus selector: its metrics are not read"))
                    }
                    continue
                }
                group.addTask { (index, await probe.scrape()) }
            }
            var entries: [(Int, RecordEntry)] = []
            for await entry in group { entries.append(entry) }
            return entries.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
