/// The two weighted destinations of a Kubernetes route object: an Istio VirtualService
/// (`spec.http[i].route[j]`, a destination named by its `subset`, else its `host`) or a Gateway API
/// HTTPRoute (`spec.rules[i].backendRefs[j]`, named by `name`). Pure: JSON in, weights and the
/// JSON patch that sets them out.
public struct KubernetesRoute: Equatable, Sendable {
    /// Which resource.
    public enum Kind: String, Sendable {
        /// `networking.istio.io` VirtualService.
        case virtualService
        /// `gateway.networking.k8s.io` HTTPRoute.
        case httpRoute

        /// The resource's name in messages.
        public var title: String { self == .virtualService ? "VirtualService" : "HTTPRoute" }
    }

    /// Which resource the object is.
    public var kind: Kind
    /// One located destination: its index in the rule and where its name is (for a test op).
    public struct Destination: Equatable, Sendable {
        /// Its index among the rule's destinations.
        public var index: Int
        /// The JSON pointer, below the destination, of the name it was found by.
        public var namePath: String
    }

    /// The index of the rule holding both destinations.
    public var rule: Int
    /// The stable destination.
    public var stable: Destination
    /// The canary destination.
    public var canary: Destination
    /// Their weights.
    public var weights: SplitWeights
    /// The object's `metadata.resourceVersion`: the version a guarded write is based on.
    public var resourceVersion: String
    /// The destination names (stable, canary) the route was located by.
    public var sides: RouterSides

    /// Why a route object cannot be used.
    public enum LocateError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The object is not shaped as the resource.
        case notResource(String)
        /// No rule has both destinations.
        case destinationsMissing(String)
        /// The rule sends traffic to a destination that is neither side.
        case otherDestinations(String)

        public var description: String {
            switch self {
            case .notResource(let message), .destinationsMissing(let message), .otherDestinations(let message): message
            }
        }
    }

    /// The route of `object` (the resource as the API server answers it) whose rule has the
    /// destinations `sides`: the first such rule. Any other rule that sends traffic to the canary
    /// (a header match, a second split) is an error: grayctl's weight would not be the canary's
    /// share, and a rollback read back as 0 % would leave it traffic.
    public static func locate(_ object: JSONValue, kind: Kind, sides: RouterSides) throws(LocateError) -> KubernetesRoute {
        let (rulesKey, destinationsKey) = kind == .virtualService ? ("http", "route") : ("rules", "backendRefs")
        guard let version = object["metadata"]?["resourceVersion"]?.string, let rules = object["spec"]?[rulesKey]?.array else {
            throw .notResource("not a \(kind.title) (expected metadata.resourceVersion and spec.\(rulesKey))")
        }
        for (ruleIndex, rule) in rules.enumerated() {
            guard let destinations = rule[destinationsKey]?.array else { continue }
            let named = destinations.map { name(of: $0, kind: kind) }
            let names = named.map(\.name)
            guard let stable = names.firstIndex(of: sides.stable), let canary = names.firstIndex(of: sides.canary) else { continue }
            let weights = destinations.map { weight(of: $0, kind: kind, alone: destinations.count == 1) }
            let others = names.indices.filter { $0 != stable && $0 != canary && weights[$0] != 0 }
            guard others.isEmpty else {
                throw .otherDestinations(
                    "spec.\(rulesKey)[\(ruleIndex)] also sends traffic to \(others.map { names[$0] ?? "?" }.joined(separator: ", ")): grayctl splits between \(sides.stable) and \(sides.canary) only")
            }
            for (otherIndex, other) in rules.enumerated() where otherIndex != ruleIndex {
                let otherDestinations = other[destinationsKey]?.array ?? []
                let reaches = otherDestinations.contains { destination in
                    name(of: destination, kind: kind).name == sides.canary && weight(of: destination, kind: kind, alone: otherDestinations.count == 1) > 0
                }
                if reaches {
                    throw .otherDestinations(
                        "spec.\(rulesKey)[\(otherIndex)] also sends traffic to the canary \(sides.canary), outside spec.\(rulesKey)[\(ruleIndex)]'s split: grayctl's weight would not be its share")
                }
            }
            return KubernetesRoute(
                kind: kind, rule: ruleIndex, stable: Destination(index: stable, namePath: named[stable].path),
                canary: Destination(index: canary, namePath: named[canary].path),
                weights: SplitWeights(stable: weights[stable], canary: weights[canary]), resourceVersion: version, sides: sides)
        }
        throw .destinationsMissing(
            "no spec.\(rulesKey)[] entry has both destinations \(sides.stable) and \(sides.canary) (\(kind == .virtualService ? "a subset, else a host" : "a backendRef name"))")
    }

    /// The JSON patch (`application/json-patch+json`) that sets `weights`: each destination's name
    /// tested (a route edited meanwhile fails instead of being misread), both weights set, and with
    /// `guarded`, `metadata.resourceVersion` set to the version read — the API server then applies
    /// it only to that version (409 Conflict otherwise).
    public func patch(to weights: SplitWeights, guarded: Bool) -> String {
        let (rulesKey, destinationsKey) = kind == .virtualService ? ("http", "route") : ("rules", "backendRefs")
        let base = "/spec/\(rulesKey)/\(rule)/\(destinationsKey)"
        func nameTest(_ destination: Destination, _ name: String) -> JSONValue {
            .object(["op": .string("test"), "path": .string("\(base)/\(destination.index)\(destination.namePath)"), "value": .string(name)])
        }
        func set(_ index: Int, _ weight: Int) -> JSONValue {
            .object(["op": .string("add"), "path": .string("\(base)/\(index)/weight"), "value": .number(Double(weight))])
        }
        var operations: [JSONValue] = []
        if guarded {
            operations.append(.object(["op": .string("replace"), "path": .string("/metadata/resourceVersion"), "value": .string(resourceVersion)]))
        }
        operations += [nameTest(stable, sides.stable), nameTest(canary, sides.canary)]
        // One patch is applied at once; the order is the engines' (the rising side first) all the same.
        let stableSet = set(stable.index, weights.stable)
        let canarySet = set(canary.index, weights.canary)
        operations += weights.canaryFirst(from: self.weights) ? [canarySet, stableSet] : [stableSet, canarySet]
        return JSONWriter.write(.array(operations))
    }

    /// A destination's name and where it is: an Istio destination's subset, else its host; a
    /// backendRef's name.
    private static func name(of destination: JSONValue, kind: Kind) -> (name: String?, path: String) {
        switch kind {
        case .virtualService:
            if let subset = destination["destination"]?["subset"]?.string { return (subset, "/destination/subset") }
            return (destination["destination"]?["host"]?.string, "/destination/host")
        case .httpRoute:
            return (destination["name"]?.string, "/name")
        }
    }

    /// A destination's weight: Istio's is 0 when absent beside others (100 alone); a backendRef's
    /// is 1 when absent (the Gateway API default).
    private static func weight(of destination: JSONValue, kind: Kind, alone: Bool) -> Int {
        guard let number = destination["weight"]?.number, number.isFinite, number >= 0, number < 1e9 else {
            return kind == .httpRoute ? 1 : (alone ? 100 : 0)
        }
        return Int(number)
    }
}
