/// Where a live command finds its `grayctl.yaml`: `--config` when given, else `./grayctl.yaml`,
/// else `$XDG_CONFIG_HOME/grayctl/grayctl.yaml` (`~/.config/grayctl/grayctl.yaml` when
/// `XDG_CONFIG_HOME` is unset or empty, as the XDG Base Directory spec says). Pure: the caller
/// says which files exist.
public enum ConfigLocation {
    /// No `--config` and no file at any of the places looked at, in the order they were looked at.
    public struct NotFound: Error, Equatable, CustomStringConvertible {
        /// The paths looked at.
        public var looked: [String]

        public var description: String {
            "no --config given and no grayctl.yaml at \(looked.joined(separator: " or ")): pass --config FILE (docs/examples has worked ones)"
        }
    }

    /// The config file to read: `explicit` as given, else the first of the default places for which
    /// `exists` is true (`directory` is the working directory, `environment` the process's).
    public static func resolve(
        explicit: String?, directory: String, environment: [String: String], exists: (String) -> Bool
    ) throws(NotFound) -> String {
        if let explicit { return explicit }
        let candidates = places(directory: directory, environment: environment)
        guard let found = candidates.first(where: exists) else { throw NotFound(looked: candidates) }
        return found
    }

    /// The default places, in order.
    static func places(directory: String, environment: [String: String]) -> [String] {
        let local = (directory.hasSuffix("/") ? directory : directory + "/") + "grayctl.yaml"
        let base: String? = if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            xdg
        } else if let home = environment["HOME"], !home.isEmpty {
            home + "/.config"
        } else {
            nil
        }
        return [local] + (base.map { [($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/grayctl/grayctl.yaml"] } ?? [])
    }
}
