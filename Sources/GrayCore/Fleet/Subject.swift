/// What one observation is of: the router, or one instance of a version.
///
/// A version is a set of instances, each named by an ``instance`` ID: the name given in
/// `grayctl.yaml`, else the `host:port` of its admin port — which is Prometheus's `instance` label
/// when Prometheus scrapes that port. A version configured as one instance (`targets.<version>.admin`
/// and `grpc`), and every line of a recording that names no instance, is the version's *sole*
/// instance, named after the version (`canary`): old recordings replay unchanged.
public struct Subject: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The router or the version the instance belongs to.
    public let target: Target
    /// The instance's ID (the target's name for the router and for sole instances).
    public let instance: String

    /// The instance `instance` of `target`; nil names the target's sole instance.
    public init(_ target: Target, instance: String? = nil) {
        self.target = target
        self.instance = target == .router ? Target.router.rawValue : instance ?? target.rawValue
    }

    /// The traffic router.
    public static let router = Subject(.router)
    /// The stable version's sole instance.
    public static let stable = Subject(.stable)
    /// The canary version's sole instance.
    public static let canary = Subject(.canary)

    /// Instance `id` of `version`.
    public static func instance(_ version: Version, _ id: String) -> Subject {
        Subject(version.target, instance: id)
    }

    /// The version, nil for the router.
    public var version: Version? {
        switch target {
        case .stable: .stable
        case .canary: .canary
        case .router: nil
        }
    }

    /// True for the router and for a version's sole instance: such lines of a recording carry no
    /// `instance` field.
    public var isSole: Bool { instance == target.rawValue }

    /// `canary` for a sole instance, `canary orders-canary-2` for one of many.
    public var description: String { isSole ? target.rawValue : "\(target.rawValue) \(instance)" }

    public static func < (lhs: Subject, rhs: Subject) -> Bool {
        lhs.target == rhs.target ? lhs.instance < rhs.instance : lhs.target < rhs.target
    }
}

extension Version {
    /// The target of the version's instances.
    public var target: Target {
        switch self {
        case .stable: .stable
        case .canary: .canary
        }
    }
}
