import Foundation
import GrayCore
import GrayProbe
import GrayRender
import GrayRuntime

/// What `release` and `demo` share before a release starts: the router lock, the journal read
/// back, the router's weight read once, and how the engine begins (fresh, resumed, adopted, or
/// re-sending an unconfirmed rollback).
enum ReleaseSetup {
    static func session(
        configuration: GrayConfig, live: LiveOptions, mode: DashboardMode, journalPath: String?, newRelease: Bool, resume: Bool = false,
        adopt: Bool = false, token: String?, autoAdvance: Bool, operatorName: String, faults: FaultClient? = nil,
        preflight: PreflightGate? = nil
    ) async throws -> LiveSession {
        guard let engine = configuration.targets[.router]?.engine else {
            throw InputError("no router configured (targets.router): grayctl needs one to drive a release")
        }
        // Webhook URLs unreadable are said before anything else happens, not after a preflight.
        _ = try Webhooks(configuration, environment: ProcessInfo.processInfo.environment)
        let routerURL = engine.address
        let lock: RouterLock
        do {
            lock = try RouterLock(routerURL: routerURL)
        } catch {
            throw InputError("\(error)")
        }
        let path = journalPath ?? RouterPaths.journal(routerURL, environment: ProcessInfo.processInfo.environment)
        let previous = try summary(of: path, newRelease: newRelease)
        if let previous { InputFiles.note("journal \(path): \(previous.description)") }
        if previous?.inFlight == true, !newRelease, !resume {
            throw InputError(
                "not changing any weight: the release in \(path) was in flight at \(previous?.weight ?? 0)%. "
                    + "Check the router, then run again with --resume to continue at \(previous?.weight ?? 0)% or --new-release to start over")
        }
        if resume, previous?.inFlight != true {
            throw InputError("--resume: the journal \(path) shows no release in flight")
        }
        let journal: Journal
        do {
            journal = try Journal(path: path)
        } catch {
            throw InputError("\(error)")
        }
        guard let router = try FleetWiring.router(configuration, token: token, tls: live.tls) else {
            throw InputError("no router configured (targets.router): grayctl needs one to drive a release")
        }
        var start: LiveSession.Start = .fresh
        if resume, let previous {
            start = await resumed(previous, router: router)
        } else if previous?.standing == .rollbackUnconfirmed, !newRelease {
            InputFiles.note("the previous release's rollback was never confirmed by the router: sending 0% again")
            start = .resendRollback
        }
        if case .fresh = start {
            start = try await fresh(router: router, routerURL: routerURL, journalPath: path, adopt: adopt)
        }
        if let preflight, start == .fresh {
            try preflight.admit(
                try await FleetWiring.preflight(configuration, router: router, tls: live.tls, patience: PreflightGate.patience, force: preflight.force))
        }
        return LiveSession(
            configuration: configuration, options: live, mode: mode, router: router, journal: journal, lock: lock,
            autoAdvance: autoAdvance, operatorName: operatorName, faults: faults, start: start)
    }

    /// The journal's summary; an unreadable line is an error naming it (a warning with `--new-release`).
    private static func summary(of path: String, newRelease: Bool) throws -> JournalSummary? {
        do {
            let (entries, warnings) = try Journal.read(at: path)
            for warning in warnings { InputFiles.warn(warning) }
            return JournalSummary(entries)
        } catch {
            guard newRelease, case .unreadableLine = error else {
                throw InputError(
                    "\(error). Not changing any weight: check the router's weight, then repair or move the journal, "
                        + "or run again with --new-release to start over without it")
            }
            InputFiles.warn("\(error) (--new-release: starting over without it)")
            return nil
        }
    }

    /// Where `--resume` continues (``JournalSummary/resumeWeight(routerWeight:)``), saying so when
    /// the last journalled step never reached the router.
    private static func resumed(_ previous: JournalSummary, router: any TrafficRouter) async -> LiveSession.Start {
        let reading: Int? = if case .weight(let weight, _) = await router.read() { weight } else { nil }
        let (weight, neverLanded) = previous.resumeWeight(routerWeight: reading)
        guard neverLanded else { return .resume(weight) }
        InputFiles.note(
            "the journalled step to \(previous.weight)% never reached the router (it reads \(weight)%, the weight before that step): "
                + "resuming at \(weight)%")
        return weight == 0 ? .fresh : .resume(weight)
    }

    /// A release that no journal explains starts from what the router reads: at 0% as usual, above
    /// 0% only with `--adopt`.
    private static func fresh(router: any TrafficRouter, routerURL: String, journalPath: String, adopt: Bool) async throws -> LiveSession.Start {
        switch await router.read() {
        case .weight(let weight, _) where weight > 0:
            guard adopt else {
                throw InputError(
                    "the router \(routerURL) reads canary weight \(weight)% and no journal explains it (\(journalPath)): "
                        + "grayctl will not pretend it is 0%. Run again with --adopt to continue the release at \(weight)% "
                        + "(that step earns fresh evidence; a tripped gate rolls back), or set the router to 0% first")
            }
            return .adopt(weight)
        case .weight:
            if adopt { InputFiles.note("--adopt: the router reads 0%: nothing to adopt, starting from 0%") }
            return .fresh
        case let entry:
            InputFiles.warn("the router's weight could not be read (\(entry.failureMessage ?? "no weight in the answer")): no promotion until it can be")
            return .fresh
        }
    }

    /// The router token from `file`, else `$GRAYCTL_ROUTER_TOKEN`.
    static func token(file: String?) throws -> String? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw InputError("cannot read --router-token-file \(file)")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw InputError("--router-token-file \(file) is empty") }
            return token
        }
        return ProcessInfo.processInfo.environment["GRAYCTL_ROUTER_TOKEN"]
    }
}
