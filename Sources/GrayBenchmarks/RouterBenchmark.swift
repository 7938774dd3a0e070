import Foundation
import GrayCore
import GrayProbe
import GrayRuntime

/// Decision → weight confirmed by read-back at a configured router:
/// `grayctl-bench router CONFIG [writes]`. Alternates weights 5 and 10, each a guarded write (based
/// on the previous reading, as a promotion is) followed by the read-back that confirms it — what a
/// release does between deciding and counting a step. Prints one JSON line with the median and the
/// slowest pair in milliseconds.
enum RouterBenchmark {
    static func run(configPath: String, writes: Int) async {
        let config = Benchmarks.config(at: configPath)
        guard let engine = config.targets[.router]?.engine else { Benchmarks.fail("\(configPath): no targets.router") }
        let router: any TrafficRouter
        do {
            router = try RouterProvider.router(
                for: engine, token: ProcessInfo.processInfo.environment["GRAYCTL_ROUTER_TOKEN"], tls: ProbeTLS(),
                environment: ProcessInfo.processInfo.environment)
        } catch {
            Benchmarks.fail("\(configPath): \(error)")
        }
        let clock = ContinuousClock()
        var reading = await router.read()
        var pairs: [Double] = []
        for index in 0..<max(1, writes) {
            let weight = index % 2 == 0 ? 5 : 10
            guard case .weight(_, let generation) = reading else { Benchmarks.fail("no reading: \(reading)") }
            let start = clock.now
            do {
                try await router.set(weight, expecting: generation, by: "bench")
            } catch {
                Benchmarks.fail("write \(weight)% refused: \(error)")
            }
            reading = await router.read()
            let elapsed = clock.now - start
            guard case .weight(weight, _) = reading else { Benchmarks.fail("read back \(reading), not \(weight)%") }
            pairs.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        let sorted = pairs.sorted()
        print(#"{"benchmark":"router_write_read_back","kind":"\#(config.targets[.router]?.kind ?? "gateway")","writes":\#(pairs.count),"median_ms":\#(Format.fixed(sorted[sorted.count / 2], 2)),"max_ms":\#(Format.fixed(sorted.last ?? 0, 2))}"#)
    }
}
