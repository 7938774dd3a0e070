import Foundation
public import GrayCore
public import GrayProbe

/// HAProxy as the traffic router: two servers (stable, canary) of one backend, weighted through
/// the runtime API (`get weight` / `set weight` on the admin socket, `level admin`).
///
/// A canary percentage `p` is the server weights `100 − p` and `p` (HAProxy's scale is 0...256),
/// so the split is exact. HAProxy has no version of its own: a reading's token is the two weights,
/// and a write based on a reading first checks that HAProxy still shows them — if someone changed
/// them, the write is a conflict and the release re-reads and decides again. The side whose weight
/// rises is written first, so the share in between lies between the two ends and the backend never
/// has both servers at 0. The weights are HAProxy's configured ones: a server that is DOWN or in
/// maintenance, or stickiness that keeps clients on a server at weight 0, is not seen in them.
public struct HAProxyRouter: TrafficRouter {
    private let socket: CommandSocket
    private let backend: String
    private let servers: RouterSides

    /// The backend `backend` whose servers `servers` are stable and canary, through `socket`.
    public init(socket: CommandSocket, backend: String, servers: RouterSides) {
        self.socket = socket
        self.backend = backend
        self.servers = servers
    }

    public func read() async -> RecordEntry {
        do {
            return try await current().reading(nowhere: "HAProxy backend \(backend): both servers have weight 0 (no traffic is routed)")
        } catch {
            return .error(.router, endpoint: "weight", message: error.description)
        }
    }

    public func set(_ weight: Int, expecting generation: String?, by actor: String) async throws(RouterWriteError) {
        let target = SplitWeights(percent: weight)
        var before: SplitWeights?
        do {
            before = try await current()
        } catch {
            if generation != nil { throw .failed(error.description) }
        }
        if let generation, let before, before.token != generation {
            throw .conflict("HAProxy backend \(backend) changed since it was read: now \(before.token), the decision was based on \(generation)")
        }
        let canary = "set weight \(backend)/\(servers.canary) \(target.canary)"
        let stable = "set weight \(backend)/\(servers.stable) \(target.stable)"
        let commands = target.canaryFirst(from: before) ? [canary, stable] : [stable, canary]
        for command in commands {
            let answer: String
            do {
                answer = try await socket.send(command)
            } catch {
                throw .failed(error.description)
            }
            let said = answer.trimmingCharacters(in: .whitespacesAndNewlines)
            guard said.isEmpty else { throw .failed("HAProxy refused `\(command)`: \(said)") }
        }
    }

    /// The runtime API session's level (`show cli level`): `set weight` needs `admin`.
    public func writeAccess() async -> WriteAccess {
        let answer: String
        do {
            answer = try await socket.send("show cli level")
        } catch {
            return .unknown(error.description)
        }
        let level = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if level == "admin" { return .granted("HAProxy's runtime API session is at level admin (set weight allowed)") }
        guard level == "operator" || level == "user" else {
            return .unknown("HAProxy answered `show cli level` with \"\(level.prefix(80))\" (HAProxy 2.0 or later says admin, operator or user)")
        }
        return .refused(
            "HAProxy's runtime API session is at level \"\(level.prefix(80))\": set weight needs level admin (the stats socket's `level admin`)")
    }

    /// The two servers' current weights.
    private func current() async throws(ProbeError) -> SplitWeights {
        let answer = try await socket.send("get weight \(backend)/\(servers.stable); get weight \(backend)/\(servers.canary)")
        return try Self.weights(answer: answer, place: "HAProxy \(backend)/\(servers.stable), \(backend)/\(servers.canary)")
    }

    /// The two weights in HAProxy's answer to `get weight STABLE; get weight CANARY` (`5 (initial
    /// 0)` a line); anything else is an error quoting it, with `place` naming the servers.
    public static func weights(answer: String, place: String) throws(ProbeError) -> SplitWeights {
        let lines = answer.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let numbers = lines.map { line in line.split(separator: " ").first.flatMap { Int($0) } }
        guard numbers.count == 2, let stable = numbers[0], let canary = numbers[1] else {
            throw .badResponse(url: place, reason: "expected two weights, got \"\(lines.joined(separator: " | ").prefix(200))\"")
        }
        return SplitWeights(stable: stable, canary: canary)
    }
}
