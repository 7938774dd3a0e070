/// A gRPC status code, recognised in every spelling that metrics use for it.
///
/// go-grpc-prometheus writes CamelCase names (`Unavailable`, `DeadlineExceeded`, `Canceled`),
/// grpc-java and OpenTelemetry's semantic conventions UPPER_SNAKE (`UNAVAILABLE`,
/// `DEADLINE_EXCEEDED`, `CANCELLED`), and many exporters the number (`14`). All of them name the
/// same code here; anything else is not a gRPC status code.
public enum GRPCStatusCode: Int, CaseIterable, Sendable, Comparable {
    case ok = 0, cancelled, unknown, invalidArgument, deadlineExceeded, notFound, alreadyExists, permissionDenied
    case resourceExhausted, failedPrecondition, aborted, outOfRange, unimplemented, `internal`, unavailable, dataLoss
    case unauthenticated

    /// The CamelCase name go-grpc-prometheus writes (`DeadlineExceeded`, `Canceled`).
    public var name: String {
        switch self {
        case .ok: return "OK"
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
        case .internal: return "Internal"
        case .unavailable: return "Unavailable"
        case .dataLoss: return "DataLoss"
        case .unauthenticated: return "Unauthenticated"
        }
    }

    /// The UPPER_SNAKE name of the gRPC specification (`DEADLINE_EXCEEDED`, `CANCELLED`).
    public var upperSnakeName: String {
        if self == .cancelled { return "CANCELLED" }
        var result = ""
        for character in name {
            if character.isUppercase, !result.isEmpty, self != .ok { result.append("_") }
            result.append(Character(character.uppercased()))
        }
        return result
    }

    /// The code a label value names: a CamelCase or UPPER_SNAKE name (any letter case; `Canceled`
    /// and `Cancelled` alike) or the code's number; nil for anything else.
    public init?(label: String) {
        if !label.isEmpty, label.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard label.utf8.count <= 2, let number = Int(label), let code = GRPCStatusCode(rawValue: number) else { return nil }
            self = code
            return
        }
        guard let code = Self.byFoldedName[Self.folded(label)] else { return nil }
        self = code
    }

    /// Every code by its folded name, and British `CANCELLED` beside `CANCELED`.
    private static let byFoldedName: [String: GRPCStatusCode] = Dictionary(
        uniqueKeysWithValues: allCases.map { (folded($0.name), $0) } + [("CANCELLED", .cancelled)])

    /// Upper case without underscores: `DEADLINE_EXCEEDED` and `DeadlineExceeded` fold alike.
    private static func folded(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "_" }.map { Character($0) }).uppercased()
    }

    public static func < (lhs: GRPCStatusCode, rhs: GRPCStatusCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
