import Foundation
import GrayCore
import GrayProbe
import GrayRuntime

/// How every command that reads a fleet builds its poller and its router client from the config:
/// one place, so `check` and `status` read exactly what `release` will.
enum FleetWiring {
    /// The poller of `configuration`'s targets (Prometheus when `metrics.source` says so), reading
    /// `router`'s weight too when given.
    static func poller(_ configuration: GrayConfig, router: (any TrafficRouter)?, tls: ProbeTLS?) throws -> FleetPoller {
        FleetPoller(
            targets: configuration.targets, router: router, tls: tls, timeout: min(1, configuration.plan.interval),
            prometheus: try prometheusSource(configuration))
    }

    /// The router client of `configuration`, nil when it names none; `token` for the gateway.
    static func router(_ configuration: GrayConfig, token: String?, tls: ProbeTLS?) throws -> (any TrafficRouter)? {
        guard let engine = configuration.targets[.router]?.engine else { return nil }
        do {
            return try RouterProvider.router(for: engine, token: token, tls: tls ?? ProbeTLS(), environment: ProcessInfo.processInfo.environment)
        } catch {
            throw InputError("targets.router: \(error)")
        }
    }

    /// One preflight (``Preflight``): a poll round of everything the config names (two when
    /// Prometheus names the instances: the first round only learns them) and the router's write
    /// access, asked without changing it. While a check blocks (``PreflightReport/blocking(force:)``)
    /// and `patience` seconds have not passed, it checks again every `plan.interval` — a fleet still
    /// starting, a Prometheus server before its first scrape — and says so once on standard error.
    static func preflight(
        _ configuration: GrayConfig, router: (any TrafficRouter)?, tls: ProbeTLS?, patience: Double, force: Bool = false
    ) async throws
        -> PreflightReport
    {
        let poller = try poller(configuration, router: router, tls: tls)
        let interval = Duration.seconds(configuration.plan.interval)
        let deadline = ContinuousClock.now + .seconds(patience)
        func polled() async -> PreflightReport {
            async let entries = poller.poll()
            let writes = await router?.writeAccess()
            return Preflight.report(configuration: configuration, entries: await entries, writes: writes)
        }
        if configuration.targets.values.contains(where: { $0.prometheusInstances != nil }) {
            _ = await poller.poll()
            try await Task.sleep(for: interval)
        }
        let webhooks = webhookCheck(configuration)
        func round() async -> PreflightReport {
            var report = await polled()
            if let webhooks { report.checks.insert(webhooks, at: report.checks.count - 2) }
            return report
        }
        var report = await round()
        var waiting = false
        while !report.blocking(force: force).isEmpty, ContinuousClock.now < deadline {
            if !waiting {
                let failing = report.blocking(force: force).map(\.area)
                InputFiles.note("check: \(failing.joined(separator: ", ")) not ready yet; checking again for up to \(Format.seconds(patience))")
                waiting = true
            }
            try await Task.sleep(for: interval)
            report = await round()
        }
        return report
    }

    /// Whether the webhooks' URLs can be read (they are not contacted: a POST would notify or
    /// ask); nil when the config has none.
    private static func webhookCheck(_ configuration: GrayConfig) -> PreflightCheck? {
        guard !configuration.notify.isEmpty || configuration.plan.confirm != nil else { return nil }
        do {
            _ = try Webhooks(configuration, environment: ProcessInfo.processInfo.environment)
        } catch {
            return PreflightCheck("webhooks", .fail, "\(error)", fix: "set the variable or fix the file that holds the URL")
        }
        let named = configuration.notify.map(\.description) + (configuration.plan.confirm.map { ["plan.confirm: \($0)"] } ?? [])
        return PreflightCheck("webhooks", .pass, "\(named.joined(separator: ", ")): read, not contacted (a POST would notify or ask)")
    }

    /// The Prometheus server as metrics source, when `metrics.source` says so; its token file is
    /// read now (never printed).
    private static func prometheusSource(_ configuration: GrayConfig) throws -> PrometheusSource? {
        guard configuration.metricsSource == .prometheus, let settings = configuration.prometheus else { return nil }
        let token = try settings.bearerTokenFile.map { file in
            try InputFiles.read(file, what: "prometheus.bearer_token_file").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let reader = PrometheusReader(
            baseURL: settings.url, token: token, tls: ProbeTLS(caFile: settings.caFile), timeout: min(1, configuration.plan.interval),
            api: settings.api)
        return PrometheusSource(reader: reader, settings: settings, names: configuration.metrics)
    }
}
