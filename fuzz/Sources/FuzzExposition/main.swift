import GrayCore

/// The exposition parser on any bytes; what it accepts is applied twice to a fleet's counters (the
/// per-series increase, resets and histogram quantiles must not trap on any value).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExposition(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
    guard let exposition = try? ExpositionParser.parse(bytes: bytes) else { return 0 }
    var fleet = FleetState(names: MetricNames(), failureCodes: .defaults, keep: 30)
    fleet.apply(.metrics(.instance(.canary, "fuzz"), exposition), at: 0)
    fleet.apply(.metrics(.instance(.canary, "fuzz"), exposition), at: 1)
    _ = GateEvaluator(settings: GateSettings()).evaluate(fleet, now: 1)
    return 0
}
