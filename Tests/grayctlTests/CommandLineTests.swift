import Foundation
import GrayCore
import Testing

/// Runs the real `grayctl` binary (built beside this test bundle) and checks exit status and output.
@Suite("grayctl command line: exit statuses and messages")
struct CommandLineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func grayctl(_ arguments: String...) throws -> Run {
        try grayctl(arguments)
    }

    /// Runs grayctl with `arguments` in `directory` (the repository by default), with `environment`
    /// when given (the test's own otherwise).
    static func grayctl(_ arguments: [String], in directory: URL = root, environment: [String: String]? = nil) throws -> Run {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("grayctl")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("replay --json exits 0 for promoted and in-progress, 3 for rolled back", arguments: [
        ("healthy", 0, "promoted"), ("noisy-low-traffic", 0, "in_progress"), ("error-spike", 3, "rolled_back"),
        ("latency-regression", 3, "rolled_back"), ("breaker-open", 3, "rolled_back"), ("canary-unreachable", 3, "rolled_back"),
        ("metrics-outage", 3, "rolled_back"), ("counter-reset", 0, "promoted"),
    ] as [(String, Int32, String)])
    func verdicts(file: String, status: Int32, verdict: String) throws {
        let run = try Self.grayctl("replay", "fixtures/recordings/\(file).jsonl", "--json")
        #expect(run.status == status)
        let last = try #require(run.stdout.split(separator: "\n").last)
        #expect(last.hasPrefix("{\"verdict\":\"\(verdict)\""))
        for line in run.stdout.split(separator: "\n") {
            #expect(line.hasPrefix("{\"t\":") || line.hasPrefix("{\"verdict\":"))
        }
    }

    @Test("without --config, watch reads ./grayctl.yaml, then $XDG_CONFIG_HOME/grayctl/grayctl.yaml; with none, exit 2 naming where it looked")
    func configLookup() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-lookup-\(UInt32.random(in: 0...UInt32.max))")
        let work = folder.appendingPathComponent("work")
        let xdg = folder.appendingPathComponent("xdg")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["HOME": folder.path, "XDG_CONFIG_HOME": xdg.path, "PATH": "/usr/bin:/bin"]
        let none = try Self.grayctl(["watch", "--headless", "--max-duration", "1"], in: work, environment: environment)
        #expect(none.status == 2, "\(none.stderr)")
        #expect(none.stderr.contains("no --config given and no grayctl.yaml at \(work.path)/grayctl.yaml or \(xdg.path)/grayctl/grayctl.yaml"), "\(none.stderr)")
        let yaml = "service: from-%@\ntargets:\n  canary: {admin: \"http://127.0.0.1:1\", grpc: \"127.0.0.1:1\"}\n"
        try FileManager.default.createDirectory(at: xdg.appendingPathComponent("grayctl"), withIntermediateDirectories: true)
        try Data(yaml.replacingOccurrences(of: "%@", with: "xdg").utf8).write(to: xdg.appendingPathComponent("grayctl/grayctl.yaml"))
        let fromXDG = try Self.grayctl(["watch", "--headless", "--max-duration", "1"], in: work, environment: environment)
        #expect(fromXDG.status == 0 && fromXDG.stdout.contains(#"{"verdict":"#), "\(fromXDG.stdout)\n\(fromXDG.stderr)")
        try Data("targets: {canary: {admin: 7}}\n".utf8).write(to: work.appendingPathComponent("grayctl.yaml"))
        let local = try Self.grayctl(["watch", "--headless", "--max-duration", "1"], in: work, environment: environment)
        #expect(local.status == 2 && local.stderr.contains("\(work.path)/grayctl.yaml"), "./grayctl.yaml is read first (this one is broken on purpose): \(local.stderr)")
    }

    @Test("shell completions for bash, zsh and fish name the subcommands and their options", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) throws {
        let run = try Self.grayctl("--generate-completion-script", shell)
        #expect(run.status == 0)
        // fish's script lists a long option as 'NAME' (with = when it takes a value), the others as --NAME.
        let options = shell == "fish" ? ["'config='", "'headless'", "'resume'"] : ["--config", "--headless", "--resume"]
        for word in ["release", "watch", "demo", "replay"] + options {
            #expect(run.stdout.contains(word), "\(shell) completion names \(word)")
        }
    }

    @Test("replay --explain: under each decision its counts, bound against the limit, the sequential tests' evidence, and every gate's verdict and reason; in JSON too")
    func explain() throws {
        let run = try Self.grayctl("replay", "fixtures/recordings/error-spike.jsonl", "--explain")
        #expect(run.status == 3)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let rollback = try #require(lines.firstIndex { $0.contains("ROLLBACK") && $0.hasPrefix("    0:48") })
        #expect(lines[rollback + 1] == "          canary over the last 30 s: 577 requests, 14 failures (2.4%); exact lower bound 0.72% at 99.99% ≤ limit 1%; P99 87 ms ≤ limit 500 ms")
        #expect(lines[rollback + 2] == "          stable over the last 30 s: 5286 requests, 4 failures (0.08%); P99 89 ms")
        #expect(lines[rollback + 3] == "          errors test: 13 of 238 requests failed over the 13 s since the step began; evidence 25654 ≥ 12500: over its threshold")
        #expect(lines[rollback + 4] == "          latency test: 0 of 238 requests slower than 500 ms over the 13 s since the step began; evidence 0.0, trips at 12500")
        #expect(lines[rollback + 8] == "          errors    TRIP         canary failures 5.5% > 1% over the 13 s since the step began: 13 of 238 requests, evidence 25654 ≥ 12500")
        let json = try Self.grayctl("replay", "fixtures/recordings/error-spike.jsonl", "--explain", "--json")
        let event = try JSONParser.parse(String(try #require(json.stdout.split(separator: "\n").first { $0.contains(#""event":"rollback""#) })))
        #expect(event["evidence"]?["measurements"]?["canary"]?["requests"] == .number(577))
        #expect(event["evidence"]?["measurements"]?["canary"]?["failures"] == .number(14))
        #expect(event["evidence"]?["sequential"]?["errors"]?["hits"] == .number(13))
        #expect(event["evidence"]?["sequential"]?["errors"]?["total"] == .number(238))
        #expect(event["evidence"]?["sequential"]?["errors"]?["trips"] == .bool(true))
        #expect(event["evidence"]?["sequential"]?["errors"]?["threshold"] == .number(12500))
        #expect(event["evidence"]?["gates"]?.array?.count == 5)
        #expect(event["evidence"]?["gates"]?.array?[3]["verdict"] == .string("trip"))
    }

    @Test("the timeline names time, weight, gate values, decision and reason")
    func timeline() throws {
        let run = try Self.grayctl("replay", "fixtures/recordings/error-spike.jsonl")
        #expect(run.status == 3)
        #expect(run.stdout.contains("TIME WEIGHT    CANARY REQ     ERR      P99 STABLE ERR      P99   DECISION  REASON"))
        #expect(run.stdout.contains("0:48 10→0"))
        #expect(run.stdout.contains("verdict: rolled_back at 0:48, weight 0%"))
    }

    @Test("a config changes the judgement; a bad config exits 2 naming file, line and key")
    func config() throws {
        let bad = try Self.grayctl("replay", "fixtures/recordings/healthy.jsonl", "--config", "fixtures/configs/typo.yaml")
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("grayctl: fixtures/configs/typo.yaml: line 5: unknown key \"gates.min_request\""))
        let short = try Self.grayctl("replay", "fixtures/recordings/healthy.jsonl", "--config", "fixtures/configs/short-plan.yaml", "--json")
        #expect(short.status == 0)
        let steps = short.stdout.split(separator: "\n").filter { $0.contains("\"event\":\"step\"") }
        #expect(steps.map { $0.contains("\"to\":1,") || $0.contains("\"to\":5,") || $0.contains("\"to\":20,") || $0.contains("\"to\":100,") } == [true, true, true, true])
    }

    @Test("bad input exits 2 with a message naming what and where; the dashboard refuses a missing terminal or a bad theme before polling", arguments: [
        (["replay", "fixtures/recordings/nope.jsonl"], "grayctl: cannot read recording fixtures/recordings/nope.jsonl: no such file"),
        (["replay", "fixtures/recordings-bad/bad-status.jsonl"],
         "grayctl: fixtures/recordings-bad/bad-status.jsonl: line 3: field \"status\": expected SERVING, NOT_SERVING, UNKNOWN, SERVICE_UNKNOWN or UNREACHABLE"),
        (["replay", "fixtures/configs/full.yaml"], "grayctl: fixtures/configs/full.yaml: line 1: not a grayctl recording header"),
        (["replay", "--frobnicate", "x"], "Error: Unknown option '--frobnicate'"),
        (["replay"], "Error: Missing expected argument '<file>'"),
        (["release", "--config", "fixtures/configs/full.yaml", "--resume", "--new-release"],
         "Error: --resume and --new-release exclude each other"),
        (["watch", "--config", "fixtures/configs/full.yaml"],
         "grayctl: the dashboard needs a terminal on standard input and output; use --headless for JSON events (CI, pipes)"),
        (["release", "--headless", "--config", "fixtures/configs/canary-without-grpc.yaml"],
         "grayctl: fixtures/configs/canary-without-grpc.yaml: targets.canary.instances[1].grpc is missing: grayctl checks the gRPC health of every canary instance (the health gate)"),
        (["watch", "--config", "fixtures/configs/full.yaml", "--theme", "nope"],
         "grayctl: --theme nope: no theme \"nope\": available are dark, high-contrast, light, monochrome"),
        (["watch", "--config", "fixtures/configs/full.yaml", "--theme", "fixtures/themes-bad/typo.theme"],
         "grayctl: --theme fixtures/themes-bad/typo.theme: fixtures/themes-bad/typo.theme:3: key gate_pass: \"grene\" is not a colour"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let run = try Self.grayctl(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix(message), "stderr: \(run.stderr)")
    }

    @Test("--help explains and exits 0")
    func help() throws {
        let run = try Self.grayctl("replay", "--help")
        #expect(run.status == 0)
        for phrase in ["USAGE: grayctl replay <file> [--config <grayctl.yaml>] [--json]", "Exit status:", "Examples:", "--json"] {
            #expect(run.stdout.contains(phrase))
        }
    }

    @Test("the top-level help names every command and the demo first")
    func topHelp() throws {
        let run = try Self.grayctl("--help")
        #expect(run.status == 0)
        for phrase in ["grayctl demo", "grayctl check --config", "release", "watch", "status", "replay", "Exit status:"] {
            #expect(run.stdout.contains(phrase), "help lacks \(phrase)")
        }
    }

    @Test("help TOPIC: every config key with its meaning, the gates with their defaults, exit codes, webhooks, metrics")
    func helpTopics() throws {
        let config = try Self.grayctl("help", "config")
        #expect(config.status == 0)
        let keyLines = config.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }
        #expect(keyLines.map { $0.split(separator: " ").first.map(String.init) ?? "" } == ConfigLoader.sections.flatMap(\.keys), "one line per key, in order")
        for line in keyLines {
            #expect(line.dropFirst(25).count > 5, "help config explains \(line)")
        }
        let gates = try Self.grayctl("help", "gates")
        #expect(gates.stdout.contains("gates: roll back when the canary fails > 1% of requests or its P99 exceeds 500 ms (a sequential test judged at every observation, at most 0.1% false rollbacks a release"), "\(gates.stdout)")
        let listed = try Self.grayctl("help", "topics").stdout
        #expect(listed.hasPrefix("Topics: config, gates, exit-codes, webhooks, metrics."), "\(listed)")
        let topics = listed.dropFirst("Topics: ".count).prefix { $0 != "." }.split(separator: ", ").map(String.init)
        for topic in topics {
            let run = try Self.grayctl("help", topic)
            #expect(run.status == 0 && run.stdout.count > 100, "help \(topic)")
        }
        #expect(try Self.grayctl("help", "check").stdout.contains("USAGE: grayctl check"), "a command's help stays ArgumentParser's")
    }

    @Test("--version prints the version and exits 0")
    func version() throws {
        let run = try Self.grayctl("--version")
        #expect(run.status == 0)
        #expect(run.stdout == "0.8.0\n")
    }
}
