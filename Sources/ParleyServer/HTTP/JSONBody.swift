import Foundation
import Hummingbird
import ParleyCore

/// Reads request bodies as JSON, turning each way a body can be wrong into a clear API error.
enum JSONBody {
    /// Decodes the body as `T`: 413 when too large, 400 for bytes that are not UTF-8 JSON, 422 for JSON of the
    /// wrong shape.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext) async throws
        -> T
    {
        guard let value = try await decodeIfPresent(type, from: request, context: context) else {
            throw APIError.badRequest("empty_body", "the request needs a JSON body")
        }
        return value
    }

    /// Reads the body as `T` through `JSONTextReader`, with the same errors as `decode` gives a `Decodable` body.
    static func decode<T: JSONObjectReadable>(_ type: T.Type, from request: Request, context: AppRequestContext)
        async throws -> T
    {
        let buffer = try await collect(request, context: context)
        guard buffer.readableBytes > 0 else {
            throw APIError.badRequest("empty_body", "the request needs a JSON body")
        }
        let value: JSONValue
        do {
            value = try buffer.withUnsafeReadableBytes { raw in
                try JSONTextReader.value(of: raw.assumingMemoryBound(to: UInt8.self))
            }
        } catch {
            guard buffer.withUnsafeReadableBytes({ String(validating: $0, as: UTF8.self) }) != nil else {
                throw APIError.badRequest("invalid_utf8", "the request body is not valid UTF-8")
            }
            throw APIError.badRequest("invalid_json", "the request body is not valid JSON")
        }
        guard let members = value.objectValue else { throw APIError.unprocessable("the body must be a JSON object") }
        try refuseNUL(ifEscaped: buffer.withUnsafeReadableBytes(NULCharacter.isEscaped(inJSON:)))
        return try T(fields: JSONFields(members: members))
    }

    /// Decodes the body like `decode`, but an empty body is nil: for routes whose body is optional.
    static func decodeIfPresent<T: Decodable>(
        _ type: T.Type, from request: Request, context: AppRequestContext
    ) async throws -> T? {
        let data = Data(buffer: try await collect(request, context: context))
        guard !data.isEmpty else { return nil }
        guard String(validating: data, as: UTF8.self) != nil else {
            throw APIError.badRequest("invalid_utf8", "the request body is not valid UTF-8")
        }
        do {
            let value = try JSONDecoder().decode(T.self, from: data)
            try refuseNUL(ifEscaped: data.withUnsafeBytes(NULCharacter.isEscaped(inJSON:)))
            return value
        } catch let error as DecodingError {
            // Parse a second time only on failure, to tell malformed JSON (400) from JSON of the wrong shape (422).
            guard (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil else {
                throw APIError.badRequest("invalid_json", "the request body is not valid JSON")
            }
            throw APIError.unprocessable(describe(error))
        }
    }

    /// 422 when a string of the (valid JSON) body holds U+0000, which no field accepts (see `NULCharacter`).
    private static func refuseNUL(ifEscaped escaped: Bool) throws {
        if escaped {
            throw APIError.unprocessable("strings in the body must not contain the NUL character (\\u0000)")
        }
    }

    /// The whole body, or 413 when it is larger than the context allows.
    private static func collect(_ request: Request, context: AppRequestContext) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError(
                .contentTooLarge, "body_too_large", "the request body is larger than \(context.maxUploadSize) bytes")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, extra: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (extra.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the body" : "'\(text)'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \(path(context, extra: key))"
        case .typeMismatch(let type, let context):
            return "field \(path(context)) must be \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "field \(path(context)) must be \(typeName(type)), not null"
        case .dataCorrupted(let context):
            return "field \(path(context)) is invalid: \(context.debugDescription)"
        @unknown default:
            return "the body does not have the expected shape"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

extension JSONEncoder {
    /// The API's encoder: sorted keys, ISO 8601 dates (snake_case keys as the structs declare them).
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension Response {
    /// A JSON response of a value that writes itself: the same bytes as `JSONEncoder.api`, without its cost.
    static func json(_ value: some JSONTextWritable, status: HTTPResponse.Status = .ok) throws -> Response {
        json(bytes: try JSONTextWriter.bytes(of: value), status: status)
    }

    /// A JSON response of an encodable value, snake_case keys as the structs declare them.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        json(bytes: try JSONEncoder.api.encode(value), status: status)
    }

    private static func json(bytes: some Sequence<UInt8>, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
