import GrayCore

/// Circuit breakers per instance and method: state and age, then a timeline of recent transitions
/// (newest first) in the rows that are left.
struct BreakersPanel: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        Panel(title: "circuit breakers", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let inner = rect.content
        guard let fleet = context.release?.fleet else { return }
        var row = 0
        var transitions: [(epoch: Double, text: String)] = []
        for target in [Version.canary, .stable].flatMap({ fleet.instances(of: $0).isEmpty ? [Subject($0.target)] : fleet.instances(of: $0) }) {
            let label = target.isSole ? target.target.rawValue : target.instance
            let width = max(7, label.count + 1)
            let gauges = fleet.breakerGauges(of: target).sorted { $0.key < $1.key }
            guard let view = fleet.breakers[target], view.notObserved == nil || gauges.isEmpty else {
                for (name, reading) in gauges where row < inner.height {
                    let state: String
                    switch reading {
                    case .state(let known): state = known.rawValue.uppercasedIfOpen
                    case .unrecognised(let what): state = what
                    }
                    screen.put(label.rightPadded(to: width) + name.rightPadded(to: 13) + " " + state + " (gauge)", in: inner, row: row)
                    row += 1
                }
                if gauges.isEmpty, target.target == .canary {
                    let failure = fleet.failures[target]?["breakers"]
                    screen.put(label.rightPadded(to: width + 1) + (failure.map { "unreadable: \($0.message)" } ?? "not read yet"), in: inner, row: row, style: Style(.muted))
                    row += 1
                }
                continue
            }
            if let reason = view.notObserved, row < inner.height {
                screen.put(label.rightPadded(to: width + 1) + "not observed: \(reason)", in: inner, row: row, style: Style(.muted))
                row += 1
            }
            for breaker in view.breakers where row < inner.height {
                let age = breaker.since.flatMap(TimeText.epoch(rfc3339:)).map { TimeText.age(context.model.epoch - $0) } ?? "?"
                let text = label.rightPadded(to: width) + breaker.name.rightPadded(to: 13) + " "
                    + breaker.state.rawValue.uppercasedIfOpen.rightPadded(to: 10) + age
                screen.put(text + context.staleSuffix(view.readAt), in: inner, row: row, style: context.style(Self.style(breaker.state), readAt: view.readAt))
                row += 1
                for transition in breaker.transitions {
                    let epoch = TimeText.epoch(rfc3339: transition.at) ?? 0
                    transitions.append((epoch, "\(TimeText.clock(epoch)) \(label) \(breaker.name) \(transition.from.rawValue) → \(transition.to.rawValue)"))
                }
            }
        }
        guard row < inner.height else { return }
        if transitions.isEmpty {
            screen.put("no transitions", in: inner, row: row, style: Style(.muted))
            return
        }
        for transition in transitions.sorted(by: { $0.epoch > $1.epoch }) where row < inner.height {
            screen.put(transition.text, in: inner, row: row, style: Style(.muted))
            row += 1
        }
    }

    static func style(_ state: BreakerStatus.State) -> Style {
        switch state {
        case .closed: return Style(.breakerClosed)
        case .halfOpen: return Style(.breakerHalfOpen, bold: true)
        case .open: return Style(.breakerOpen, bold: true)
        }
    }
}

extension String {
    /// `OPEN` for an open breaker, else unchanged: an open breaker must stand out even without colour.
    var uppercasedIfOpen: String { self == "open" ? "OPEN" : self }
}
