/// One endpoint group grayctl observes.
public enum Target: String, Sendable, CaseIterable, Hashable, Comparable {
    /// The stable version's instance.
    case stable
    /// The canary version's instance.
    case canary
    /// The traffic router (gateway, Envoy, HAProxy, Istio).
    case router

    public static func < (lhs: Target, rhs: Target) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
