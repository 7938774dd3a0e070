import Foundation
public import GrayCore
import Synchronization

/// `notify:`: every notice POSTed to every webhook, asynchronously. Each webhook has its own queue
/// and task: a notice is tried up to ``attempts`` times (timeout each, back-off 0.5 s, 1 s, 2 s
/// between); a dead or hung webhook delays nothing but its own queue, which keeps the newest
/// ``queueBound`` notices. A notice not delivered is said through `report` (on screen).
public final class WebhookNotifier: Sendable {
    /// Tries per notice.
    public static let attempts = 4
    /// Notices kept per webhook while it is behind.
    public static let queueBound = 200

    private let queues: [(queue: AsyncStream<ReleaseNotice>.Continuation, shown: String)]
    private let service: String
    private let report: @Sendable (String) -> Void
    /// Notices dropped from full queues, over every webhook.
    private let dropped = Atomic<Int>(0)
    /// Notices queued and not yet delivered or given up on, over every webhook.
    private let pending = Atomic<Int>(0)

    /// Notifies `urls` (the secrets, read at start) about `service`; failures go to `report`.
    public init(urls: [String], service: String, timeout: Double = 5, report: @escaping @Sendable (String) -> Void) {
        self.service = service
        self.report = report
        var queues: [(queue: AsyncStream<ReleaseNotice>.Continuation, shown: String)] = []
        var streams: [(AsyncStream<ReleaseNotice>, WebhookPost)] = []
        for url in urls {
            let (stream, continuation) = AsyncStream.makeStream(of: ReleaseNotice.self, bufferingPolicy: .bufferingNewest(Self.queueBound))
            let post = WebhookPost(url: url, timeout: timeout)
            queues.append((continuation, post.shown))
            streams.append((stream, post))
        }
        self.queues = queues
        for (stream, post) in streams {
            Task { [self] in
                for await notice in stream {
                    if let failure = await Self.deliver(notice, with: post) {
                        report("notify \(post.shown): \(notice.kind) not delivered after \(Self.attempts) tries (\(failure))")
                    }
                    self.pending.subtract(1, ordering: .releasing)
                }
            }
        }
    }

    /// Queues `notice` for every webhook; returns at once. A webhook whose queue is full loses its
    /// oldest notice, said on screen (the first time, then every 50th).
    public func notify(_ notice: ReleaseNotice) {
        for (queue, shown) in queues {
            pending.add(1, ordering: .releasing)
            guard case .dropped(let lost) = queue.yield(notice) else { continue }
            pending.subtract(1, ordering: .releasing)
            let count = dropped.add(1, ordering: .relaxed).newValue
            if count % 50 == 1 {
                report("notify \(shown): \(Self.queueBound) notices waiting, the oldest (\(lost.kind)) dropped (\(count) dropped so far)")
            }
        }
    }

    /// Waits until every queued notice is delivered or given up on, at most `seconds` (before
    /// exiting: a rollback's notice should leave with grayctl).
    public func finish(within seconds: Double) async {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while pending.load(ordering: .acquiring) > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `outputs`, with every decision, alert and operator action also notified.
    public func tap(_ outputs: ReleaseRunner.Outputs) -> ReleaseRunner.Outputs {
        let service = self.service
        return ReleaseRunner.Outputs(
            decision: { [self] decision in
                notify(.decision(decision, service: service))
                outputs.decision(decision)
            },
            message: { [self] message in
                if let alert = ReleaseNotice.alert(message, service: service) { notify(alert) }
                outputs.message(message)
            },
            record: { [self] line in
                if case .action(let action, let weight, let by, let reason) = line.entry,
                    let notice = ReleaseNotice.operatorAction(action, weight: weight, by: by, reason: reason, service: service)
                {
                    notify(notice)
                }
                outputs.record(line)
            },
            state: outputs.state)
    }

    /// Tries `notice` until a 2xx answer: nil when delivered, else the last failure.
    private static func deliver(_ notice: ReleaseNotice, with post: WebhookPost) async -> String? {
        var failure = ""
        for attempt in 0..<attempts {
            if attempt > 0 {
                try? await Task.sleep(for: .milliseconds(500 << (attempt - 1)))
            }
            switch await post.send(notice.payload) {
            case .answered(let status, _) where (200..<300).contains(status): return nil
            case .answered(let status, let body): failure = "HTTP \(status)" + (body.isEmpty ? "" : ": \(body.prefix(80))")
            case .failed(let why): failure = why
            }
        }
        return failure
    }
}
