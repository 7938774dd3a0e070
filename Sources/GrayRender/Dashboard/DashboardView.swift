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
///
/// From 120×36 (``roomy``) the right column, where the reasons are, gets three fifths of the
/// width, the latency and gates row grows to 12 rows (a chart with the limit line and a time axis;
/// each gate's reason on up to two rows), and events wrap onto up to three rows each.
public enum DashboardView {
    /// The smallest screen the dashboard draws on.
    public static let minimumSize = (width: 80, height: 24)
    /// From this size on, the layout gives reasons and the latency chart more room.
    public static let roomy = (width: 120, height: 36)

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
        let spacious = width >= roomy.width && height >= roomy.height
        let leftWidth = spacious ? width * 2 / 5 : width / 2
        let (top, lower) = columns.splitRows(spacious ? 12 : 7)
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
