import ArgumentParser
import Foundation
import GrayRender

/// `grayctl watch`: the dashboard, read-only.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch a release without touching it: the dashboard, read-only.",
        discussion: """
            Polls the targets of --config like `grayctl release` and judges the gates, but never changes the \
            router's weight: the plan position follows the weight the router reads, and a tripped gate is shown \
            as "would roll back". No token is needed. --headless prints the judgements as JSON events until \
            --max-duration or Ctrl-C (exit 0).
            """
    )

    @Option(help: ArgumentHelp(
        "Targets, plan and gates (YAML, see docs/gates.md); default ./grayctl.yaml, then $XDG_CONFIG_HOME/grayctl/grayctl.yaml.",
        valueName: "grayctl.yaml"))
    var config: String?

    @OptionGroup var live: LiveOptions

    func run() async throws {
        let configuration = try LiveOptions.loadConfig(LiveOptions.configPath(config), needsRouter: false)
        let session = LiveSession(
            configuration: configuration, options: live, mode: .watch, router: nil, journal: nil, lock: nil,
            autoAdvance: false, operatorName: ProcessInfo.processInfo.environment["USER"] ?? "grayctl")
        try await session.run()
    }
}
