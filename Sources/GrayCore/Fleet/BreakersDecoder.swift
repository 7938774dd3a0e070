/// Reads the `/admin/breakers` JSON of `docs/endpoints.md` into ``BreakerStatus`` values.
public enum BreakersDecoder {
    /// Why a breakers document was not understood.
    public struct DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        /// What is wrong, naming the JSON path.
        public var message: String
        public var description: String { message }
    }

    /// Decodes `{"breakers":[{name, method, state, since, transitions}]}`; unknown fields are ignored.
    public static func decode(_ document: JSONValue) throws(DecodeError) -> [BreakerStatus] {
        guard let list = document["breakers"]?.array else {
            throw DecodeError(message: "expected an object with a \"breakers\" array")
        }
        var result: [BreakerStatus] = []
        for (index, item) in list.enumerated() {
            let path = "breakers[\(index)]"
            guard let name = item["name"]?.string else { throw DecodeError(message: "\(path).name: expected a string") }
            guard let stateText = item["state"]?.string, let state = BreakerStatus.State(rawValue: stateText) else {
                throw DecodeError(message: "\(path).state: expected \"closed\", \"open\" or \"half-open\"")
            }
            var transitions: [BreakerStatus.Transition] = []
            for (transitionIndex, transition) in (item["transitions"]?.array ?? []).enumerated() {
                guard let from = transition["from"]?.string.flatMap(BreakerStatus.State.init(rawValue:)),
                    let to = transition["to"]?.string.flatMap(BreakerStatus.State.init(rawValue:))
                else {
                    throw DecodeError(message: "\(path).transitions[\(transitionIndex)]: expected \"from\" and \"to\" states")
                }
                transitions.append(.init(at: transition["at"]?.string ?? "", from: from, to: to))
            }
            result.append(BreakerStatus(
                name: name, method: item["method"]?.string ?? "", state: state, since: item["since"]?.string,
                transitions: transitions))
        }
        return result
    }
}
