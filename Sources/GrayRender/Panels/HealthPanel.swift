import GrayCore

/// gRPC health of stable and canary — status and for how long, then the check's latency and age
/// (or why it is unreachable) — and the router's weight as read back.
struct HealthPanel: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        Panel(title: "health", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let inner = rect.content
        guard let fleet = context.release?.fleet else {
            screen.put("connecting…", in: inner, row: 0, style: Style(.muted))
            return
        }
        for (row, version) in [Version.stable, .canary].enumerated() {
            let label = version.rawValue.rightPadded(to: 8)
            let instances = fleet.instances(of: version)
            guard instances.count <= 1 else {
                drawVersion(version, instances, fleet, label: label, row: row, in: inner, on: &screen)
                continue
            }
            let target = instances.first ?? Subject(version.target)
            guard let view = fleet.health[target] else {
                screen.put(label + "not checked yet", in: inner, row: row, style: Style(.muted))
                continue
            }
            var text = label + view.status.rawValue + " " + (context.age(view.since).map(TimeText.age) ?? "?")
            if view.status == .unreachable, let failure = fleet.failures[target]?["health"] {
                text += ": " + failure.message
            } else {
                if let latency = view.latency { text += " · " + Format.milliseconds(latency) }
                text += " · " + (context.age(view.checkedAt).map(TimeText.age) ?? "?") + " ago"
            }
            screen.put(text, in: inner, row: row, style: context.style(Style(Self.role(view.status), bold: view.status != .serving), readAt: view.checkedAt))
        }
        drawRouter(fleet, in: inner, on: &screen)
    }

    /// A version of many instances on one row: how many are SERVING, then the worst one.
    private func drawVersion(
        _ version: Version, _ instances: [Subject], _ fleet: FleetState, label: String, row: Int, in inner: Rect, on screen: inout Screen
    ) {
        let views = instances.compactMap { subject in fleet.health[subject].map { (subject, $0) } }
        let serving = views.filter { $0.1.status == .serving }.count
        var text = label + "\(serving)/\(instances.count) SERVING"
        guard let worst = fleet.worstHealth(of: version) else {
            screen.put(text + (instances.isEmpty ? " (discovery lists none)" : " · not checked yet"), in: inner, row: row, style: Style(.muted))
            return
        }
        if worst.1.status != .serving {
            text += " · worst \(worst.0.instance) \(worst.1.status.rawValue) " + (context.age(worst.1.since).map(TimeText.age) ?? "?")
        } else if let slowest = views.compactMap({ view in view.1.latency.map { (view.0, $0) } }).max(by: { $0.1 < $1.1 }) {
            text += " · slowest \(slowest.0.instance) " + Format.milliseconds(slowest.1)
        }
        let checkedAt = views.map(\.1.checkedAt).min() ?? 0
        screen.put(text, in: inner, row: row, style: context.style(Style(Self.role(worst.1.status), bold: worst.1.status != .serving), readAt: checkedAt))
    }

    static func role(_ status: HealthStatus) -> Role {
        switch status {
        case .serving: .gatePass
        case .notServing, .unknown, .serviceUnknown: .gateHold
        case .unreachable: .gateTripped
        }
    }

    private func drawRouter(_ fleet: FleetState, in inner: Rect, on screen: inout Screen) {
        let label = "router".rightPadded(to: 8)
        let failure = fleet.failures[.router]?["weight"]
        if let weight = fleet.routerWeight, failure.map({ $0.at <= weight.readAt }) ?? true {
            let text = label + "weight \(weight.weight)%" + (weight.generation.map { " (gen \($0))" } ?? "")
                + " · read " + (context.age(weight.readAt).map(TimeText.age) ?? "?") + " ago"
            screen.put(text, in: inner, row: 2, style: context.style(Style(.text), readAt: weight.readAt))
        } else if let failure {
            screen.put(label + "UNREACHABLE: " + failure.message, in: inner, row: 2, style: Style(.gateTripped, bold: true))
        } else {
            screen.put(label + "weight not read yet", in: inner, row: 2, style: Style(.muted))
        }
    }
}
