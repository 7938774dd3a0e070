import GrayCore

/// The `?` overlay: every key of the mode with its help line, centred over the dashboard.
struct HelpOverlay: Widget {
    let context: PanelContext

    func draw(in rect: Rect, on screen: inout Screen) {
        let bindings = KeyBinding.bindings(for: context.model.mode)
        var lines = bindings.map { $0.label.rightPadded(to: 7) + $0.help }
        lines += ["", "Automatic rollback needs no key: a tripped gate sets the canary to 0%.", "? or Esc closes this help."]
        let width = min(rect.width - 4, (lines.map(\.count).max() ?? 0) + 4)
        let height = min(rect.height - 2, lines.count + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        screen.fill(box, style: Style(.overlay))
        Panel(title: "keys", style: Style(.overlay, bold: true), glyphs: context.glyphs).draw(in: box, on: &screen)
        for (row, line) in lines.enumerated() {
            screen.put(" " + line, in: box.inner, row: row, style: Style(.overlay))
        }
    }
}
