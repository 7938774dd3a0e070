public import GrayCore

/// Everything the dashboard shows, built only from ``DashboardMessage``s: the last release state,
/// latency history for the sparklines, the events log, the prompt and overlay. Pure: the screen is
/// `DashboardView.render(model, …)`, and keys come back as ``DashboardCommand``s.
public struct DashboardModel: Sendable {
    /// A question on the prompt line.
    public enum Prompt: Equatable, Sendable {
        /// "Roll back? y/n".
        case rollback
        /// "Quit while a release is in flight? y/n".
        case quit
    }

    /// How many poll rounds of latency history are kept.
    public static let historyLength = 240
    /// How many events are kept.
    public static let eventsLength = 500

    /// What the dashboard drives.
    public let mode: DashboardMode
    /// The service's name.
    public let service: String
    /// The plan.
    public let plan: ReleasePlan
    /// The gates' thresholds.
    public let gates: GateSettings
    /// The last release state (nil before the first poll round).
    public private(set) var release: ReleaseState?
    /// Canary and stable latency quantile per poll round, oldest first (NaN: no data that round).
    public private(set) var latency: [Version: [Double]] = [:]
    /// The events log, oldest first.
    public private(set) var events: [EventLine] = []
    /// An alert that stays on screen (rollback not applied), until the next decision.
    public private(set) var alert: String?
    /// The last operator message.
    public private(set) var status: String?
    /// The open question, if any.
    public private(set) var prompt: Prompt?
    /// Whether the help overlay is shown.
    public private(set) var showsHelp = false
    /// Whether the instances view is shown.
    public private(set) var showsInstances = false
    /// The first row of the instances view shown (the view keeps it within its rows).
    public private(set) var instancesOffset = 0
    /// The theme's name.
    public private(set) var themeName: String
    /// Seconds since the start.
    public private(set) var now: Double = 0
    /// Wall clock, seconds since 1970.
    public private(set) var epoch: Double = 0
    /// Versions of the instances, once read.
    public private(set) var versions: [Target: String] = [:]

    /// Creates the model of a dashboard.
    public init(mode: DashboardMode, service: String, plan: ReleasePlan, gates: GateSettings, themeName: String) {
        self.mode = mode
        self.service = service
        self.plan = plan
        self.gates = gates
        self.themeName = themeName
    }

    /// True while a release has moved traffic and is neither promoted nor rolled back, or while a
    /// rollback waits for the router to confirm it.
    public var releaseInFlight: Bool {
        guard mode.drives, let release else { return false }
        if release.phase == .rollingBack { return true }
        return !release.isTerminal && (release.weight > 0 || release.pending != nil)
    }

    /// Handles one message; returns what the program must do.
    public mutating func update(_ message: DashboardMessage) -> [DashboardCommand] {
        switch message {
        case .released(let state):
            release = state
            now = max(now, state.now)
            for version in Version.allCases {
                latency[version, default: []].append(state.report.measurements[version]?.latency ?? .nan)
                if latency[version]!.count > Self.historyLength { latency[version]!.removeFirst() }
            }
        case .decided(let decision):
            alert = nil
            log(EventLine(t: decision.t, text: Self.describe(decision), severity: Self.severity(decision.kind)))
        case .noted(let text, let isAlert):
            if isAlert { alert = text }
            status = text
            log(EventLine(t: now, text: text, severity: isAlert ? .alert : .info))
        case .keyPressed(let key):
            return press(key)
        case .ticked(let time, let wallClock):
            now = max(now, time)
            epoch = wallClock
        case .themeChanged(let name):
            themeName = name
        case .versionsRead(let read):
            versions.merge(read) { $1 }
        }
        return []
    }

    private mutating func log(_ line: EventLine) {
        events.append(line)
        if events.count > Self.eventsLength { events.removeFirst(events.count - Self.eventsLength) }
    }

    private mutating func press(_ key: Key) -> [DashboardCommand] {
        if let prompt {
            self.prompt = nil
            guard key == .character("y") || key == .character("Y") else {
                status = prompt == .rollback ? "rollback cancelled" : "quit cancelled"
                return []
            }
            return prompt == .rollback ? [.request(.rollback)] : [.quit]
        }
        if showsHelp, key == .escape || key == .character("?") || key == .character("q") {
            showsHelp = false
            return []
        }
        if showsInstances, let handled = scrollInstances(key) { return handled }
        guard case .character(let character) = key,
            let binding = KeyBinding.bindings(for: mode).first(where: { $0.key == character })
        else { return [] }
        switch binding.action {
        case .promote: return [.request(.promote)]
        case .rollback:
            prompt = .rollback
            return []
        case .pauseResume: return [.request(release?.paused == true ? .resume : .pause)]
        case .autoAdvance: return [.request(.toggleAutoAdvance)]
        case .nextTheme: return [.nextTheme]
        case .help:
            showsHelp.toggle()
            return []
        case .instances:
            showsInstances.toggle()
            instancesOffset = 0
            return []
        case .quit:
            if releaseInFlight {
                prompt = .quit
                return []
            }
            return [.quit]
        case .faultErrors: return [.injectFault(.errors)]
        case .faultLatency: return [.injectFault(.latency)]
        }
    }

    /// Keys of the instances view: scrolling, and Esc to close; nil for keys it leaves to the dashboard.
    private mutating func scrollInstances(_ key: Key) -> [DashboardCommand]? {
        let count = release.map { fleet in Version.allCases.map { fleet.fleet.instances(of: $0).count }.reduce(0, +) } ?? 0
        let page = 10
        switch key {
        case .escape: showsInstances = false
        case .up, .character("k"): instancesOffset -= 1
        case .down, .character("j"): instancesOffset += 1
        case .pageUp: instancesOffset -= page
        case .pageDown: instancesOffset += page
        default: return nil
        }
        instancesOffset = max(0, min(instancesOffset, count - 1))
        return []
    }

    static func describe(_ decision: Decision) -> String {
        switch decision.kind {
        case .step(let from, let to): return "step \(from)% → \(to)%: \(decision.reason)"
        case .hold: return "hold: \(decision.reason)"
        case .rollback(let from, _): return "ROLLBACK \(from)% → 0%: \(decision.reason)"
        case .complete: return "PROMOTED: \(decision.reason)"
        }
    }

    static func severity(_ kind: Decision.Kind) -> EventLine.Severity {
        switch kind {
        case .step, .complete: return .progress
        case .hold: return .info
        case .rollback: return .alert
        }
    }
}
