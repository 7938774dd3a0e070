public import GrayCore

/// The one refresh loop of a live release, and its only writer: poll the fleet every interval,
/// hand each round to the release engine as one event, and carry out its effects in order (journal
/// first, then the router; decisions and messages to the outputs). Operator requests are queued
/// and handed to the engine by this loop between effects, never carried out beside a router write
/// in flight. Nothing else mutates the release state or writes to the router.
///
/// Writes: a promotion is sent with the generation of the router reading it was based on
/// (`If-Match`), and only if its journal entry is on disk; a rollback is sent unconditionally,
/// journal or not. Every write is followed by a read-back that settles it; a refused rollback
/// goes out again at the next round.
///
/// The loop skips no work when a poll runs long: the next round starts at once. It ends when the
/// release is promoted or rolled back (a read-back showed 0), when `maxDuration` passes, or when
/// the task is cancelled.
public actor ReleaseRunner {
    /// Where the loop's results go.
    public struct Outputs: Sendable {
        /// Each decision as it is made.
        public var decision: @Sendable (Decision) -> Void
        /// Messages for the operator.
        public var message: @Sendable (String) -> Void
        /// Every entry observed or done, for `--record`.
        public var record: @Sendable (RecordLine) -> Void
        /// The release state after each poll round and each operator request (for a dashboard).
        public var state: @Sendable (ReleaseState) -> Void

        /// Creates outputs.
        public init(
            decision: @escaping @Sendable (Decision) -> Void, message: @escaping @Sendable (String) -> Void,
            record: @escaping @Sendable (RecordLine) -> Void, state: @escaping @Sendable (ReleaseState) -> Void = { _ in }
        ) {
            self.decision = decision
            self.message = message
            self.record = record
            self.state = state
        }
    }

    /// How the loop ended.
    public struct Outcome: Sendable {
        /// promoted, rolled back, rollback not confirmed, or in progress when stopped (max duration
        /// or cancelled).
        public var verdict: Verdict
        /// The confirmed canary weight.
        public var weight: Int
        /// Seconds since the start.
        public var t: Double
        /// Why.
        public var reason: String
        /// Why the journal could not be written at the end, if it could not.
        public var journalFailure: String? = nil
    }

    private var engine: ReleaseEngine
    private let fleet: any FleetObserver
    private let router: (any TrafficRouter)?
    private let journal: (any ReleaseJournal)?
    private let confirmer: (any PromotionConfirmer)?
    /// `plan.confirm`'s answers, taken by the loop like operator requests.
    private var answers: [(PromotionRequest, ConfirmationAnswer)] = []
    private let outputs: Outputs
    private let interval: Double
    private let actor: String
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let requests = RequestInbox()
    private var wakeUp: (continuation: CheckedContinuation<Void, Never>, token: Int)?
    private var waits = 0

    /// Creates a runner; `actor` names who grayctl acts for in the router's log. Without a router
    /// (`grayctl watch` of a fleet whose router is not configured) every weight change is refused;
    /// `confirmer` answers `plan.confirm`'s questions (without one, every promotion is declined).
    public init(
        engine: ReleaseEngine, fleet: any FleetObserver, router: (any TrafficRouter)?, journal: (any ReleaseJournal)?,
        outputs: Outputs, interval: Double, actor: String, confirmer: (any PromotionConfirmer)? = nil
    ) {
        self.engine = engine
        self.fleet = fleet
        self.router = router
        self.journal = journal
        self.confirmer = confirmer
        self.outputs = outputs
        self.interval = interval
        self.actor = actor
        self.start = ContinuousClock.now
    }

    private var now: Double {
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Runs the loop until the release ends (when `untilDone`), `maxDuration` seconds pass, or
    /// cancellation. A dashboard passes `untilDone: false` to keep watching the fleet after the end.
    public func run(maxDuration: Double?, untilDone: Bool = true) async -> Outcome {
        var next = clock.now
        let period = Duration.milliseconds(Int((interval * 1000).rounded()))
        while !Task.isCancelled {
            let entries = await fleet.poll()
            let t = now
            for entry in entries { outputs.record(RecordLine(t: t, entry: entry)) }
            await carryOut(engine.handle(.observed(entries.compactMap { $0.observation() }, at: t)))
            outputs.state(engine.state)
            await takeRequests()
            if untilDone, engine.state.isTerminal { break }
            if let maxDuration, now >= maxDuration { break }
            next = next.advanced(by: period)
            if next <= clock.now { next = clock.now }
            while clock.now < next, !Task.isCancelled {
                await waitForRequest(until: next)
                await takeRequests()
            }
        }
        return outcome()
    }

    /// Queues an operator's request (from keys or signals, any thread, kept in the order made);
    /// the loop hands it to the engine as soon as the effects it is carrying out are done, and
    /// before the next poll.
    public nonisolated func request(_ action: OperatorAction, by operatorName: String) {
        requests.put(action, by: operatorName)
        Task { await self.wake(nil) }
    }

    /// Continues the release the journal shows in flight at `weight` (before ``run(maxDuration:untilDone:)``).
    public func resume(fromJournalAt weight: Int, by operatorName: String) async {
        await begin(with: .resumedFromJournal(weight: weight, by: operatorName, at: now))
    }

    /// Continues at the weight the router reads, which no journal explains (`--adopt`; before
    /// ``run(maxDuration:untilDone:)``).
    public func adopt(routerWeight weight: Int, by operatorName: String) async {
        await begin(with: .adoptedRouterWeight(weight: weight, by: operatorName, at: now))
    }

    /// Sends again the rollback the journal shows unconfirmed (before ``run(maxDuration:untilDone:)``).
    public func resendUnconfirmedRollback(by operatorName: String) async {
        await begin(with: .unconfirmedRollbackFound(by: operatorName, at: now))
    }

    /// The release state now.
    public var state: ReleaseState { engine.state }

    private func begin(with event: ReleaseEvent) async {
        await carryOut(engine.handle(event))
        outputs.state(engine.state)
    }

    private func takeRequests() async {
        while let request = requests.take() {
            await carryOut(engine.handle(.operatorRequested(request.action, by: request.by, at: now)))
            outputs.state(engine.state)
        }
        while !answers.isEmpty {
            let (request, answer) = answers.removeFirst()
            let t = now
            outputs.record(RecordLine(
                t: t, entry: .action(action: answer.approved ? "confirm_approved" : "confirm_declined", weight: request.to, by: "plan.confirm", reason: answer.said)))
            await carryOut(engine.handle(.confirmationAnswered(to: request.to, approved: answer.approved, answer: answer.said, at: t)))
            outputs.state(engine.state)
        }
    }

    /// Asks `plan.confirm` about `request` without holding up the loop; the answer is taken at
    /// the loop's next turn.
    private func ask(_ request: PromotionRequest) {
        guard let confirmer else {
            answers.append((request, ConfirmationAnswer(approved: false, said: "no plan.confirm webhook to ask")))
            return
        }
        Task {
            let answer = await confirmer.confirm(request)
            await self.receive(answer, for: request)
        }
    }

    private func receive(_ answer: ConfirmationAnswer, for request: PromotionRequest) {
        answers.append((request, answer))
        wake(nil)
    }

    /// Sleeps until `deadline`, a queued request, or cancellation, whichever comes first.
    private func waitForRequest(until deadline: ContinuousClock.Instant) async {
        guard requests.isEmpty, answers.isEmpty else { return }
        waits += 1
        let token = waits
        let timer = Task { [clock] in
            guard (try? await Task.sleep(until: deadline, clock: clock)) != nil else { return }
            await self.wake(token)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in wakeUp = (continuation, token) }
        } onCancel: {
            Task { await self.wake(token) }
        }
        timer.cancel()
    }

    /// Ends the current wait: the one numbered `token`, or whichever is current when nil (a new
    /// request). A timer's wake meant for a wait already over does nothing; a request's wake that
    /// arrives after its request was taken ends the next wait early, costing one loop turn.
    private func wake(_ token: Int?) {
        guard let waiting = wakeUp, token == nil || token == waiting.token else { return }
        wakeUp = nil
        waiting.continuation.resume()
    }

    private func outcome() -> Outcome {
        var outcome = verdict()
        outcome.journalFailure = engine.state.journalFailure
        return outcome
    }

    private func verdict() -> Outcome {
        let state = engine.state
        switch state.phase {
        case .promoted: return Outcome(verdict: .promoted, weight: state.weight, t: now, reason: state.finalReason ?? "promoted")
        case .rolledBack: return Outcome(verdict: .rolledBack, weight: 0, t: now, reason: state.finalReason ?? "rolled back")
        case .rollingBack:
            let weight = state.fleet.routerWeight?.weight ?? state.weight
            let why = state.rollbackFailure.map { "router refused weight 0: \($0)" } ?? "no read-back of 0% yet"
            return Outcome(
                verdict: .rollbackUnconfirmed, weight: weight, t: now,
                reason: "ROLLBACK NOT CONFIRMED (\(why)); the canary may still get traffic: \(state.finalReason ?? "rollback")")
        case .waiting, .progressing:
            let reason = "stopped at \(state.weight)%" + (state.holdReason.map { ", holding: \($0)" } ?? "")
            return Outcome(verdict: .inProgress, weight: state.weight, t: now, reason: reason)
        }
    }

    /// Carries out effects in order. A journal entry that cannot be written withholds the
    /// promotion it describes; a rollback goes out anyway.
    private func carryOut(_ effects: [ReleaseEffect]) async {
        var queue = effects
        var withheld: Int?
        while !queue.isEmpty {
            switch queue.removeFirst() {
            case .appendJournal(let entry):
                do {
                    try journal?.append(entry)
                    outputs.record(RecordLine(t: entry.t, entry: .action(action: entry.action, weight: entry.weight, by: entry.by, reason: entry.reason)))
                } catch {
                    if entry.action == "promote" { withheld = entry.weight }
                    queue += engine.handle(.journalWriteFailed(entry, message: "\(error)", at: now))
                }
            case .setWeight(let weight):
                if weight == withheld { continue }
                queue += await write(weight)
            case .announce(let decision):
                outputs.decision(decision)
            case .showMessage(let message):
                outputs.message(message)
            case .askConfirmation(let request):
                ask(request)
            }
        }
    }

    /// One write and the reading that settles it, as engine events. A promotion needs a reading of
    /// the router to base its `If-Match` on; a rollback is sent unconditionally. A write the router
    /// reported as failed but whose reading shows the weight sent has landed; one whose reading
    /// failed stays unsettled until the next round's reading — except a rollback, which is then
    /// treated as refused and sent again at the next round.
    private func write(_ weight: Int) async -> [ReleaseEffect] {
        guard let router else {
            return engine.handle(.routerRejected(weight: weight, message: "no router configured (targets.router)", at: now))
        }
        let basis = engine.state.fleet.routerWeight
        if weight > 0, basis == nil {
            return engine.handle(.routerRejected(
                weight: weight, message: "the router's weight has not been read yet: no promotion without it", at: now))
        }
        var failure: String?
        do {
            try await router.set(weight, expecting: weight > 0 ? basis?.generation : nil, by: actor)
        } catch {
            failure = error.description
        }
        let entry = await router.read()
        outputs.record(RecordLine(t: now, entry: entry))
        guard case .weight(let reading, let generation) = entry else {
            let unread = "the read-back failed" + (entry.failureMessage.map { " (\($0))" } ?? "")
            if weight == 0 {
                return engine.handle(.routerRejected(weight: 0, message: [failure, unread].compactMap { $0 }.joined(separator: "; "), at: now))
            }
            outputs.message("weight \(weight)% " + (failure.map { "reported as failed (\($0))" } ?? "sent") + " and \(unread): the next reading settles it")
            return []
        }
        var effects: [ReleaseEffect] = []
        if let failure, reading != weight {
            effects += engine.handle(.routerRejected(weight: weight, message: failure, at: now))
        }
        return effects + engine.handle(.routerReadBack(weight: reading, generation: generation, at: now))
    }
}
