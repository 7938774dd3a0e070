import GrayCore
import Testing

/// `plan.confirm`: every promotion asked first, a refusal held and asked again later, rollbacks
/// never asked; and what the webhooks are sent.
@Suite("plan.confirm and notices")
struct PromotionConfirmationTests {
    static func plan() -> ReleasePlan {
        var plan = ReleasePlan()
        plan.steps = [50, 100]
        plan.bake = 5
        plan.confirm = .environment("CONFIRM_URL")
        plan.confirmRetry = 10
        return plan
    }

    static var questions: (ReleaseHarness) -> [PromotionRequest] {
        { harness in harness.effects.compactMap { if case .askConfirmation(let request) = $0 { request } else { nil } } }
    }

    @Test("each promotion is asked once and waits for the answer; approved, it goes with the answer in its reason")
    func approved() throws {
        var harness = ReleaseHarness(plan: Self.plan())
        for _ in 0..<10 { harness.second(rate: 20) }
        let asked = Self.questions(harness)
        #expect(asked.map(\.to) == [50], "asked once while waiting, though ready every round")
        #expect(harness.steps.isEmpty)
        #expect(harness.engine.state.holdReason == "waiting for plan.confirm to approve 50%")
        #expect(harness.decisions.filter { $0.kind == .hold }.map(\.reason) == ["asking plan.confirm to approve 0% → 50%"])
        harness.handle(.confirmationAnswered(to: 50, approved: true, answer: "HTTP 200: ok", at: harness.t))
        let step = try #require(harness.steps.first)
        #expect(step.kind == .step(from: 0, to: 50))
        #expect(step.reason.hasSuffix("(plan.confirm: HTTP 200: ok)"))
        for _ in 0..<8 { harness.second(rate: 20) }
        #expect(Self.questions(harness).map(\.to) == [50, 100], "the next step asked after its bake")
    }

    @Test("declined: holds with the answer, asks again after confirm_retry, goes once approved")
    func declinedThenApproved() {
        var harness = ReleaseHarness(plan: Self.plan())
        for _ in 0..<6 { harness.second(rate: 20) }
        harness.handle(.confirmationAnswered(to: 50, approved: false, answer: "HTTP 403: change freeze", at: harness.t))
        #expect(harness.decisions.last?.reason == "plan.confirm declined 50%: HTTP 403: change freeze; asked again in 10 s")
        for _ in 0..<9 { harness.second(rate: 20) }
        #expect(Self.questions(harness).count == 1, "not asked again before confirm_retry")
        #expect(harness.engine.state.holdReason?.hasPrefix("plan.confirm declined 50%: HTTP 403: change freeze (asked again in") == true)
        harness.second(rate: 20)
        #expect(Self.questions(harness).count == 2)
        harness.handle(.confirmationAnswered(to: 50, approved: true, answer: "HTTP 204", at: harness.t))
        #expect(harness.steps.map(\.kind) == [.step(from: 0, to: 50)])
    }

    @Test("an approval goes only when the engine would promote: not while paused, not before a fresh bake; the operator's own promote goes at once")
    func approvalKeepsTheChecks() {
        var harness = ReleaseHarness(plan: Self.plan())
        for _ in 0..<6 { harness.second(rate: 20) }
        harness.handle(.operatorRequested(.pause, by: "ana", at: harness.t))
        harness.handle(.confirmationAnswered(to: 50, approved: true, answer: "HTTP 200", at: harness.t))
        #expect(harness.steps.isEmpty, "paused: the approval waits")
        harness.handle(.operatorRequested(.resume, by: "ana", at: harness.t))
        harness.second(rate: 20)
        #expect(harness.steps.map(\.kind) == [.step(from: 0, to: 50)], "resumed within confirm_retry: the approval lets it go")
        for _ in 0..<10 { harness.second(rate: 20) }
        #expect(Self.questions(harness).map(\.to) == [50, 100])
        for _ in 0..<2 { harness.second(rate: 20, health: .notServing) }
        harness.handle(.confirmationAnswered(to: 100, approved: true, answer: "HTTP 200", at: harness.t))
        #expect(harness.steps.count == 1, "approved while the health gate holds: no promotion")
        harness.second(rate: 20)
        #expect(harness.steps.count == 1, "green again: the bake starts afresh")
        for _ in 0..<6 { harness.second(rate: 20) }
        #expect(harness.steps.count == 2 && Self.questions(harness).count == 2, "baked within confirm_retry: the approval lets it go, unasked again")

        var manual = ReleaseHarness(plan: Self.plan(), autoAdvance: false)
        for _ in 0..<3 { manual.second(rate: 20) }
        manual.handle(.operatorRequested(.promote, by: "ana", at: manual.t))
        #expect(Self.questions(manual).map(\.by) == ["ana"])
        manual.handle(.operatorRequested(.promote, by: "ana", at: manual.t))
        #expect(manual.effects.contains(.showMessage("waiting for plan.confirm to approve 50%")), "a second press says why nothing moves")
        manual.handle(.confirmationAnswered(to: 50, approved: true, answer: "HTTP 200", at: manual.t))
        #expect(manual.steps.map(\.kind) == [.step(from: 0, to: 50)])
    }

    @Test("a refusal repeated at every retry is announced once; a new answer is announced")
    func refusalsOnce() {
        var harness = ReleaseHarness(plan: Self.plan())
        for _ in 0..<6 { harness.second(rate: 20) }
        for _ in 0..<3 {
            harness.handle(.confirmationAnswered(to: 50, approved: false, answer: "HTTP 403: change freeze", at: harness.t))
            for _ in 0..<11 { harness.second(rate: 20) }
        }
        harness.handle(.confirmationAnswered(to: 50, approved: false, answer: "HTTP 500", at: harness.t))
        let holds = harness.decisions.filter { $0.kind == .hold }.map(\.reason)
        #expect(holds == [
            "asking plan.confirm to approve 0% → 50%", "plan.confirm declined 50%: HTTP 403: change freeze; asked again in 10 s",
            "plan.confirm declined 50%: HTTP 500; asked again in 10 s",
        ], "\(holds)")
        #expect(Self.questions(harness).count == 4)
    }

    @Test("a rollback is never asked, and an answer arriving after it changes nothing")
    func rollbackNeverAsked() throws {
        var harness = ReleaseHarness(plan: Self.plan())
        for _ in 0..<6 { harness.second(rate: 20) }
        harness.handle(.confirmationAnswered(to: 50, approved: true, answer: "HTTP 200", at: harness.t))
        for _ in 0..<8 { harness.second(rate: 20) }
        #expect(Self.questions(harness).map(\.to) == [50, 100])
        for _ in 0..<5 { harness.second(rate: 20, failureRatio: 0.5) }
        #expect(try #require(harness.rollback).kind == .rollback(from: 50, to: 0))
        #expect(Self.questions(harness).count == 2, "the rollback was not asked")
        harness.handle(.confirmationAnswered(to: 100, approved: true, answer: "HTTP 200", at: harness.t))
        #expect(harness.engine.state.weight == 0)
        #expect(harness.steps.count == 1)
    }

    @Test("notices: Slack's text with the service, the structured event beside it; operator actions and alerts only when they are")
    func notices() {
        let decision = Decision(t: 12, kind: .rollback(from: 10, to: 0), reason: "canary failures 6%", report: .empty)
        let notice = ReleaseNotice.decision(decision, service: "orders")
        #expect(notice.payload == #"{"event":{"from":10,"kind":"rollback","reason":"canary failures 6%","service":"orders","t":12,"to":0},"text":"[orders] ROLLBACK canary 10% → 0%: canary failures 6%"}"#)
        #expect(ReleaseNotice.operatorAction("pause", weight: 10, by: "ana", reason: "paused", service: "orders")?.text == "[orders] operator ana: pause at 10%: paused")
        #expect(ReleaseNotice.operatorAction("promote", weight: 10, by: "ana", reason: "x", service: "orders") == nil, "announced as a step")
        #expect(ReleaseNotice.operatorAction("toggle_auto", weight: 10, by: "grayctl", reason: "x", service: "orders") == nil)
        #expect(ReleaseNotice.alert("ROLLBACK NOT APPLIED: router refused", service: "orders")?.kind == "alert")
        #expect(ReleaseNotice.alert("rollback confirmed: the router reads 0%", service: "orders") == nil)
    }

    @Test("a webhook is shown by scheme and host only; the config takes url, url_file or url_env, one of them")
    func secrets() throws {
        #expect(WebhookURL.shown("https://hooks.slack.com/services/T000/B000/XXXX") == "https://hooks.slack.com/…")
        #expect(WebhookURL.shown("https://user:pass@example.com:8443?token=abc") == "https://example.com:8443/…")
        #expect(WebhookURL.shown("http://127.0.0.1:9000") == "http://127.0.0.1:9000")
        #expect(WebhookURL.file("/etc/grayctl/hook").description == "the URL in /etc/grayctl/hook")
        let config = try ConfigLoader.load("""
            plan: {confirm: {url_env: CONFIRM}, confirm_retry: 1m}
            notify: [{url_file: /run/secrets/slack}, {url: "https://example.com/hook"}]
            """)
        #expect(config.plan.confirm == .environment("CONFIRM"))
        #expect(config.plan.confirmRetry == 60)
        #expect(config.notify == [.file("/run/secrets/slack"), .literal("https://example.com/hook")])
        #expect(throws: ConfigError.self) { try ConfigLoader.load("notify: [{url_file: a, url_env: B}]") }
        do {
            _ = try ConfigLoader.load("notify: [{url: ftp://x}]")
            Issue.record("an ftp URL was taken")
        } catch {
            #expect("\(error)".contains("notify[0].url"), "\(error)")
        }
    }
}
