import GrayCore

/// What an answer of Prometheus's query API says, read member by member: its status, its error,
/// and an instant vector's series as label pairs and one sample. Members it does not know
/// (`warnings`, `infos`, `stats`, a matrix's `values`) are read and left; a value of the wrong
/// JSON type is an error at its position.
struct VectorAnswer {
    /// One series of the vector.
    struct Item {
        /// Its labels in the answer's order (`__name__` among them).
        var labels: [(String, String)] = []
        /// The sample's time, seconds.
        var seconds: Double?
        /// The sample's value as Prometheus wrote it.
        var value: String?

        /// The value of `name`, if the series has it.
        func label(_ name: String) -> String? {
            labels.first { $0.0 == name }?.1
        }
    }

    var status: String?
    var errorType: String?
    var error: String?
    var resultType: String?
    var result: [Item] = []

    /// Reads the answer's one object from `parser`.
    init(_ parser: inout JSONParser) throws(JSONError) {
        try parser.readObject { key, parser throws(JSONError) in
            switch key {
            case "status": status = try parser.readString()
            case "errorType": errorType = try parser.readString()
            case "error": error = try parser.readString()
            case "data": try readData(&parser)
            default: _ = try parser.readValue()
            }
        }
    }

    private mutating func readData(_ parser: inout JSONParser) throws(JSONError) {
        try parser.readObject { key, parser throws(JSONError) in
            switch key {
            case "resultType": resultType = try parser.readString()
            case "result" where resultType == nil || resultType == "vector":
                try parser.readArray { parser throws(JSONError) in result.append(try Self.item(&parser)) }
            default: _ = try parser.readValue()
            }
        }
    }

    private static func item(_ parser: inout JSONParser) throws(JSONError) -> Item {
        var item = Item()
        try parser.readObject { key, parser throws(JSONError) in
            switch key {
            case "metric":
                try parser.readObject { label, parser throws(JSONError) in item.labels.append((label, try parser.readString())) }
            case "value":
                var index = 0
                try parser.readArray { parser throws(JSONError) in
                    switch index {
                    case 0: item.seconds = try parser.readNumber()
                    case 1: item.value = try parser.readString()
                    default: _ = try parser.readValue()
                    }
                    index += 1
                }
                if index != 2 { item.seconds = nil }
            default: _ = try parser.readValue()
            }
        }
        return item
    }
}
