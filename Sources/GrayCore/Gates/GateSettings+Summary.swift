extension GateSettings {
    /// The gates in one sentence, as `grayctl check` and `grayctl help gates` say them.
    public var summary: String {
        "roll back when the canary fails > \(Format.percent(maxErrorRatio)) of requests or its P\(Format.trimmed(latencyQuantile * 100, digits: 1)) "
            + "exceeds \(Format.milliseconds(maxLatency)) (a sequential test judged at every observation, at most "
            + "\(Self.percent(falseRollback)) false rollbacks a release, restarted every \(Format.seconds(fastWindow)); "
            + "promotion from \(Format.count(minRequests)) requests in the step\(compare == .stable ? "; compared with the stable: a canary failing no worse than a failing stable holds" : "")), "
            + "a breaker opens, \(maxUnhealthy == .count(0) ? "any canary instance" : "more than \(maxUnhealthy) canary instances") "
            + "unhealthy for longer than \(Format.seconds(healthLimit)); "
            + "no promotion on data older than \(Format.seconds(staleHold)), roll back after \(Format.seconds(staleRollback)) of it"
    }

    /// A probability as a percent with the digits it has (`0.1%`).
    private static func percent(_ chance: Double) -> String {
        Format.trimmed(chance * 100, digits: 4) + "%"
    }
}
