import Foundation

/// Where grayctl keeps the files of one router, named after its URL so that every grayctl driving
/// that router finds them from any working directory: the lock (temporary folder) and the default
/// journal (`$XDG_STATE_HOME/grayctl/`, else `~/.local/state/grayctl/`).
public enum RouterPaths {
    /// The router URL as a file name: lower case, trailing `/` dropped, letters and digits kept,
    /// everything else `_` (so `HTTP://Gw:9090/` and `http://gw:9090` are one router).
    static func key(_ routerURL: String) -> String {
        var url = Substring(routerURL.lowercased())
        while url.hasSuffix("/") { url = url.dropLast() }
        return String(url.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// The lock file of `routerURL`.
    static func lock(_ routerURL: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("grayctl-router-\(key(routerURL)).lock").path
    }

    /// The default journal of `routerURL`, from the environment's `XDG_STATE_HOME` or `HOME`.
    public static func journal(_ routerURL: String, environment: [String: String]) -> String {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"].map { $0 + "/.local/state" } ?? FileManager.default.temporaryDirectory.path)
        return state + "/grayctl/journal-\(key(routerURL)).jsonl"
    }
}
