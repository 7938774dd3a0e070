import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import OrderAPI
import OrderLoad
import OrderService
import SwiftProtobuf

/// `order-load`: a ghz-like load generator for `order.v1.OrderService`.
@main
struct OrderLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order-load",
        abstract: "Send CreateOrder load (unary or on bidirectional streams) and report latency like ghz.",
        discussion: """
            Always bounded: by --total requests, by --duration seconds, or both (whichever comes first); \
            without either, 1,000 requests. A progress line goes to stderr every second.

            Examples:
              order-load --target 127.0.0.1:50051 --call stream --concurrency 50 --duration 20
              order-load --target 127.0.0.1:50051 --total 2000 --rps 200 --json
            """
    )

    @Option(help: "host:port of the gRPC server (instance or gateway).")
    var target: String

    @Option(help: "unary or stream.")
    var call: String = "unary"

    @Option(help: "Concurrent workers.")
    var concurrency: Int = 10

    @Option(help: "Stop after this many requests.")
    var total: Int?

    @Option(help: "Stop after this many seconds (at most 3600).")
    var duration: Double?

    @Option(help: "Cap on requests per second over all workers.")
    var rps: Double?

    @Option(help: "Request template as JSON; {{n}} becomes the request number.")
    var data: String = #"{"user_id":"load-{{n}}","items":[{"sku_id":"sku-1","count":1}]}"#

    @Option(name: .customLong("tls-ca"), help: "Use TLS and verify the server against this CA (PEM).")
    var tlsCA: String?

    @Option(name: .customLong("tls-cert"), help: "Client certificate for mutual TLS (PEM).")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "Private key of --tls-cert (PEM).")
    var tlsKey: String?

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func validate() throws {
        guard LoadPlan.Call(rawValue: call) != nil else { throw ValidationError("--call must be unary or stream, not \(call)") }
        guard (1...10_000).contains(concurrency) else { throw ValidationError("--concurrency must be in 1...10000") }
        if let total, total < 1 { throw ValidationError("--total must be at least 1") }
        if let duration, !(0.1...3600).contains(duration) { throw ValidationError("--duration must be in 0.1...3600 seconds") }
        if let rps, rps <= 0 { throw ValidationError("--rps must be above 0") }
        if let problem = TLSFiles(certificate: tlsCert, key: tlsKey, authority: tlsCA).problem { throw ValidationError(problem) }
        guard let colon = target.lastIndex(of: ":"), Int(target[target.index(after: colon)...]) != nil else {
            throw ValidationError("--target must be host:port, not \(target)")
        }
    }

    func run() async throws {
        let template: Order_V1_CreateOrderRequest
        do {
            template = try Order_V1_CreateOrderRequest(jsonString: data)
        } catch {
            throw ValidationError("--data is not a CreateOrderRequest in JSON: \(error)")
        }
        let plan = LoadPlan(
            call: LoadPlan.Call(rawValue: call)!, concurrency: concurrency,
            total: total ?? (duration == nil ? 1_000 : nil), duration: duration, rps: rps, template: template)
        let colon = target.lastIndex(of: ":")!
        let host = String(target[..<colon])
        let port = Int(target[target.index(after: colon)...])!
        let report = try await withGRPCClient(
            transport: .http2NIOPosix(
                target: .dns(host: host, port: port),
                transportSecurity: TLSFiles(certificate: tlsCert, key: tlsKey, authority: tlsCA).client, config: .answeringPings)
        ) { client in
            try await LoadRunner.run(plan, client: Order_V1_OrderService.Client(wrapping: client)) { answered, failed, elapsed in
                let rate = elapsed > 0 ? Double(answered) / elapsed : 0
                let line = String(format: "order-load: %.0f s, %d answered (%d failed), %.0f/s\n", elapsed, answered, failed, rate)
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        FileHandle.standardOutput.write(Data((json ? report.json + "\n" : report.text).utf8))
    }
}
