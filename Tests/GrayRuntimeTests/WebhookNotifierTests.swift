import Foundation
import GrayCore
import GrayRuntime
import GrayTesting
import Testing

/// `notify:` delivery beside a release: a webhook that never answers holds up nothing.
@Suite("webhook notifier beside the release loop")
struct WebhookNotifierTests {
    /// A loopback port that accepts connections (the kernel's backlog) and never answers.
    final class SilentPort {
        let socket: Int32
        let port: Int

        init() {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var name = sockaddr_in()
            name.sin_family = sa_family_t(AF_INET)
            name.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &name) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
            listen(socket, 64)
            _ = withUnsafeMutablePointer(to: &name) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
            self.socket = socket
            port = Int(UInt16(bigEndian: name.sin_port))
        }

        deinit { close(socket) }
    }

    @Test("a webhook that never answers: the release rolls back on its own schedule while every notice is still undelivered")
    func hungWebhookDelaysNoRollback() async throws {
        let silent = SilentPort()
        let messages = Collected()
        let notifier = WebhookNotifier(urls: ["http://127.0.0.1:\(silent.port)/hook/secret"], service: "orders", timeout: 5) { messages.outputs.message($0) }
        let router = ScriptedRouter()
        let canary = ScriptedCanary()
        let collected = Collected()
        let runner = ReleaseRunnerTests.runner(router: router, canary: canary, outputs: notifier.tap(collected.outputs))
        let task = Task { await runner.run(maxDuration: 60) }
        await ReleaseRunnerTests.eventually("stepped to 10%") { router.weight == 10 }
        canary.fail(0.5)
        let outcome = await task.value
        #expect(outcome.verdict == .rolledBack)
        #expect(router.weight == 0)
        #expect(collected.decisions.contains { if case .rollback = $0.kind { true } else { false } })
        #expect(messages.messages.isEmpty, "not one notice has failed yet: the first is still waiting on its 5 s timeout, the rollback did not")
    }
}
