import Foundation
import GrayCore
import GrayProbe
import Testing

@Suite("GatewayRouter failure paths against a scripted router (Tests/interop/fake_router.py)", .serialized)
struct GatewayRouterTests {
    static func router(_ mode: String) throws -> (Child, GatewayRouter) {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/fake_router.py").path, mode])
        return (child, GatewayRouter(baseURL: "http://127.0.0.1:\(port)", token: "secret", timeout: 1, retries: 3))
    }

    @Test("reads the weight and the generation")
    func read() async throws {
        let (child, router) = try Self.router("flaky")
        defer { child.stop() }
        #expect(await router.read() == .weight(5, generation: "7"))
    }

    @Test("409 is reported with the router's current weight, not retried")
    func conflict() async throws {
        let (child, router) = try Self.router("conflict")
        defer { child.stop() }
        await #expect(throws: GatewayRouter.ChangeError.conflict(currentWeight: 25)) { try await router.set(10, by: "ana") }
        // Each PUT the scripted router answers with 409 bumps its generation: 7 → 8 means one PUT.
        #expect(await router.read() == .weight(25, generation: "8"))
    }

    @Test("5xx answers are retried with backoff, then succeed")
    func flaky() async throws {
        let (child, router) = try Self.router("flaky")
        defer { child.stop() }
        try await router.set(10, by: "ana")
        #expect(await router.read() == .weight(10, generation: "8"))
    }

    @Test("a router that keeps failing is reported after the retries, naming the URL and status")
    func down() async throws {
        let (child, router) = try Self.router("down")
        defer { child.stop() }
        do {
            try await router.set(10, by: "ana")
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasSuffix("/admin/canary: HTTP 500: {\"error\": \"unavailable\"}"), "\(error)")
            #expect(!error.description.contains("secret"))
        }
    }

    @Test("a router slower than the timeout is a transport error (curl 28) after the retries")
    func slow() async throws {
        let (child, router) = try Self.router("slow")
        defer { child.stop() }
        do {
            try await router.set(10, by: "ana")
            Issue.record("accepted")
        } catch {
            guard case .failed(.transport(_, let code, _)) = error else {
                Issue.record("expected a transport failure, got \(error)")
                return
            }
            #expect(code == 28)
        }
    }
}
