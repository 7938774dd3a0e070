import GrayCore

/// The top row: program, state, step, weight, auto-advance, service and versions, and the clock.
/// The most important facts come first; a segment that does not fit whole is left out.
struct HeaderBar: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        let model = context.model
        screen.fill(rect, style: Style(.header))
        let clock = " " + TimeText.clock(model.epoch) + " UTC "
        var segments: [(String, Style)] = [(" grayctl \(model.mode.rawValue)", Style(.header, bold: true)), context.stateLabel]
        if let release = context.release {
            segments.append(("step \(release.stepIndex + 1)/\(model.plan.steps.count)", Style(.header)))
            segments.append(("canary \(release.weight)%", Style(.header, bold: true)))
            if model.mode.drives { segments.append(("auto " + (release.autoAdvance ? "on" : "off"), Style(.header))) }
        }
        var service = model.service
        if let stable = model.versions[.stable], let canary = model.versions[.canary] {
            service += " stable \(stable) → canary \(canary)"
        }
        segments.append((service, Style(.header)))
        let end = rect.x + rect.width - clock.count
        var column = rect.x
        for (index, segment) in segments.enumerated() {
            if index > 1, column + 3 + segment.0.count > end { break }
            if index > 0 { column = screen.put(" · ", x: column, y: rect.y, style: Style(.header), limit: end - column) }
            column = screen.put(segment.0, x: column, y: rect.y, style: segment.1, limit: end - column)
        }
        screen.put(clock, x: end, y: rect.y, style: Style(.header, bold: true))
    }
}
