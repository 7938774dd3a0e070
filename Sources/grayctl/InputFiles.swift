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

    /// Writes `text` to standard output unbuffered.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes `message` to standard error and exits 2 (bad input).
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }

    /// Writes a warning line to standard error.
    static func warn(_ text: String) {
        FileHandle.standardError.write(Data(("grayctl: warning: " + text + "\n").utf8))
    }
}
