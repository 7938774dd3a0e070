import Foundation
public import GrayRender

/// Runs a dashboard on its own thread: the one place that reads keys and draws.
///
/// Other threads hand it messages with ``post(_:)`` (release states, decisions, messages); the
/// loop applies them to the model, renders a frame when something changed (at least twice a
/// second, for clocks and countdowns) and waits up to 100 ms for a key. Commands that leave the
/// dashboard (operator requests, faults) go to `onCommand`; `quit` and theme changes are handled
/// here. ``stop()`` (SIGINT, SIGTERM, SIGHUP) ends the loop; the terminal is restored on every exit path.
public final class DashboardLoop: @unchecked Sendable {
    private let lock = NSLock()
    private var inbox: [DashboardMessage] = []
    private var stopRequested = false
    private let start = ContinuousClock.now

    /// Creates a loop.
    public init() {}

    /// Hands a message to the dashboard (any thread).
    public func post(_ message: DashboardMessage) {
        lock.withLock { inbox.append(message) }
    }

    /// Ends the loop at its next turn (any thread).
    public func stop() {
        lock.withLock { stopRequested = true }
    }

    /// Opens the terminal and runs until quit or ``stop()``, on a thread of its own.
    ///
    /// - Parameters:
    ///   - model: The starting model.
    ///   - themes: The themes `t` cycles through; `theme` is the first.
    ///   - colorEnabled: False for `NO_COLOR`.
    ///   - onStart: Called once the terminal is open (start polling here: nothing happens to a
    ///     release when the terminal cannot be opened).
    ///   - onCommand: Called on the loop's thread for requests and faults.
    /// - Returns: The model at the end.
    /// - Throws: ``TerminalError`` when the terminal cannot be opened.
    public func run(
        model: DashboardModel, theme: Theme, themes: ThemeCatalog, colorEnabled: Bool, onStart: @escaping @Sendable () -> Void,
        onCommand: @escaping @Sendable (DashboardCommand) -> Void
    ) async throws -> DashboardModel {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    let terminal = try Terminal(theme: theme, colorEnabled: colorEnabled)
                    onStart()
                    let final = self.loop(terminal: terminal, model: model, themes: themes, onCommand: onCommand)
                    terminal.close()
                    continuation.resume(returning: final)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "grayctl.dashboard"
            thread.start()
        }
    }

    private var elapsed: Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func loop(terminal: Terminal, model start: DashboardModel, themes: ThemeCatalog, onCommand: @Sendable (DashboardCommand) -> Void) -> DashboardModel {
        var model = start
        var lastFrame = -1.0
        var dirty = true
        while true {
            let (messages, stopping) = lock.withLock { () -> ([DashboardMessage], Bool) in
                defer { inbox.removeAll() }
                return (inbox, stopRequested)
            }
            if stopping { return model }
            for message in messages { _ = model.update(message) }
            dirty = dirty || !messages.isEmpty || elapsed - lastFrame >= 0.5
            if dirty {
                _ = model.update(.ticked(now: elapsed, epoch: Date().timeIntervalSince1970))
                let size = terminal.size
                terminal.draw(DashboardView.render(model, width: size.width, height: size.height, glyphs: terminal.unicode ? .unicode : .ascii))
                lastFrame = elapsed
                dirty = false
            }
            switch terminal.read(timeoutMilliseconds: 100) {
            case .resize?:
                terminal.invalidate()
                dirty = true
            case .key(let key)?:
                dirty = true
                for command in model.update(.keyPressed(key)) {
                    switch command {
                    case .quit: return model
                    case .nextTheme:
                        do {
                            let theme = try themes.next(after: model.themeName)
                            terminal.apply(theme)
                            _ = model.update(.themeChanged(theme.name))
                            _ = model.update(.noted("theme \(theme.name)", alert: false))
                        } catch {
                            _ = model.update(.noted("theme not loaded: \(error)", alert: false))
                        }
                    case .request, .injectFault: onCommand(command)
                    }
                }
            case nil: break
            }
        }
    }
}
