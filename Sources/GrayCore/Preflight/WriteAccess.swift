/// Whether grayctl may change the router's weight, found without changing it.
public enum WriteAccess: Equatable, Sendable {
    /// A write that cannot land (an invalid body, a dry run) was accepted as far as credentials go;
    /// the string says how it was tested.
    case granted(String)
    /// The router refused grayctl's credentials or permissions: what it said.
    case refused(String)
    /// The router could not be asked: what went wrong.
    case unknown(String)
    /// The engine offers no way to test a write without making one: why, and what a write needs.
    case untestable(String)
}
