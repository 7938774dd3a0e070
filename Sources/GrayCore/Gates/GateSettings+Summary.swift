extension GateSettings {
    /// The gates in one sentence, as `grayctl check` and `grayctl help gates` say them.
    public var summary: String {
        "roll back when the canary fails > \(Format.percent(maxErrorRatio)) of requests or its P\(Format.trimmed(latencyQuantile * 100, digits: 1)) "
            + "exceeds \(Format.milliseconds(maxLatency)) (exact bound at \(Self.percent(confidence)) over \(Format.seconds(window)), "
            + "\(Self.percent(fastConfidence)) over \(Format.seconds(fastWindow)), from \(Format.count(minRequests)) requests), "
            + "a breaker opens, \(maxUnhealthy == .count(0) ? "any canary instance" : "more than \(maxUnhealthy) canary instances") "
            + "unhealthy for longer than \(Format.seconds(healthLimit)); "
            + "no promotion on data older than \(Format.seconds(staleHold)), roll back after \(Format.seconds(staleRollback)) of it"
    }

    /// A confidence level as a percent with the digits it has (`99.99%`).
    private static func percent(_ level: Double) -> String {
        Format.trimmed(level * 100, digits: 4) + "%"
    }
}
