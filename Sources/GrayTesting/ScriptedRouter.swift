import Foundation
public import GrayCore
public import GrayRuntime

/// An in-memory ``TrafficRouter`` that tests script: it keeps a weight and a generation like the
/// reference gateway (`If-Match` honoured), and can refuse writes, accept and ignore them, change
/// by hand between a reading and a write, or hold a write in flight until the test lets it go.
public final class ScriptedRouter: TrafficRouter, @unchecked Sendable {
    /// One write as the router received it.
    public struct Write: Equatable, Sendable {
        /// The weight asked for.
        public var weight: Int
        /// The `If-Match` generation, if any.
        public var expecting: String?
    }

    private let lock = NSLock()
    private var weightValue: Int
    private var generationValue = 1
    private var log: [Write] = []
    private var refusal: String?
    private var ignoring = false
    private var handChange: Int?
    private var holding = false
    private var held: [CheckedContinuation<Void, Never>] = []
    private var inFlight = 0
    private var mostInFlight = 0
    private var readFailure: String?
    private var failureAfterApplying: String?

    /// A router at `weight`.
    public init(weight: Int = 0) {
        weightValue = weight
    }

    /// The weight now.
    public var weight: Int { lock.withLock { weightValue } }
    /// Every write received, in order.
    public var writes: [Write] { lock.withLock { log } }
    /// The most writes that were ever in flight at once.
    public var mostConcurrentWrites: Int { lock.withLock { mostInFlight } }

    /// Refuses every write with `message` (nil: accept again).
    public func refuseWrites(_ message: String?) { lock.withLock { refusal = message } }
    /// Accepts writes and keeps the old weight (an engine that ignores a value).
    public func ignoreWrites(_ ignore: Bool) { lock.withLock { ignoring = ignore } }
    /// Applies the next write, then reports it failed with `message` (a proxy timing out after the
    /// router took the change).
    public func failAfterApplying(_ message: String) { lock.withLock { failureAfterApplying = message } }
    /// Fails reads with `message` (nil: answer again).
    public func failReads(_ message: String?) { lock.withLock { readFailure = message } }
    /// Someone else sets `weight` now (a new generation).
    public func setByHand(_ weight: Int) {
        lock.withLock {
            weightValue = weight
            generationValue += 1
        }
    }
    /// Someone else sets `weight` just before the next write arrives (between grayctl's reading
    /// and its write).
    public func setByHandBeforeNextWrite(_ weight: Int) { lock.withLock { handChange = weight } }
    /// Holds every write in flight until ``releaseWrites()``.
    public func holdWrites() { lock.withLock { holding = true } }

    /// Lets held writes go on, and stops holding.
    public func releaseWrites() {
        let waiting = lock.withLock {
            holding = false
            defer { held = [] }
            return held
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Whether a write is being held now.
    public var holdsAWrite: Bool { lock.withLock { !held.isEmpty } }

    /// Refused while writes are refused (``refuseWrites(_:)``), unknown while reads fail, else granted.
    public func writeAccess() async -> WriteAccess {
        lock.withLock {
            if let refusal { return .refused(refusal) }
            if let readFailure { return .unknown(readFailure) }
            return .granted("scripted router")
        }
    }

    public func read() async -> RecordEntry {
        lock.withLock {
            if let readFailure { return .error(.router, endpoint: "weight", message: readFailure) }
            return .weight(weightValue, generation: "\(generationValue)")
        }
    }

    public func set(_ weight: Int, expecting generation: String?, by actor: String) async throws(RouterWriteError) {
        let hold = lock.withLock {
            log.append(Write(weight: weight, expecting: generation))
            inFlight += 1
            mostInFlight = max(mostInFlight, inFlight)
            if let handChange {
                weightValue = handChange
                generationValue += 1
                self.handChange = nil
            }
            return holding
        }
        if hold {
            await withCheckedContinuation { continuation in
                let release = lock.withLock { () -> Bool in
                    guard holding else { return true }
                    held.append(continuation)
                    return false
                }
                if release { continuation.resume() }
            }
        }
        let outcome: RouterWriteError? = lock.withLock {
            defer { inFlight -= 1 }
            if let refusal { return .failed(refusal) }
            if let generation, generation != "\(generationValue)" { return .conflict("generation \(generation) is not \(generationValue): HTTP 409") }
            if !ignoring {
                weightValue = weight
                generationValue += 1
            }
            if let failure = failureAfterApplying {
                failureAfterApplying = nil
                return .failed(failure)
            }
            return nil
        }
        if let outcome { throw outcome }
    }
}
