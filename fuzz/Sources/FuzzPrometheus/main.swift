import GrayProbe

/// Prometheus's answers on any bytes. The first byte chooses: even, the rest is an answer of the
/// query API; odd, a `/federate` answer (its clock a fixed, valid answer).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrometheus(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let mode = bytes.first else { return 0 }
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    if mode % 2 == 0 {
        _ = try? PrometheusReader.decode([(text: text, status: 200)], url: "fuzz")
    } else {
        let clock = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1796000000.5,"1"]}]}}"#
        _ = try? PrometheusReader.decodeFederated((text: text, status: 200), clock: (text: clock, status: 200), url: "fuzz")
    }
    return 0
}
