import Hummingbird

/// Applies the configured body limit to every request and refuses a declared oversize body before reading it.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw APIError(.contentTooLarge, "body_too_large", "the request body is larger than \(maxBytes) bytes")
        }
        var context = context
        context.maxUploadSize = maxBytes
        return try await next(request, context)
    }
}
