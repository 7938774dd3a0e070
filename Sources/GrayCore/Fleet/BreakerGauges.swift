/// Reads circuit-breaker states from a gauge family in a scrape, in the two encodings exporters use.
///
/// - One series per breaker whose value is the state: `circuit_breaker_state{name="b"} 2`
///   (0 closed, 1 half-open, 2 open), as the reference order-service exports it.
/// - One series per breaker *and state*, the current one at 1 and the others at 0:
///   `resilience4j_circuitbreaker_state{name="b",state="open"} 1` (resilience4j's encoding). The
///   states `open` and `forced_open` are open, `half_open` is half-open, `closed`, `disabled` and
///   `metrics_only` are closed.
///
/// Several series for one breaker never resolve as "the last one wins": the worst state wins, and
/// a value or state this reader does not know is reported as unrecognised (the breaker gate holds).
public enum BreakerGauges {
    /// What the gauge says of one breaker.
    public enum Reading: Equatable, Sendable {
        /// A known state.
        case state(BreakerStatus.State)
        /// A value or `state` label this reader does not understand, quoted for the reason.
        case unrecognised(String)

        fileprivate var severity: Int {
            switch self {
            case .state(.closed): return 0
            case .state(.halfOpen): return 1
            case .unrecognised: return 2
            case .state(.open): return 3
            }
        }
    }

    /// The breakers named in `samples` of the family `name`, by the `name` label (`""` when absent).
    public static func read(_ samples: [Sample], name: String) -> [String: Reading] {
        var result: [String: Reading] = [:]
        for sample in samples where sample.name == name {
            guard let reading = reading(of: sample) else { continue }
            let breaker = sample.label("name") ?? ""
            if let current = result[breaker], current.severity >= reading.severity { continue }
            result[breaker] = reading
        }
        return result
    }

    private static func reading(of sample: Sample) -> Reading? {
        if let state = sample.label("state") {
            guard sample.value != 0 else { return nil }
            guard sample.value == 1 else { return .unrecognised("state=\"\(state)\" at \(Format.trimmed(sample.value, digits: 3))") }
            switch state.lowercased() {
            case "open", "forced_open": return .state(.open)
            case "half_open", "half-open": return .state(.halfOpen)
            case "closed", "disabled", "metrics_only": return .state(.closed)
            default: return .unrecognised("state=\"\(state)\"")
            }
        }
        switch sample.value {
        case 0: return .state(.closed)
        case 1: return .state(.halfOpen)
        case 2: return .state(.open)
        default: return .unrecognised("value \(Format.trimmed(sample.value, digits: 3))")
        }
    }
}
