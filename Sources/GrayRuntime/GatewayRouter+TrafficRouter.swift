public import GrayCore
public import GrayProbe

extension GatewayRouter: TrafficRouter {
    /// Sets the weight with `If-Match: "generation"` when given.
    public func set(_ weight: Int, expecting generation: String?, by actor: String) async throws(RouterWriteError) {
        do {
            try await change(weight, ifMatch: generation, by: actor)
        } catch {
            switch error {
            case .conflict: throw .conflict(error.description)
            case .failed: throw .failed(error.description)
            }
        }
    }
}
