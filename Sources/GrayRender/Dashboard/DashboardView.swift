import GrayCore

/// The dashboard's screen as a pure function of its model: `render(model, width:height:glyphs:)`.
///
/// Layout (every size from 80×24 up; the extra rows go to breakers and events):
///
///     header ─────────────────────────────────────────────
///     ┌ canary weight: gauge, plan, bake countdown or hold ┐
///     ┌ latency P99 (sparklines) ┐┌ gates ────────────────┐
///     ┌ error ratios ────────────┐┌ health ───────────────┐
///     ┌ circuit breakers ────────┐┌ events ───────────────┐
///     key bar (or the y/n prompt)
public enum DashboardView {
    /// The smallest screen the dashboard draws on.
    public static let minimumSize = (width: 80, height: 24)

    /// Renders `model` into a `width`×`height` screen.
    public static func render(_ model: DashboardModel, width: Int, height: Int, glyphs: Glyphs) -> Screen {
        var screen = Screen(width: width, height: height)
        guard width >= minimumSize.width, height >= minimumSize.height else {
            drawTooSmall(on: &screen)
            return screen
        }
        let context = PanelContext(model: model, glyphs: glyphs)
        let (headerRow, rest) = screen.bounds.splitRows(1)
        let (body, keyRow) = rest.splitRows(rest.height - 1)
        HeaderBar(context: context).draw(in: headerRow, on: &screen)
        let (weightArea, columns) = body.splitRows(4)
        WeightPanel(context: context).draw(in: weightArea, on: &screen)
        let leftWidth = width / 2
        let (top, lower) = columns.splitRows(7)
        let (middle, bottom) = lower.splitRows(5)
        let (latencyArea, gatesArea) = top.splitColumns(leftWidth)
        LatencyPanel(context: context).draw(in: latencyArea, on: &screen)
        GatesPanel(context: context).draw(in: gatesArea, on: &screen)
        let (errorsArea, healthArea) = middle.splitColumns(leftWidth)
        ErrorsPanel(context: context).draw(in: errorsArea, on: &screen)
        HealthPanel(context: context).draw(in: healthArea, on: &screen)
        let (breakersArea, eventsArea) = bottom.splitColumns(leftWidth)
        BreakersPanel(context: context).draw(in: breakersArea, on: &screen)
        EventsPanel(context: context).draw(in: eventsArea, on: &screen)
        KeyBar(context: context).draw(in: keyRow, on: &screen)
        if model.showsInstances { InstancesView(context: context).draw(in: body, on: &screen) }
        if model.showsHelp { HelpOverlay(context: context).draw(in: screen.bounds, on: &screen) }
        return screen
    }

    private static func drawTooSmall(on screen: inout Screen) {
        let lines = [
            "terminal too small: \(screen.width)×\(screen.height)",
            "grayctl needs at least \(minimumSize.width)×\(minimumSize.height)",
            "(the release goes on; q quits)",
        ]
        let top = max(0, (screen.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            screen.put(line, x: max(0, (screen.width - line.count) / 2), y: top + index, style: Style(.alert, bold: true))
        }
    }
}
