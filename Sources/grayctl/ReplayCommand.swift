import ArgumentParser
import Foundation
import GrayCore

/// `grayctl replay FILE`: run a recording through the decision engine offline.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recording through the decision engine, offline and deterministically.",
        discussion: """
            Reads a recording (JSON Lines, see docs/recording.md) and judges it with the plan and gates of \
            --config (or the defaults of docs/gates.md), auto-advancing from weight 0 at the first observation. \
            Prints a timeline of every decision, or with --json one event per line and a final verdict.

            Exit status: 0 promoted or still progressing healthy, 3 rolled back, 2 unreadable recording or bad config.

            Examples:
              grayctl replay fixtures/recordings/error-spike.jsonl
              grayctl replay incident.jsonl --config grayctl.yaml --json | jq .
              grayctl replay incident.jsonl --explain      # the evidence behind each decision
            """
    )

    @Argument(help: ArgumentHelp("The recording to replay (.jsonl).", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("Plan and gates to judge with (YAML).", valueName: "grayctl.yaml"))
    var config: String?

    @Flag(name: .long, help: "Print one JSON event per decision and a final verdict line.")
    var json = false

    @Flag(name: .long, help: "Under each decision, the evidence behind it: counts, ratios, the exact bound and the limit it crossed, every gate's verdict and reason.")
    var explain = false

    func run() async throws {
        let configuration = try InputFiles.loadConfig(config)
        let text = try InputFiles.read(file, what: "recording")
        let recording: Recording
        do {
            recording = try RecordingReader.read(text)
        } catch {
            throw InputError("\(file): \(error)")
        }
        for warning in recording.warnings {
            InputFiles.warn("\(file): \(warning)")
        }
        let result = ReplayRunner.run(recording, config: configuration)
        if json {
            InputFiles.write(ReplayOutput.jsonLines(result, explain: explain))
        } else {
            let title = "replay \(file): \(recording.header.service), started \(recording.header.started), \(recording.lines.count) observations"
            InputFiles.write(ReplayOutput.timeline(result, title: title, plan: configuration.plan, gates: configuration.gates, explain: explain))
        }
        throw ExitCode(result.verdict.exitCode)
    }
}
