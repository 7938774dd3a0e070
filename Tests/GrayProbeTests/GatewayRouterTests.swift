import Foundation
import GrayCore
import GrayProbe
import Testing

@Suite("GatewayRouter failure paths against a scripted router (Tests/interop/fake_router.py)", .serialized)
struct GatewayRouterTests {
    static func router(_ mode: String) throws -> (Child, GatewayRouter) {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/fake_router.py").path, mode])
        return (child, GatewayRouter(baseURL: "http://127.0.0.1:\(port)", token: "secret", timeout: 1))
    }

    @Test("reads the weight and the generation")
    func read() async throws {
        let (child, router) = try Self.router("flaky")
        defer { child.stop() }
        #expect(await router.read() == .weight(5, generation: "7"))
    }

    @Test("If-Match protects: a write based on the current generation lands, one based on an older reading is a conflict")
    func ifMatch() async throws {
        let (child, router) = try Self.router("strict")
        defer { child.stop() }
        try await router.change(10, ifMatch: "7", by: "ana")
        #expect(await router.read() == .weight(10, generation: "8"))
        await #expect(throws: GatewayRouter.ChangeError.conflict) { try await router.change(25, ifMatch: "7", by: "ana") }
        #expect(await router.read() == .weight(10, generation: "8"), "the manual change stays")
        try await router.change(0, ifMatch: nil, by: "ana")
        #expect(await router.read() == .weight(0, generation: "9"), "without a generation the write is unconditional")
    }

    @Test("409 is reported as a conflict after one PUT, not retried")
    func conflict() async throws {
        let (child, router) = try Self.router("conflict")
        defer { child.stop() }
        await #expect(throws: GatewayRouter.ChangeError.conflict) { try await router.change(10, ifMatch: "7", by: "ana") }
        // Each PUT the scripted router answers with 409 bumps its generation: 7 → 8 means one PUT.
        #expect(await router.read() == .weight(25, generation: "8"))
    }

    @Test("a 5xx answer is reported after one attempt (the release loop decides again at its next round)")
    func flaky() async throws {
        let (child, router) = try Self.router("flaky")
        defer { child.stop() }
        do {
            try await router.change(10, ifMatch: "7", by: "ana")
            Issue.record("accepted")
        } catch {
            guard case .failed(.httpStatus(_, 503, _)) = error else {
                Issue.record("expected HTTP 503, got \(error)")
                return
            }
        }
        #expect(await router.read() == .weight(5, generation: "7"), "not retried: the router is unchanged")
        await #expect(throws: GatewayRouter.ChangeError.self) { try await router.change(10, ifMatch: "7", by: "ana") }
        try await router.change(10, ifMatch: "7", by: "ana")
        #expect(await router.read() == .weight(10, generation: "8"))
    }

    @Test("a router that fails is reported naming the URL and status, never the token")
    func down() async throws {
        let (child, router) = try Self.router("down")
        defer { child.stop() }
        do {
            try await router.change(10, ifMatch: nil, by: "ana")
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasSuffix("/admin/canary: HTTP 500: {\"error\": \"unavailable\"}"), "\(error)")
            #expect(!error.description.contains("secret"))
        }
    }

    @Test("a router slower than the timeout is a transport error (curl 28)")
    func slow() async throws {
        let (child, router) = try Self.router("slow")
        defer { child.stop() }
        do {
            try await router.change(10, ifMatch: nil, by: "ana")
            Issue.record("accepted")
        } catch {
            guard case .failed(.transport(_, let code, _)) = error else {
                Issue.record("expected a transport failure, got \(error)")
                return
            }
            #expect(code == 28)
        }
    }

    @Test("a weight that is no whole percent in 0...100 is an error naming it, never a crash",
          arguments: [("1e400", "weight inf (out of range) is not a whole percent in 0...100"), ("12.5", "weight 12.5 is not a whole percent in 0...100"),
                      ("-3", "weight -3 is not a whole percent in 0...100"), ("101", "weight 101 is not a whole percent in 0...100")])
    func oddWeights(literal: String, message: String) async throws {
        let (child, router) = try Self.router("odd:\(literal)")
        defer { child.stop() }
        guard case .error(.router, "weight", let text) = await router.read() else {
            Issue.record("accepted \(literal)")
            return
        }
        #expect(text.hasSuffix(message), "\(text)")
    }
}
