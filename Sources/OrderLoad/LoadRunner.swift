public import GRPCCore
import Histogram
import OrderService
public import OrderAPI

/// Runs a ``LoadPlan`` against an `order.v1.OrderService` client and measures every request.
public enum LoadRunner {
    /// What one worker measured.
    struct WorkerResult: Sendable {
        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var codes: [String: Int] = [:]
        var count = 0

        mutating func record(_ code: String, since start: ContinuousClock.Instant) {
            let elapsed = ContinuousClock.now - start
            let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
            _ = latency.record(UInt64(max(1, min(microseconds, 60_000_000))))
            codes[code, default: 0] += 1
            count += 1
        }
    }

    /// Runs the plan; `progress` is called about once a second with (answered, failed, elapsed seconds).
    public static func run<Transport: ClientTransport>(
        _ plan: LoadPlan, client: Order_V1_OrderService.Client<Transport>,
        progress: @escaping @Sendable (_ answered: Int, _ failed: Int, _ elapsed: Double) -> Void
    ) async throws -> LoadReport {
        let clock = ContinuousClock()
        let tickets = Tickets(plan: plan, start: clock.now)
        let merged = try await withThrowingTaskGroup(of: WorkerResult?.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let state = tickets.progress
                    progress(state.answered, state.failed, seconds(clock.now - tickets.start))
                }
                return nil
            }
            for _ in 0..<plan.concurrency {
                group.addTask {
                    switch plan.call {
                    case .unary: return await unaryWorker(plan, client: client, tickets: tickets)
                    case .stream: return await streamWorker(plan, client: client, tickets: tickets)
                    }
                }
            }
            var merged = WorkerResult()
            var finished = 0
            while let result = try await group.next() {
                guard let result else { continue }
                merged.latency.add(result.latency)
                merged.codes.merge(result.codes, uniquingKeysWith: +)
                merged.count += result.count
                finished += 1
                if finished == plan.concurrency { group.cancelAll() }
            }
            return merged
        }
        return LoadReport(count: merged.count, duration: seconds(clock.now - tickets.start), latency: merged.latency, codes: merged.codes)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func codeName(_ error: any Error) -> String {
        guard let rpcError = error as? RPCError else { return "Unknown" }
        return rpcError.code.prometheusName
    }

    private static func unaryWorker<Transport: ClientTransport>(
        _ plan: LoadPlan, client: Order_V1_OrderService.Client<Transport>, tickets: Tickets
    ) async -> WorkerResult {
        var result = WorkerResult()
        while let number = await tickets.take() {
            let start = ContinuousClock.now
            do {
                _ = try await client.createOrder(plan.request(number))
                result.record("OK", since: start)
                tickets.answer(ok: true)
            } catch {
                result.record(codeName(error), since: start)
                tickets.answer(ok: false)
            }
        }
        return result
    }

    /// Sends requests one at a time on a stream, timing each answer; a failed stream is reopened.
    private static func streamWorker<Transport: ClientTransport>(
        _ plan: LoadPlan, client: Order_V1_OrderService.Client<Transport>, tickets: Tickets
    ) async -> WorkerResult {
        let box = ResultBox()
        var done = false
        while !done {
            let (answers, answerContinuation) = AsyncStream<Void>.makeStream()
            let pending = PendingStart()
            do {
                try await client.createOrderStream { writer in
                    var iterator = answers.makeAsyncIterator()
                    while let number = await tickets.take() {
                        pending.set(ContinuousClock.now)
                        try await writer.write(plan.request(number))
                        guard await iterator.next() != nil else { return }
                    }
                    pending.finish()
                } onResponse: { response in
                    for try await _ in response.messages {
                        if let start = pending.take() {
                            box.record("OK", since: start)
                            tickets.answer(ok: true)
                        }
                        answerContinuation.yield()
                    }
                    answerContinuation.finish()
                }
                done = pending.isFinished
            } catch {
                answerContinuation.finish()
                if let start = pending.take() {
                    box.record(codeName(error), since: start)
                    tickets.answer(ok: false)
                }
                done = pending.isFinished
            }
        }
        return box.result
    }
}
