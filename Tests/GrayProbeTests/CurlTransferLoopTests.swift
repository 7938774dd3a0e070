import Foundation
import GrayProbe
import Synchronization
import Testing

/// Every exchange of the process runs on one curl loop: many at once, keep-alive connections kept
/// between rounds, one slow or dead server failing alone.
@Suite("Exchanges on the shared curl loop (Tests/interop/counting_http.py)", .serialized)
struct CurlTransferLoopTests {
    static func server() throws -> (Child, String) {
        let (child, port) = try Child.start(["python3", repositoryRoot.appendingPathComponent("Tests/interop/counting_http.py").path])
        return (child, "http://127.0.0.1:\(port)")
    }

    /// Sends GET `paths` at once, each from a client of its own; the bodies (or errors) in `paths`' order.
    static func getAll(_ base: String, _ paths: [String]) async -> [String] {
        await withTaskGroup(of: (Int, String).self) { group in
            for (index, path) in paths.enumerated() {
                group.addTask {
                    do {
                        return (index, try await CurlHTTPClient().send(HTTPRequest(url: base + path, timeout: 10)).text)
                    } catch {
                        return (index, "\(error)")
                    }
                }
            }
            var bodies = [String](repeating: "", count: paths.count)
            for await (index, body) in group { bodies[index] = body }
            return bodies
        }
    }

    @Test("64 exchanges at once all answer; the next round reuses the first round's connections")
    func concurrentAndKeptAlive() async throws {
        let (child, base) = try Self.server()
        defer { child.stop() }
        for round in 0..<3 {
            let paths = (0..<64).map { "/\(round)/\($0)" }
            let bodies = await Self.getAll(base, paths)
            #expect(bodies == paths, "\(zip(bodies, paths).filter { $0.0 != $0.1 }.prefix(3))")
        }
        let answer = try await CurlHTTPClient().send(HTTPRequest(url: base + "/connections"))
        #expect(answer.header("Content-Length") == String(answer.body.count))
        let connections = try #require(Int(answer.text))
        // 192 exchanges (and this one) over at most the first round's 64 connections.
        #expect(connections <= 65)
    }

    @Test("a slow server and a dead port fail alone: the other exchanges answer meanwhile")
    func failuresStayAlone() async throws {
        let (child, base) = try Self.server()
        defer { child.stop() }
        let slowDone = Flag()
        let slow = Task {
            defer { slowDone.raise() }
            return try await CurlHTTPClient().send(HTTPRequest(url: base + "/slow", timeout: 10)).text
        }
        // The slow exchange is on its way before the others start.
        try await Task.sleep(for: .milliseconds(300))
        await #expect(throws: ProbeError.self) { try await CurlHTTPClient().send(HTTPRequest(url: "http://127.0.0.1:1/x")) }
        #expect(await Self.getAll(base, ["/a", "/b", "/c"]) == ["/a", "/b", "/c"])
        let slowWasDone = slowDone.isRaised
        #expect(!slowWasDone)
        #expect(try await slow.value == "/slow")
        await #expect {
            try await CurlHTTPClient().send(HTTPRequest(url: base + "/slow", timeout: 0.5))
        } throws: { error in
            guard case .transport(_, let code, _) = error as? ProbeError else { return false }
            return code == 28
        }
    }
}

/// A flag one task raises and another reads.
final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .sequentiallyConsistent) }

    var isRaised: Bool { raised.load(ordering: .sequentiallyConsistent) }
}
