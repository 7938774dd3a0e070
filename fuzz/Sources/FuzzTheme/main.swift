import GrayRender

/// The theme parser on any text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTheme(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? ThemeParser.parse(text, name: "fuzz", file: "fuzz.theme")
    return 0
}
