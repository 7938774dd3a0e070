import GrayCore

/// The JSON parser on any bytes; a document it accepts is written back and, when all its numbers
/// are finite (the writer's contract: an infinity, from a literal beyond Double's range, is written
/// as `null`), must parse to the same value; it then goes through the decoders that take parsed
/// JSON (breakers, Kubernetes routes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
    guard let value = try? JSONParser.parse(bytes: bytes) else { return 0 }
    if isFinite(value) {
        let written = JSONWriter.write(value)
        guard let again = try? JSONParser.parse(written), again == value else {
            fatalError("JSONWriter's text does not parse back to the same value: \(written.prefix(200))")
        }
    }
    _ = try? BreakersDecoder.decode(value)
    _ = try? KubernetesRoute.locate(value, kind: .virtualService, sides: RouterSides())
    _ = try? KubernetesRoute.locate(value, kind: .httpRoute, sides: RouterSides())
    return 0
}

/// Whether every number in `value` is finite.
func isFinite(_ value: JSONValue) -> Bool {
    switch value {
    case .number(let number): number.isFinite
    case .array(let items): items.allSatisfy(isFinite)
    case .object(let members): members.values.allSatisfy(isFinite)
    default: true
    }
}
