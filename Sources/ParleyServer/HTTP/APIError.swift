import Foundation
import Hummingbird

/// An API failure: an HTTP status, a stable machine-readable code and a message for people.
///
/// Every error the API returns has the body `{"error": {"code": ..., "message": ...}}`.
public struct APIError: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// The stable error code clients switch on (`invalid_json`, `not_found`).
    public let code: String
    /// What went wrong, in words.
    public let message: String
    /// Extra headers, such as `Retry-After` or `Allow`.
    public var headers: HTTPFields = [:]
    /// Structured details, such as the problems of a rejected chain configuration.
    public var details: JSONDetails?

    /// Makes an API error.
    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: Any] = ["code": code, "message": message]
        if let details { body["details"] = details.value }
        let data = try JSONSerialization.data(withJSONObject: ["error": body], options: [.sortedKeys])
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[NoSniffMiddleware.header] = "nosniff"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code, message) }
    static func unprocessable(_ message: String) -> APIError {
        APIError(.unprocessableContent, "validation_failed", message)
    }
    static func notFound(_ what: String) -> APIError { APIError(.notFound, "not_found", "\(what) not found") }
    static let unauthorized = APIError(.unauthorized, "unauthorized", "missing or invalid credentials")
    static func forbidden(_ message: String = "your role does not allow this") -> APIError {
        APIError(.forbidden, "forbidden", message)
    }
}

/// JSON-serialisable details attached to an error.
public struct JSONDetails: @unchecked Sendable {
    /// A value `JSONSerialization` accepts.
    let value: Any
}
