import Hummingbird

/// Applies the configured body limit to every request and refuses a declared oversize body before reading it.
///
/// Routes that take files (their path starts with one of `larger`'s keys) get that key's limit instead.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let maxBytes: Int
    /// Path prefixes with a limit of their own.
    var larger: [String: Int] = [:]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        let limit = larger.first { path.hasPrefix($0.key) }?.value ?? maxBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(.contentTooLarge, "body_too_large", "the request body is larger than \(limit) bytes")
        }
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }
}
