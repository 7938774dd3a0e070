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
        for (row, target) in [Target.stable, .canary].enumerated() {
            let label = target.rawValue.rightPadded(to: 8)
            guard let view = fleet.health[target] else {
                screen.put(label + "not checked yet", in: inner, row: row, style: Style(.muted))
                continue
            }
            let role: Role
            switch view.status {
            case .serving: role = .gatePass
            case .notServing, .unknown, .serviceUnknown: role = .gateHold
            case .unreachable: role = .gateTripped
            }
            var text = label + view.status.rawValue + " " + (context.age(view.since).map(TimeText.age) ?? "?")
            if view.status == .unreachable, let failure = fleet.failures[target]?["health"] {
                text += ": " + failure.message
            } else {
                if let latency = view.latency { text += " · " + Format.milliseconds(latency) }
                text += " · " + (context.age(view.checkedAt).map(TimeText.age) ?? "?") + " ago"
            }
            screen.put(text, in: inner, row: row, style: context.style(Style(role, bold: view.status != .serving), readAt: view.checkedAt))
        }
        drawRouter(fleet, in: inner, on: &screen)
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
