import GrayProbe

/// Prometheus's answers on any bytes. The first byte chooses: 0 mod 3, the rest is an answer of
/// the query API; 1, a `/federate` answer with a fixed, valid clock; 2, the rest's first line is the
/// clock's answer (`vector(time())`) and the others the `/federate` answer, after a second byte
/// that chooses the federation's HTTP status.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrometheus(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let mode = bytes.first else { return 0 }
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let clock = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1796000000.5,"1"]}]}}"#
    switch mode % 3 {
    case 0:
        _ = try? PrometheusReader.decode([(text: text, status: 200)], url: "fuzz")
    case 1:
        _ = try? PrometheusReader.decodeFederated((text: text, status: 200), clock: (text: clock, status: 200), url: "fuzz")
    default:
        let status = [200, 400, 404, 500][Int(bytes.count > 1 ? bytes[1] : 0) % 4]
        let parts = String(decoding: bytes.dropFirst(2), as: UTF8.self).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let federated = parts.count > 1 ? String(parts[1]) : ""
        _ = try? PrometheusReader.decodeFederated((text: federated, status: status), clock: (text: String(parts.first ?? ""), status: 200), url: "fuzz")
    }
    return 0
}
