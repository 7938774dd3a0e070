@preconcurrency import CNcursesw
import Foundation
public import GrayRender

/// The curses screen: opens the terminal, draws ``Screen``s by changed cells only, reads keys, and
/// restores the terminal on ``close()`` (also called on deinit and, as a last resort, at exit).
///
/// Not thread-safe: create, use and close it on one thread. The only module that touches curses.
public final class Terminal {
    private var screenHandle: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var previous: Screen?
    private var theme: Theme
    private let colorEnabled: Bool
    private var attributes: [Role: (attr: attr_t, pair: Int16)] = [:]
    /// True when the locale is UTF-8: Unicode glyphs can be drawn.
    public let unicode: Bool

    /// Opens the terminal for full-screen drawing.
    ///
    /// - Parameters:
    ///   - theme: Colours per role.
    ///   - colorEnabled: False for `NO_COLOR`: attributes only.
    /// - Throws: ``TerminalError`` when standard input/output is not a terminal or `TERM` cannot
    ///   address the cursor; the terminal is left untouched then.
    public init(theme: Theme, colorEnabled: Bool) throws(TerminalError) {
        guard isatty(0) == 1, isatty(1) == 1 else { throw .notATerminal }
        guard let term = ProcessInfo.processInfo.environment["TERM"], !term.isEmpty else { throw .termUnset }
        guard term != "dumb" else { throw .unsupportedTerm(term) }
        setlocale(LC_ALL, "")
        unicode = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
        self.theme = theme
        self.colorEnabled = colorEnabled
        guard let output = fdopen(dup(1), "w"), let input = fdopen(dup(0), "r") else { throw .notATerminal }
        guard let handle = newterm(nil, output, input) else { throw .unsupportedTerm(term) }
        screenHandle = handle
        set_term(handle)
        let cup = tigetstr("cup")
        if cup == nil || Int(bitPattern: cup) == -1 {
            endwin()
            delscreen(handle)
            screenHandle = nil
            throw .unsupportedTerm(term)
        }
        window = grayctl_stdscr()
        cbreak()
        noecho()
        keypad(window, true)
        curs_set(0)
        if colorEnabled, has_colors() {
            start_color()
            use_default_colors()
        }
        Terminal.openCount += 1
        if !Terminal.exitHookInstalled {
            Terminal.exitHookInstalled = true
            atexit { if Terminal.openCount > 0 { endwin() } }
        }
        apply(theme)
    }

    nonisolated(unsafe) private static var openCount = 0
    nonisolated(unsafe) private static var exitHookInstalled = false

    deinit {
        close()
    }

    /// Columns and rows now.
    public var size: (width: Int, height: Int) {
        guard let window else { return (0, 0) }
        return (Int(grayctl_maxx(window)), Int(grayctl_maxy(window)))
    }

    /// Switches colours; the next ``draw(_:)`` repaints everything.
    public func apply(_ theme: Theme) {
        self.theme = theme
        let colors = Int(grayctl_colors())
        let useColor = colorEnabled && has_colors() && colors >= 8
        for (index, role) in Role.allCases.enumerated() {
            let style = useColor ? theme.style(role) : theme.style(role).colorless
            var attr = grayctl_attr_normal()
            if style.bold { attr |= grayctl_attr_bold() }
            if style.dim { attr |= grayctl_attr_dim() }
            if style.reverse { attr |= grayctl_attr_reverse() }
            if style.underline { attr |= grayctl_attr_underline() }
            var pair: Int16 = 0
            if useColor, index + 1 < Int(grayctl_color_pairs()) {
                pair = Int16(index + 1)
                init_pair(pair, Int16(style.foreground.number(colors: colors)), Int16(style.background.number(colors: colors)))
            }
            attributes[role] = (attr, pair)
        }
        previous = nil
    }

    /// Forgets what is on screen, so the next draw repaints all (after a resize).
    public func invalidate() {
        previous = nil
        if let window { wclear(window) }
    }

    /// Draws `screen`, writing only the cells that differ from the last one drawn.
    public func draw(_ screen: Screen) {
        guard let window else { return }
        for index in screen.changedCells(since: previous) {
            put(screen.cells[index], x: index % screen.width, y: index / screen.width, in: window)
        }
        previous = screen
        wnoutrefresh(window)
        doupdate()
    }

    private func put(_ cell: Cell, x: Int, y: Int, in window: UnsafeMutablePointer<WINDOW>) {
        let base = attributes[cell.style.role] ?? (grayctl_attr_normal(), 0)
        var attr = base.attr
        if cell.style.bold { attr |= grayctl_attr_bold() }
        if cell.style.dim { attr |= grayctl_attr_dim() }
        if cell.style.reverse { attr |= grayctl_attr_reverse() }
        var scalar = cell.character.unicodeScalars.first?.value ?? 32
        if !unicode, scalar > 0x7E { scalar = Self.asciiFallback[scalar] ?? 0x3F }
        var characters: [wchar_t] = [wchar_t(scalar), 0]
        var complex = cchar_t()
        setcchar(&complex, &characters, attr, base.pair, nil)
        mvwadd_wch(window, Int32(y), Int32(x), &complex)
    }

    /// Plain stand-ins for the punctuation grayctl's texts use, on terminals without UTF-8.
    private static let asciiFallback: [UInt32: UInt32] = [
        0x00B7: 0x2D, 0x2192: 0x3E, 0x2265: 0x3E, 0x2264: 0x3C, 0x2013: 0x2D, 0x2026: 0x2E, 0x00D7: 0x78,
    ]

    /// Waits up to `milliseconds` for a key or a resize.
    public func read(timeoutMilliseconds milliseconds: Int) -> TerminalInput? {
        guard let window else { return nil }
        wtimeout(window, Int32(milliseconds))
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == KEY_CODE_YES {
            if Int32(character) == KEY_RESIZE { return .resize }
            switch Int32(character) {
            case KEY_ENTER: return .key(.enter)
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            default: return nil
            }
        }
        guard result == OK else { return nil }
        switch character {
        case 27: return .key(.escape)
        case 10, 13: return .key(.enter)
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    /// Restores the terminal (idempotent).
    public func close() {
        guard let handle = screenHandle else { return }
        endwin()
        delscreen(handle)
        screenHandle = nil
        window = nil
        Terminal.openCount -= 1
    }
}
