/// One label of a sample: `name="value"`, with escapes already decoded.
public struct Label: Hashable, Sendable, CustomStringConvertible {
    /// The label name, `[a-zA-Z_][a-zA-Z0-9_]*`.
    public var name: String
    /// The decoded label value (any UTF-8).
    public var value: String

    /// Creates a label.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name)=\"\(value)\"" }
}

/// One sample line of a Prometheus text exposition.
///
/// Labels keep the order in which they were written; look-ups are linear (samples carry few labels).
public struct Sample: Equatable, Sendable {
    /// The full metric name as written, e.g. `grpc_server_handling_seconds_bucket`.
    public var name: String
    /// Labels in written order.
    public var labels: [Label]
    /// The sample value; `NaN` and `±Inf` are allowed.
    public var value: Double
    /// Optional timestamp in milliseconds since the Unix epoch.
    public var timestampMilliseconds: Int64?

    /// Creates a sample.
    public init(name: String, labels: [Label] = [], value: Double, timestampMilliseconds: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// The value of the label `name`, if present.
    public func label(_ name: String) -> String? {
        for label in labels where label.name == name {
            return label.value
        }
        return nil
    }

    /// Equality that treats two `NaN` values as equal (useful when comparing parsed fixtures).
    public static func == (lhs: Sample, rhs: Sample) -> Bool {
        lhs.name == rhs.name && lhs.labels == rhs.labels
            && lhs.timestampMilliseconds == rhs.timestampMilliseconds
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}

/// The kind a `# TYPE` line declares for a metric family.
public enum MetricType: String, Sendable, CaseIterable {
    case counter, gauge, histogram, summary, untyped
}

/// A parsed exposition: every sample in order, plus the declared metadata.
public struct Exposition: Sendable, Equatable {
    /// All samples in the order they appeared.
    public var samples: [Sample]
    /// `# TYPE` declarations by family name.
    public var types: [String: MetricType]
    /// `# HELP` docstrings by family name, escapes decoded.
    public var help: [String: String]

    /// Creates an exposition.
    public init(samples: [Sample] = [], types: [String: MetricType] = [:], help: [String: String] = [:]) {
        self.samples = samples
        self.types = types
        self.help = help
    }
}
