public import GrayCore
public import GrayProbe

/// An admin port's `/metrics`, as a ``MetricsProbe``.
extension AdminReader: MetricsProbe {
    public func scrape() async -> RecordEntry {
        await metrics()
    }
}

/// An instance's breakers as `targets.<version>.breakers` says: `/admin/breakers` (with `auto`, a
/// 404 there means the service exposes none), or, with `none`, grayctl's note that they are not
/// observed, read from nowhere.
public struct AdminBreakerProbe: BreakerProbe {
    private enum Way {
        case admin(AdminReader, absentMeansNone: Bool)
        case configuredNone(Subject, reason: String)
    }

    private let way: Way

    /// The breakers of `subject` under `source`; nil when that source reads none here (`gauge`:
    /// the breaker gauge comes with the metrics; `auto`/`admin` without an admin port).
    public init?(subject: Subject, source: BreakerSource, admin: AdminReader?) {
        switch source {
        case .none:
            way = .configuredNone(subject, reason: "targets.\(subject.target.rawValue).breakers: none")
        case .gauge:
            return nil
        case .auto, .admin:
            guard let admin else { return nil }
            way = .admin(admin, absentMeansNone: source == .auto)
        }
    }

    public func read() async -> RecordEntry {
        switch way {
        case .admin(let reader, let absentMeansNone): return await reader.breakers(absentMeansNone: absentMeansNone)
        case .configuredNone(let subject, let reason): return .breakersNotObserved(subject, reason: reason, configured: true)
        }
    }
}
