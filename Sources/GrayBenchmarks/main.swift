import Foundation
import GrayCore
import GrayRender
import GrayRuntime

/// Speed benchmarks of the core (run in release: `swift run -c release grayctl-bench ...`).
///
///     grayctl-bench parse FILE [iterations]    exposition parser: MB/s and samples/s (median run)
///     grayctl-bench replay FILE [iterations]   recording read + replay: seconds (median run)
///     grayctl-bench render FILE [iterations]   one dashboard frame at 200×60 (state → cells → diff), the
///                                              model built by replaying FILE: milliseconds (median frame)
///     grayctl-bench prometheus-answer FILE [n]  a saved Prometheus read (a pair of query answers, one a
///                                              line, or a /federate answer) decoded, split, parsed and
///                                              applied: milliseconds of each stage
///     grayctl-bench prometheus-query SELECTOR  prints the two queries a round sends for a version's
///                                              selector (default metric names, one a line), to save
///                                              their answers for the above
///     grayctl-bench engine-config KIND FRONT ADMIN STABLE CANARY  prints the envoy or haproxy
///                                              configuration grayctl demo runs (EngineConfigs)
///     grayctl-bench router CONFIG [n]          decision → weight confirmed by read-back at CONFIG's
///                                              router: one write and its read-back, n times (median ms)
///     grayctl-bench poll CONFIG [rounds]       one poll round of CONFIG's fleet, once a second: wall and
///                                              CPU time (median round), see PollBenchmark
///     grayctl-bench judge healthy|detect N     the judge's false rollbacks and detection delays over N
///                                              simulated releases a row, see JudgeBenchmark
///
/// Each prints one JSON line, so scripts/bench-parsers.sh and scripts/bench-replay.sh can compare.
enum Benchmarks {
    static func main() {
        let arguments = CommandLine.arguments
        if arguments.count >= 2, arguments[1] == "judge" {
            JudgeBenchmark.main(Array(arguments.dropFirst(2)))
            return
        }
        if arguments.count == 3, arguments[1] == "prometheus-query" {
            print(PollBenchmark.queries(selector: arguments[2]))
            return
        }
        if arguments.count == 7, arguments[1] == "engine-config" {
            let (front, admin, stable, canary) = (arguments[3], arguments[4], arguments[5], arguments[6])
            switch arguments[2] {
            case "envoy": print(EngineConfigs.envoy(front: front, admin: admin, stable: [stable], canary: [canary]))
            case "haproxy": print(EngineConfigs.haproxy(front: front, socket: admin, stable: stable, canary: canary))
            default: fail("engine-config: expected envoy or haproxy, not \(arguments[2])")
            }
            return
        }
        guard arguments.count >= 3, let data = FileManager.default.contents(atPath: arguments[2]) else {
            fail("usage: grayctl-bench parse|replay|render FILE [iterations], or grayctl-bench poll CONFIG [rounds]")
        }
        let iterations = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
        switch arguments[1] {
        case "parse": parse(data, iterations: iterations)
        case "replay": replay(data, iterations: iterations)
        case "render": render(data, frames: iterations)
        case "prometheus-answer": PollBenchmark.answer(data, iterations: iterations)
        default: fail("unknown benchmark \(arguments[1]): expected parse, replay, render, prometheus-answer, prometheus-query, engine-config, router or poll")
        }
    }

    static func parse(_ data: Data, iterations: Int) {
        var samples = 0
        let seconds = median(iterations) {
            let exposition = data.withUnsafeBytes { raw in
                Result { () throws(ExpositionError) in try ExpositionParser.parse(bytes: raw.bindMemory(to: UInt8.self)) }
            }
            switch exposition {
            case .success(let parsed): samples = parsed.samples.count
            case .failure(let error): fail("parse error: \(error)")
            }
        }
        print(#"{"parser":"grayctl ExpositionParser","bytes":\#(data.count),"samples":\#(samples),"seconds":\#(Format.fixed(seconds, 6)),"mb_per_s":\#(Format.fixed(Double(data.count) / 1e6 / seconds, 2)),"samples_per_s":\#(Format.fixed(Double(samples) / seconds, 0))}"#)
    }

    /// Replays with a bake longer than the recording, so the release never completes and every
    /// observation is judged (a completed release would stop the replay early).
    static func replay(_ data: Data, iterations: Int) {
        var config = GrayConfig()
        config.plan.bake = 1e9
        var lines = 0
        var verdict = ""
        let seconds = median(iterations) {
            let outcome = data.withUnsafeBytes { raw in
                Result { () throws(RecordingError) in try RecordingReader.read(bytes: raw.bindMemory(to: UInt8.self)) }
            }
            switch outcome {
            case .success(let recording):
                lines = recording.lines.count
                verdict = ReplayRunner.run(recording, config: config).verdict.rawValue
            case .failure(let error): fail("recording error: \(error)")
            }
        }
        print(#"{"benchmark":"replay","bytes":\#(data.count),"lines":\#(lines),"verdict":"\#(verdict)","seconds":\#(Format.fixed(seconds, 3))}"#)
    }

    /// Frames of a dashboard whose model replayed the whole recording: each frame is a clock tick,
    /// a full render at 200×60 and the diff against the previous frame (what the terminal redraws).
    static func render(_ data: Data, frames: Int) {
        guard let recording = try? RecordingReader.read(String(decoding: data, as: UTF8.self)) else { fail("unreadable recording") }
        let config = GrayConfig()
        var model = DashboardModel(mode: .release, service: "order-service", plan: config.plan, gates: config.gates, themeName: "dark")
        _ = ReplayRunner.run(recording, config: config) { state, decisions in
            _ = model.update(.released(state))
            for decision in decisions { _ = model.update(.decided(decision)) }
        }
        var previous: Screen?
        var changed = 0
        var rendered = 0
        var tick = model.now
        let seconds = median(frames) {
            tick += 0.5
            _ = model.update(.ticked(now: tick, epoch: 1_795_608_000 + tick))
            let screen = DashboardView.render(model, width: 200, height: 60, glyphs: .unicode)
            changed += screen.changedCells(since: previous).count
            rendered += 1
            previous = screen
        }
        print(#"{"benchmark":"render","size":"200x60","frames":\#(frames),"changed_cells_per_frame":\#(Format.fixed(Double(changed) / Double(max(rendered, 1)), 1)),"ms_per_frame":\#(Format.fixed(seconds * 1000, 3))}"#)
    }

    /// The median wall time of `iterations` runs of `body`, in seconds.
    static func median(_ iterations: Int, _ body: () -> Void) -> Double {
        var times: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<max(1, iterations) {
            let elapsed = clock.measure(body)
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return times.sorted()[times.count / 2]
    }

    /// The configuration at `path`, or the benchmark stops naming what is wrong.
    static func config(at path: String) -> GrayConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)") }
        do {
            return try ConfigLoader.load(text)
        } catch {
            fail("\(path): \(error)")
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }
}

if CommandLine.arguments.count >= 3, CommandLine.arguments[1] == "poll" {
    await PollBenchmark.run(configPath: CommandLine.arguments[2], rounds: CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 10 : 10)
} else if CommandLine.arguments.count >= 3, CommandLine.arguments[1] == "router" {
    await RouterBenchmark.run(configPath: CommandLine.arguments[2], writes: CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 20 : 20)
} else {
    Benchmarks.main()
}
