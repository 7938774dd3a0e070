import Foundation
import Testing

/// A detached tmux session on a private server socket, running one command in a pane of a given
/// size: the real binary in a real terminal, driven with send-keys and read with capture-pane.
final class TmuxPane {
    private let socket = "grayctl-test-\(UInt32.random(in: 0...UInt32.max))"
    private let session = "pane"

    /// Starts `command` (a shell command line) with `environment` in a `width`×`height` pane, in a
    /// UTF-8 locale whatever the caller's.
    init(_ command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        let exports = (["LANG": "C.UTF-8"].merging(environment) { $1 }).map { "export \($0.key)='\($0.value)'; " }.joined()
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "bash", "-c", exports + command])
    }

    deinit {
        _ = try? tmux(["kill-server"])
    }

    /// The pane's text now; with `escapes`, with its colour and attribute escape sequences.
    func screen(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", session])
    }

    /// Types keys (tmux key names: `p`, `y`, `Space`, `Escape`).
    func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", session] + keys)
    }

    /// Closes the terminal: the session is killed, and the kernel hangs up (SIGHUP) on what ran in it.
    func close() throws {
        try tmux(["kill-session", "-t", session])
    }

    /// Resizes the pane's window.
    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits up to `seconds` until the screen satisfies `condition`; returns the last screen.
    @discardableResult
    func wait(_ seconds: Double, for what: String, sourceLocation: SourceLocation = #_sourceLocation, until condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var text = ""
        while Date() < deadline {
            text = try screen()
            if condition(text) { return text }
            Thread.sleep(forTimeInterval: 0.2)
        }
        Issue.record("waited \(seconds) s for \(what); the screen was:\n\(text)", sourceLocation: sourceLocation)
        return text
    }

    /// Waits until `text` is on screen.
    @discardableResult
    func wait(_ seconds: Double, for text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try wait(seconds, for: "\"\(text)\"", sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Runs tmux with posix_spawn and waitpid: Foundation's Process waits for every descriptor it
    /// handed the child to close, and the tmux server that `new-session` forks keeps them forever.
    /// The server, and what runs in its panes, starts with no signal blocked or ignored.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["tmux", "-u", "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // A clean signal state, as a user's shell has: a test's thread blocks every signal, and
        // the pane's shell and grayctl would inherit that (a closed pane's SIGHUP never arriving).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        guard posix_spawnp(&pid, "tmux", &actions, &attributes, argv, environ) == 0 else {
            throw CocoaError(.executableNotLoadable)
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        defer { unlink(output) }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}
