import Foundation

/// The local fleet `grayctl demo` runs: stable v1 and canary v2 order-services, the gateway in front
/// of them, and steady load through the gateway. All on free loopback ports, logs in a temporary
/// folder, stopped (SIGTERM, then SIGKILL after 3 s) by ``stop()``.
final class DemoFleet: @unchecked Sendable {
    /// Why the fleet did not start.
    struct StartError: Error, CustomStringConvertible {
        let description: String
    }

    /// The folder holding the token, config, journal and logs.
    let folder: URL
    /// `grpc` and `admin` addresses per member.
    private(set) var addresses: [String: (grpc: String, admin: String)] = [:]
    private var processes: [(name: String, process: Process)] = []
    private let binaries: URL
    /// The admin token every member of the fleet shares (a random one per demo).
    let token: String

    init() throws {
        binaries = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-demo-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        token = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        let tokenFile = folder.appendingPathComponent("token")
        try Data(token.utf8).write(to: tokenFile)
        chmod(tokenFile.path, 0o600)
        for binary in ["order-service", "order-gateway", "order-load"] where !FileManager.default.isExecutableFile(atPath: binaries.appendingPathComponent(binary).path) {
            throw StartError(description: "\(binary) is not beside grayctl in \(binaries.path): build the reference fleet first with `swift build` "
                + "(the gRPC stack takes about 7 minutes the first time)")
        }
    }

    /// The token file's path.
    var tokenFile: String { folder.appendingPathComponent("token").path }

    /// Starts the whole fleet; `progress` hears each step.
    func start(progress: (String) -> Void) throws {
        progress("starting order-service v1 (stable)")
        try startServer("stable", "order-service", ["--role", "stable", "--version", "v1", "--admin-token-file", tokenFile, "--drain-timeout", "1"])
        progress("starting order-service v2 (canary)")
        try startServer("canary", "order-service", ["--role", "canary", "--version", "v2", "--admin-token-file", tokenFile, "--drain-timeout", "1"])
        progress("starting order-gateway (canary weight 0%)")
        try startServer("gateway", "order-gateway", [
            "--stable", addresses["stable"]!.grpc, "--canary", addresses["canary"]!.grpc, "--admin-token-file", tokenFile, "--drain-timeout", "1",
        ])
        progress("starting order-load: 8 workers, 300 unary calls/s through the gateway")
        _ = try launch("load", "order-load", ["--target", addresses["gateway"]!.grpc, "--call", "unary", "--concurrency", "8", "--rps", "300", "--duration", "3600"])
    }

    /// grayctl's configuration for this fleet: the default plan with a short bake, so a demo moves.
    func config() throws -> String {
        let yaml = """
            service: order-service
            targets:
              router: {admin: "http://\(addresses["gateway"]!.admin)", kind: gateway}
              stable: {admin: "http://\(addresses["stable"]!.admin)", grpc: "\(addresses["stable"]!.grpc)"}
              canary: {admin: "http://\(addresses["canary"]!.admin)", grpc: "\(addresses["canary"]!.grpc)"}
            plan: {steps: [5, 10, 25, 50, 100], bake: 15s, interval: 500ms}
            gates: {window: 10s, fast_window: 5s, min_requests: 30}
            """
        let path = folder.appendingPathComponent("grayctl.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func launch(_ name: String, _ binary: String, _ arguments: [String]) throws -> URL {
        let process = Process()
        process.executableURL = binaries.appendingPathComponent(binary)
        process.arguments = arguments
        let output = folder.appendingPathComponent("\(name).out").creatingFile()
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("\(name).log").creatingFile())
        process.standardInput = FileHandle.nullDevice
        try process.run()
        processes.append((name, process))
        return output
    }

    /// Starts a server and waits (up to 30 s) for its `grpc=… admin=…` line.
    private func startServer(_ name: String, _ binary: String, _ arguments: [String]) throws {
        let output = try launch(name, binary, arguments)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("grpc=") && $0.contains("admin=") }) {
                let field = { (key: String) in
                    line.split(separator: " ").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) } ?? ""
                }
                addresses[name] = (field("grpc"), field("admin"))
                return
            }
            guard processes.last?.process.isRunning == true else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw StartError(description: "\(binary) did not start: see \(folder.appendingPathComponent("\(name).log").path)")
    }

    /// Stops every child: SIGTERM (they drain), SIGKILL for any still running after 3 s.
    func stop() {
        for (_, process) in processes where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(3)
        while processes.contains(where: { $0.process.isRunning }), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        for (_, process) in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for (_, process) in processes { process.waitUntilExit() }
    }
}

extension URL {
    /// Creates the file (empty) and returns its URL.
    func creatingFile() -> URL {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return self
    }
}
