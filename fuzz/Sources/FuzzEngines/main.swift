import GrayCore
import GrayProbe
import GrayRuntime

/// Each traffic engine's answer decoder on any bytes. The first byte chooses the decoder: Envoy's
/// `/runtime` and `/config_dump`, HAProxy's `get weight` answer, the gateway's `/admin/canary`, or
/// a Kubernetes VirtualService or HTTPRoute object.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEngines(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let mode = bytes.first else { return 0 }
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let sides = RouterSides()
    switch mode % 6 {
    case 0:
        _ = (try? EnvoyRouter.weights(runtime: text, stableKey: "grayctl.stable", canaryKey: "grayctl.canary", url: "fuzz"))?.reading(nowhere: "fuzz")
    case 1:
        if let dump = try? JSONParser.parse(text) { _ = EnvoyRouter.routeUses(dump, prefix: "grayctl", clusters: sides) }
    case 2:
        _ = (try? HAProxyRouter.weights(answer: text, place: "fuzz"))?.reading(nowhere: "fuzz")
    case 3:
        _ = try? GatewayRouter.reading(text, etag: nil, url: "fuzz")
    case 4:
        if let object = try? JSONParser.parse(text), let route = try? KubernetesRoute.locate(object, kind: .virtualService, sides: sides) {
            _ = route.patch(to: SplitWeights(stable: 90, canary: 10), guarded: true)
        }
    default:
        if let object = try? JSONParser.parse(text), let route = try? KubernetesRoute.locate(object, kind: .httpRoute, sides: sides) {
            _ = route.patch(to: SplitWeights(stable: 90, canary: 10), guarded: true)
        }
    }
    return 0
}
