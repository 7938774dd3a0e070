import Foundation
import GrayRender
import Testing

@Suite("themes are data files")
struct ThemeTests {
    /// Every `.theme` file in `themes/`, read from the folder (a new theme is tested without a list to edit).
    static let shipped: [String] = {
        let folder = Snapshot.url("themes")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }.sorted()
    }()

    @Test("themes/ holds the four documented themes at least")
    func folderListed() {
        #expect(Set(["dark", "light", "high-contrast", "monochrome"]).isSubset(of: Set(Self.shipped)), "\(Self.shipped)")
    }

    @Test("every file in themes/ loads without warnings and sets every role", arguments: shipped)
    func shippedThemes(name: String) throws {
        let file = Snapshot.url("themes/\(name).theme")
        let theme = try ThemeParser.parse(String(contentsOf: file, encoding: .utf8), name: name, file: file.path)
        #expect(theme.warnings.isEmpty)
        let text = try String(contentsOf: file, encoding: .utf8)
        for role in Role.allCases {
            #expect(text.contains("\n\(role.rawValue) = "), "\(name).theme does not set \(role.rawValue)")
        }
    }

    @Test("the monochrome theme uses no colour")
    func monochrome() throws {
        let file = Snapshot.url("themes/monochrome.theme")
        let theme = try ThemeParser.parse(String(contentsOf: file, encoding: .utf8), name: "monochrome", file: file.path)
        for role in Role.allCases {
            #expect(theme.style(role).foreground == .terminalDefault && theme.style(role).background == .terminalDefault)
        }
    }

    @Test("a bad value names the file, the line and the key")
    func badValue() {
        #expect(throws: ThemeError.badValue(file: "my.theme", line: 3, key: "gate_pass", word: "grene")) {
            try ThemeParser.parse("# mine\ntext = white\ngate_pass = grene bold\n", name: "my", file: "my.theme")
        }
        let message = ThemeError.badValue(file: "my.theme", line: 3, key: "gate_pass", word: "grene").description
        #expect(message.hasPrefix("my.theme:3: key gate_pass: \"grene\""))
    }

    @Test("a line without = is an error with its line number")
    func notAnAssignment() {
        #expect(throws: ThemeError.notAnAssignment(file: "x.theme", line: 2, text: "gate_pass green")) {
            try ThemeParser.parse("text = white\ngate_pass green\n", name: "x", file: "x.theme")
        }
    }

    @Test("an unknown key warns, a missing key falls back to the default")
    func unknownAndMissing() throws {
        let theme = try ThemeParser.parse("gate_pas = green\ntext = red on black bold\n", name: "t", file: "t.theme")
        #expect(theme.warnings == ["t.theme:1: unknown key gate_pas ignored"])
        #expect(theme.style(.text) == ThemeStyle(.indexed(1), on: .indexed(0), bold: true))
        #expect(theme.style(.gatePass) == Theme.defaults[.gatePass])
    }

    @Test("256-colour values fall back to the nearest basic colour on small terminals")
    func fallback() {
        #expect(ThemeColor.indexed(196).number(colors: 256) == 196)
        #expect(ThemeColor.indexed(196).number(colors: 8) == 1)
        #expect(ThemeColor.indexed(46).number(colors: 8) == 2)
        #expect(ThemeColor.indexed(12).number(colors: 8) == 4)
        #expect(ThemeColor.indexed(250).number(colors: 16) == 7)
        #expect(ThemeColor.terminalDefault.number(colors: 256) == -1)
    }
}
