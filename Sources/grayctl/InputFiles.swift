import ArgumentParser
import Foundation
import GrayCore

/// A bad file or setting given on the command line; exits 2 with the message.
struct InputError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Reading the files a command is given, with errors that name them.
enum InputFiles {
    /// The text of `path`, or an ``InputError`` naming it.
    static func read(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file"
            throw InputError("cannot read \(what) \(path): \(reason)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw InputError("\(path): \(what) is not UTF-8 text")
        }
        return text
    }

    /// The configuration at `path`, or the defaults when nil.
    static func loadConfig(_ path: String?) throws -> GrayConfig {
        guard let path else { return GrayConfig() }
        let text = try read(path, what: "config")
        do {
            return try ConfigLoader.load(text)
        } catch {
            throw InputError("\(path): \(error)")
        }
    }

    /// Writes `text` to standard output unbuffered. A closed or full output (`| head`, a full disk)
    /// is said once on standard error and the run goes on: a release is never left unwatched
    /// because its log could not be written.
    static func write(_ text: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            guard outputFailure.isFirst() else { return }
            writeError("grayctl: standard output cannot be written (\(error.localizedDescription)): carrying on; the verdict is in the exit status\n")
        }
    }

    /// Writes `message` to standard error and exits 2 (bad input).
    static func fail(_ message: String) -> Never {
        writeError(message + "\n")
        exit(2)
    }

    /// Writes a warning line to standard error.
    static func warn(_ text: String) {
        writeError("grayctl: warning: " + text + "\n")
    }

    /// Writes a line for the operator to standard error.
    static func note(_ text: String) {
        writeError("grayctl: " + text + "\n")
    }

    /// Writes to standard error; a failure there has nowhere left to be said and is dropped.
    static func writeError(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }

    private static let outputFailure = OnceFlag()
}

/// True the first time it is asked, false ever after (thread-safe): says a repeated failure once.
final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var asked = false

    /// Whether this is the first call.
    func isFirst() -> Bool {
        lock.withLock {
            defer { asked = true }
            return !asked
        }
    }
}
