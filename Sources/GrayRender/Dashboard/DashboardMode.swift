/// What the dashboard is driving.
public enum DashboardMode: String, Sendable {
    /// Read-only: shows the release, changes nothing.
    case watch
    /// Drives the release plan.
    case release
    /// Drives a release of the local demo fleet, with fault-injection keys.
    case demo

    /// True when the dashboard may change traffic.
    public var drives: Bool { self != .watch }
}

/// A fault the demo can inject into the canary.
public enum FaultKind: String, Sendable {
    /// Half the canary's calls fail.
    case errors
    /// The canary's calls get slow.
    case latency
}
