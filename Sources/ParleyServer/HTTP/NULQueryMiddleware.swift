import Hummingbird

/// Refuses a request whose query string would decode to U+0000 (`%00`), as JSON bodies holding one are refused.
///
/// Hummingbird percent-decodes query values, so `?after=%00` would hand a route an id with a NUL in it, which
/// PostgreSQL cannot take as text (see `NULCharacter`). Path segments are not decoded and need no check.
struct NULQueryMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if request.uri.query?.contains("%00") == true {
            throw APIError.unprocessable("query parameters must not contain the NUL character (%00)")
        }
        return try await next(request, context)
    }
}
