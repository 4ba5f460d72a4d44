import Hummingbird
import ParleyCore

/// Registers API routes on the Hummingbird router and records each one, documented, in the route table.
struct APIRouter {
    let router: Router<AppRequestContext>
    let table: RouteTable

    /// A route handler: the request, its context, and the route's path parameters.
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// Adds a documented route.
    func on(
        _ method: HTTPRequest.Method, _ path: String, summary: String, tag: String, access: RouteTable.Access,
        body: [String: String] = [:], required: [String] = [], handler: @escaping Handler
    ) {
        table.add(
            .init(
                method: method, path: path, summary: summary, tag: tag, access: access, body: body, required: required))
        router.on(RouterPath(path), method: method) { request, context in
            try await handler(request, context)
        }
    }
}
