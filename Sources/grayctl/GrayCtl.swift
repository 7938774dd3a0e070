import ArgumentParser

/// `grayctl`: drive a gray (canary) release of a gRPC service safely.
struct GrayCtl: AsyncParsableCommand {
    /// grayctl's version (`grayctl --version`).
    static let version = "0.8.0"

    static let configuration = CommandConfiguration(
        commandName: "grayctl",
        abstract: "Drive a gray (canary) release of a gRPC service: watch it, promote it, roll it back.",
        discussion: """
            grayctl judges a canary by its error ratio, latency, circuit breakers and health, steps its \
            traffic weight through a plan (5 → 10 → 25 → 50 → 100 by default) and rolls back when a gate trips.

            Start with `grayctl demo` (a local fleet in the dashboard). For your own fleet, `grayctl check --config \
            grayctl.yaml` first (every endpoint contacted read-only, one line per check with the fix), then \
            `grayctl release --config grayctl.yaml`. `grayctl watch` is read-only; `grayctl replay` judges a recording offline.

            `grayctl help TOPIC` explains config (every key), gates, exit-codes, webhooks and metrics; \
            `grayctl help COMMAND` a command.

            Exit status: 0 promoted (or still progressing healthy), 1 a preflight check to fix (check, or release refusing to start), 3 rolled back, 2 bad input or configuration, \
            4 interrupted or unfinished, 5 a rollback was sent but the router never read back 0%.
            """,
        version: GrayCtl.version,
        subcommands: [CheckCommand.self, ReleaseCommand.self, WatchCommand.self, StatusCommand.self, DemoCommand.self, ReplayCommand.self]
    )
}
