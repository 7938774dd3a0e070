import Foundation
import OrderService
import Testing

@Suite("Interop with Python grpcio and grpcio-health-checking", .serialized)
struct PythonInteropTests {
    @Test("a gRPC stack we did not write checks health, watches, and creates an order")
    func python() async throws {
        let service = try await RunningService.start()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("interop/grpc_interop.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "\(service.ports.grpc)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(process.terminationStatus == 0, "\(lines)")
        #expect(lines == [
            "check SERVING", "unknown NOT_FOUND", "watch SERVING", "order served_by v2",
            "invalid INVALID_ARGUMENT user_id must not be empty",
        ])
        try await service.stop()
    }
}
