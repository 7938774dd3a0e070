public import GRPCCore

extension RPCError.Code {
    /// The code's name as go-grpc-prometheus writes it in `grpc_code` (`DeadlineExceeded`, ...).
    public var prometheusName: String {
        switch self {
        case .cancelled: return "Canceled"
        case .unknown: return "Unknown"
        case .invalidArgument: return "InvalidArgument"
        case .deadlineExceeded: return "DeadlineExceeded"
        case .notFound: return "NotFound"
        case .alreadyExists: return "AlreadyExists"
        case .permissionDenied: return "PermissionDenied"
        case .resourceExhausted: return "ResourceExhausted"
        case .failedPrecondition: return "FailedPrecondition"
        case .aborted: return "Aborted"
        case .outOfRange: return "OutOfRange"
        case .unimplemented: return "Unimplemented"
        case .internalError: return "Internal"
        case .unavailable: return "Unavailable"
        case .dataLoss: return "DataLoss"
        case .unauthenticated: return "Unauthenticated"
        default: return "Unknown"
        }
    }

    /// Whether a breaker counts this code as a failure of the service (client faults are not).
    public var isServiceFailure: Bool {
        switch self {
        case .unknown, .deadlineExceeded, .unimplemented, .internalError, .unavailable, .dataLoss: return true
        default: return false
        }
    }
}
