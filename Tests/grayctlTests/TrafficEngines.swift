import Foundation
import GrayCore
import GrayProbe
import GrayRuntime

/// A real traffic engine (Debian's HAProxy, PyPI's Envoy) started on loopback in front of a
/// stable and a canary order-service, gRPC over h2c; stopped with ``stop()``.
final class EngineProcess: @unchecked Sendable {
    /// Which engine.
    enum Kind: String {
        case haproxy, envoy
    }

    let kind: Kind
    private(set) var process = Process()
    /// `host:port` of the engine's gRPC listener.
    private(set) var listener = ""
    /// Envoy's admin URL, or HAProxy's admin socket `host:port`.
    private(set) var admin = ""

    /// Starts `kind` routing to the gRPC addresses `stable` and `canary` (canary weight 0 in the
    /// engine's own config), its files in `folder`; waits (up to 20 s) until its admin answers.
    /// A port taken meanwhile makes the engine exit: it is started again on other ports (three tries).
    /// HAProxy's admin socket gets `level socketLevel` (`admin` as `EngineConfigs` writes it, or
    /// `operator` / `user` for a session that may not change weights).
    init(_ kind: Kind, stable: String, canary: String, folder: URL, socketLevel: String = "admin") throws {
        self.kind = kind
        var said = ""
        for attempt in 0..<3 {
            let (front, control) = (Int.random(in: 20000...29999), Int.random(in: 30000...39999))
            listener = "127.0.0.1:\(front)"
            let config = folder.appendingPathComponent("\(kind.rawValue)-\(attempt)" + (kind == .envoy ? ".yaml" : ".cfg"))
            process = Process()
            process.standardOutput = FileHandle.nullDevice
            let log = folder.appendingPathComponent("\(kind.rawValue)-\(attempt).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
            switch kind {
            case .haproxy:
                admin = "127.0.0.1:\(control)"
                let text = EngineConfigs.haproxy(front: listener, socket: admin, stable: stable, canary: canary)
                try Data(text.replacingOccurrences(of: "level admin", with: "level \(socketLevel)").utf8).write(to: config)
                process.executableURL = URL(fileURLWithPath: "/usr/sbin/haproxy")
                process.arguments = ["-db", "-f", config.path]
            case .envoy:
                admin = "http://127.0.0.1:\(control)"
                try Data(EngineConfigs.envoy(front: listener, admin: "127.0.0.1:\(control)", stable: [stable], canary: [canary]).utf8).write(to: config)
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["envoy", "-c", config.path, "--disable-hot-restart", "--log-level", "error"]
            }
            try process.run()
            if waitUntilReady() { return }
            stop()
            said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(kind.rawValue) did not become ready (three tries): \(said.prefix(700))"])
    }

    /// Waits (up to 20 s) until the engine's admin answers; false if it exits or never does.
    private func waitUntilReady() -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, process.isRunning {
            if isReady() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// Starts the engine again after ``stop()``, same configuration and ports (its runtime state,
    /// such as Envoy's runtime overrides, starts afresh); waits until its admin answers.
    func restart() throws {
        let (executable, arguments) = (process.executableURL, process.arguments)
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        guard waitUntilReady() else {
            stop()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(kind.rawValue) did not come back"])
        }
    }

    /// The engine as grayctl configures it.
    var engine: RouterEngine {
        switch kind {
        case .haproxy: .haproxy(socket: admin, backend: "orders", servers: RouterSides())
        case .envoy: .envoy(admin: admin, runtimePrefix: "routes.orders", clusters: RouterSides())
        }
    }

    /// `targets.router` in YAML flow style.
    var routerYAML: String {
        switch kind {
        case .haproxy: #"{kind: haproxy, socket: "\#(admin)", backend: orders}"#
        case .envoy: #"{kind: envoy, admin: "\#(admin)", runtime_prefix: routes.orders}"#
        }
    }

    private func isReady() -> Bool {
        switch kind {
        case .haproxy: (try? operatorCommand("show info"))?.contains("Name: HAProxy") == true
        case .envoy: (try? Self.run(["curl", "-sf", admin + "/ready"]))?.contains("LIVE") == true
        }
    }

    /// Sends `command` to the engine's admin as an operator would (HAProxy: a runtime API line;
    /// Envoy: a `runtime_modify` query), outside grayctl.
    func operatorCommand(_ command: String) throws -> String {
        switch kind {
        case .haproxy:
            try Self.run([
                "python3", "-c",
                "import socket, sys; s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=2); "
                    + "s.sendall(sys.argv[2].encode() + b'\\n'); print(s.makefile().read(), end='')",
                String(admin.split(separator: ":")[1]), command,
            ])
        case .envoy: try Self.run(["curl", "-s", "-X", "POST", admin + "/runtime_modify?" + command])
        }
    }

    /// Runs a command to completion; its standard output.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Kills the engine. (A process started from a test inherits the test thread's blocked
    /// signals, and Envoy does not unblock SIGTERM: it is killed outright.)
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

extension FleetProcesses {
    /// Calls (unary) `instance` has handled, from its own `/metrics` (health checks aside).
    func handledCalls(_ instance: String) throws -> Double {
        let data = try Data(contentsOf: URL(string: "http://\(addresses[instance]!.admin)/metrics")!)
        let samples = try ExpositionParser.parse(String(decoding: data, as: UTF8.self)).samples
        return samples.filter { $0.name == "grpc_server_handled_total" && $0.label("grpc_service") != "grpc.health.v1.Health" }
            .map(\.value).reduce(0, +)
    }

    /// Sends `total` unary calls through `target` (order-load, bounded) and waits for them.
    func calls(_ total: Int, through target: String) throws {
        try EngineProcess.run([
            FleetProcesses.binaries.appendingPathComponent("order-load").path, "--target", target, "--total", "\(total)",
            "--concurrency", "8", "--duration", "60",
        ])
    }

}
