@testable import GrayCore
import Testing

@Suite("Where a live command finds grayctl.yaml")
struct ConfigLocationTests {
    static let environment = ["HOME": "/home/ana", "XDG_CONFIG_HOME": "/etc/ana-config/"]

    @Test("--config wins, whether or not the file exists (reading it names a missing one)")
    func explicit() throws {
        #expect(try ConfigLocation.resolve(explicit: "x.yaml", directory: "/w", environment: Self.environment) { _ in false } == "x.yaml")
    }

    @Test("then ./grayctl.yaml, then $XDG_CONFIG_HOME/grayctl/grayctl.yaml")
    func order() throws {
        #expect(try ConfigLocation.resolve(explicit: nil, directory: "/w", environment: Self.environment) { _ in true } == "/w/grayctl.yaml")
        #expect(try ConfigLocation.resolve(explicit: nil, directory: "/w/", environment: Self.environment) { $0 != "/w/grayctl.yaml" }
            == "/etc/ana-config/grayctl/grayctl.yaml")
    }

    @Test("XDG_CONFIG_HOME unset, empty or relative falls back to ~/.config (the XDG Base Directory spec)", arguments: [nil, "", "rel/dir"])
    func fallback(xdg: String?) throws {
        var environment = ["HOME": "/home/ana"]
        environment["XDG_CONFIG_HOME"] = xdg
        #expect(try ConfigLocation.resolve(explicit: nil, directory: "/w", environment: environment) { $0.hasPrefix("/home") }
            == "/home/ana/.config/grayctl/grayctl.yaml")
    }

    @Test("nothing found: the error names every place looked at and how to give one")
    func notFound() {
        #expect(throws: ConfigLocation.NotFound(looked: ["/w/grayctl.yaml", "/etc/ana-config/grayctl/grayctl.yaml"])) {
            try ConfigLocation.resolve(explicit: nil, directory: "/w", environment: Self.environment) { _ in false }
        }
        let error = ConfigLocation.NotFound(looked: ["/w/grayctl.yaml"])
        #expect(error.description == "no --config given and no grayctl.yaml at /w/grayctl.yaml: pass --config FILE (docs/examples has worked ones)")
        #expect(throws: ConfigLocation.NotFound(looked: ["/w/grayctl.yaml"])) {
            try ConfigLocation.resolve(explicit: nil, directory: "/w", environment: [:]) { _ in false }
        }
    }
}
