import GrayCore

/// Failure ratios of stable and canary over the gate window: requests, ratio, and the exact lower
/// confidence bound at `gates.confidence` (what the window shows for sure; the error gate trips on
/// its sequential test, whose evidence the gate's reason shows).
struct ErrorsPanel: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        let gates = context.model.gates
        let bound = rect.width >= 48 ? " · bound at \(Format.trimmed(gates.confidence * 100, digits: 2))%" : ""
        Panel(title: "error ratio · limit \(Format.percent(gates.maxErrorRatio))\(bound)", glyphs: context.glyphs).draw(in: rect, on: &screen)
        let inner = rect.content
        screen.put("         " + "requests".leftPadded(to: 9) + "ratio".leftPadded(to: 9) + "bound".leftPadded(to: 9), in: inner, row: 0, style: Style(.muted))
        for (index, version) in Version.allCases.enumerated() {
            let readAt = context.release?.fleet.lastGoodScrape(of: version)
            let role: Role = version == .canary ? .p99Canary : .p99Stable
            var text = version.rawValue.rightPadded(to: 9)
            if let measured = context.release?.report.measurements[version] {
                let over = measured.failureLowerBound > gates.maxErrorRatio
                text += Format.count(measured.requests).leftPadded(to: 9) + Format.percent(measured.failureRatio).leftPadded(to: 9)
                text += ("≥" + Format.percent(measured.failureLowerBound)).leftPadded(to: 9)
                let style = over && version == .canary ? Style(.gateTripped, bold: true) : Style(role)
                screen.put(text + context.staleSuffix(readAt), in: inner, row: index + 1, style: context.style(style, readAt: readAt))
            } else {
                screen.put(text + "no metrics yet", in: inner, row: index + 1, style: Style(.muted))
            }
        }
    }
}
