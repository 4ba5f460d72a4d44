import ParleyCore

/// A request body read from a JSON object by hand, through `JSONTextReader` instead of `JSONDecoder`.
///
/// For the bodies of the busiest routes (the message route's, on every visitor message). A conforming type reads its
/// members through `JSONFields`, whose errors say what `JSONBody` says for a `Decodable` body of the same shape.
protocol JSONObjectReadable {
    /// Reads the value from the members of the body's object.
    init(fields: JSONFields) throws
}

/// The members of a JSON object body, read by name; a missing or mistyped member is a 422 naming it.
struct JSONFields {
    let members: [String: JSONValue]

    /// The string member `key`.
    func string(_ key: String) throws -> String {
        switch members[key] {
        case .string(let text)?: return text
        case nil: throw APIError.unprocessable("missing field '\(key)'")
        case .null?: throw APIError.unprocessable("field '\(key)' must be a string, not null")
        case _?: throw APIError.unprocessable("field '\(key)' must be a string")
        }
    }

    /// The string member `key`, or nil when it is missing or null.
    func optionalString(_ key: String) throws -> String? {
        switch members[key] {
        case .string(let text)?: return text
        case nil, .null?: return nil
        case _?: throw APIError.unprocessable("field '\(key)' must be a string")
        }
    }
}
