import HTTPTypes
import Hummingbird

/// Sets `X-Content-Type-Options: nosniff` on every response: a browser takes each body as the type it is served with
/// (JSON as JSON), never as script or HTML it guessed from the bytes.
///
/// Errors become responses outside every middleware; ``APIError`` sets the header on its own.
struct NoSniffMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let header = HTTPField.Name("X-Content-Type-Options")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        if response.headers[Self.header] == nil { response.headers[Self.header] = "nosniff" }
        return response
    }
}
