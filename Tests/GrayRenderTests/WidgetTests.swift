@testable import GrayRender
import Testing

@Suite("widgets draw only inside their rectangle")
struct WidgetTests {
    /// A 12×1 screen filled with a sentinel, so cells a widget leaves alone show as `x`.
    func sentinel(width: Int = 12) -> Screen {
        var screen = Screen(width: width, height: 1)
        screen.fill(screen.bounds, "x")
        return screen
    }

    @Test("a sparkline scales to its maximum, newest at the right, NaN as a gap")
    func sparkline() {
        var screen = sentinel()
        Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7, .nan], maximum: 7, style: .text, glyphs: .unicode)
            .draw(in: Rect(x: 0, y: 0, width: 10, height: 1), on: &screen)
        #expect(screen.line(0) == "x▁▂▃▄▅▆▇█ xx")
    }

    @Test("a sparkline draws infinite and huge values (an outside latency) without trapping")
    func sparklineExtremes() {
        var screen = sentinel()
        Sparkline(values: [.infinity, 1e300, -.infinity, 1], maximum: 1e-300, style: .text, glyphs: .unicode)
            .draw(in: Rect(x: 0, y: 0, width: 4, height: 1), on: &screen)
        #expect(screen.line(0) == "██▁█xxxxxxxx")
        Sparkline(values: [.infinity, 5], maximum: .infinity, style: .text, glyphs: .unicode)
            .draw(in: Rect(x: 4, y: 0, width: 2, height: 1), on: &screen)
        #expect(screen.line(0) == "██▁██▁xxxxxx")
    }

    @Test("a sparkline keeps only the newest values that fit")
    func sparklineClips() {
        var screen = sentinel()
        Sparkline(values: [7, 7, 7, 0, 0], maximum: 7, style: .text, glyphs: .ascii)
            .draw(in: Rect(x: 2, y: 0, width: 3, height: 1), on: &screen)
        #expect(screen.line(0) == "xx@__xxxxxxx")
    }

    @Test("a gauge fills its share of the width, clamped to 0...1")
    func gauge() {
        var screen = sentinel()
        Gauge(ratio: 0.25, glyphs: .unicode).draw(in: Rect(x: 1, y: 0, width: 8, height: 1), on: &screen)
        #expect(screen.line(0) == "x██░░░░░░xxx")
        Gauge(ratio: 7, glyphs: .ascii).draw(in: Rect(x: 1, y: 0, width: 8, height: 1), on: &screen)
        #expect(screen.line(0) == "x########xxx")
    }

    @Test("the plan line brackets the current step")
    func planLine() {
        var screen = Screen(width: 30, height: 1)
        StepPlanLine(steps: [5, 10, 25, 50, 100], current: 1, glyphs: .unicode).draw(in: screen.bounds, on: &screen)
        #expect(screen.line(0) == "5 → [10] → 25 → 50 → 100      ")
    }

    @Test("text is clipped to its rectangle and never wraps; wide and control characters become ?")
    func clipping() {
        var screen = sentinel()
        screen.put("abcdefgh", in: Rect(x: 2, y: 0, width: 4, height: 1), row: 0)
        #expect(screen.line(0) == "xxabcdxxxxxx")
        screen.put("a\u{7}日b", x: 8, y: 0)
        #expect(screen.line(0) == "xxabcdxxa??b")
    }

    @Test("a panel draws its border and title")
    func panel() {
        var screen = Screen(width: 12, height: 3)
        Panel(title: "gates", glyphs: .ascii).draw(in: screen.bounds, on: &screen)
        #expect(screen.text == "+ gates ---+\n|          |\n+----------+\n")
    }
}

@Suite("screen diff")
struct ScreenDiffTests {
    @Test("only changed cells are redrawn; a new size redraws everything")
    func changedCells() {
        var before = Screen(width: 4, height: 2)
        before.put("ab", x: 0, y: 0)
        var after = before
        after.put("X", x: 1, y: 1)
        after.put("a", x: 0, y: 0, style: Style(.alert))
        #expect(after.changedCells(since: before) == [0, 5])
        #expect(after.changedCells(since: nil).count == 8)
        #expect(after.changedCells(since: Screen(width: 3, height: 2)).count == 8)
        #expect(after.changedCells(since: after).isEmpty)
    }
}

@Suite("text wrapping and the latency chart")
struct WrapAndChartTests {
    @Test("wraps at spaces, never between a number and its unit, cuts a long word, marks what was left out")
    func wrap() {
        #expect(TextWrap.lines("green for 30 s at 5%: ok", width: 12, maxLines: 3) == ["green for", "30 s at 5%:", "ok"])
        #expect(TextWrap.lines("abcdefghijkl", width: 5, maxLines: 3) == ["abcde", "fghij", "kl"])
        #expect(TextWrap.lines("one two three four five", width: 8, maxLines: 2) == ["one two", "three…"])
        #expect(TextWrap.lines("short", width: 20, maxLines: 1) == ["short"])
    }

    @Test("the chart draws the limit as a dashed row with its label, canary over stable, and a time axis")
    func chart() {
        var screen = Screen(width: 40, height: 8)
        LatencyChart(
            stable: [0.1, 0.1, 0.1], canary: [0.2, 0.6, .nan], limit: 0.5, interval: 1, stableStyle: Style(.p99Stable),
            canaryStyle: Style(.p99Canary), glyphs: .unicode
        ).draw(in: Rect(x: 0, y: 0, width: 40, height: 8), on: &screen)
        let lines = (0..<8).map { screen.line($0) }
        let limitRow = lines.firstIndex { $0.hasPrefix(" 500 ms │┄") }
        #expect(limitRow != nil, "\(lines.joined(separator: "\n"))")
        #expect(lines[7].hasPrefix("         -31 s") && lines[7].hasSuffix("now"), "\(lines[7])")
        #expect(lines.contains { $0.hasSuffix("█ ") || $0.hasSuffix("█  ") }, "the canary's 600 ms above the limit: \(lines)")
    }
}
