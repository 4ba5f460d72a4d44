import Hummingbird
import Logging
import ParleyAI
import ParleyStore

/// Turns every failure into the API's JSON error shape.
///
/// Unknown routes answer 404, wrong methods 405; an unreachable database or model endpoint 503 with `Retry-After`
/// (502 for an endpoint that refuses for good); a write that lost to a concurrent one 409; unexpected errors 500,
/// logged without request data.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw translate(error, request: request, context: context)
        } catch StoreError.unavailable(let reason) {
            context.logger.warning("database unavailable", metadata: ["reason": "\(reason)"])
            var error = APIError(
                .serviceUnavailable, "database_unavailable", "the database is unavailable; retry in a few seconds")
            error.headers[.retryAfter] = "2"
            throw error
        } catch let error as ProviderError {
            // A tenant's model or embeddings endpoint failed (knowledge that needs its vectors, say). What it said
            // goes to the log only: the endpoint may be an internal service whose answers are not the caller's.
            context.logger.warning("model provider failed", metadata: ["error": "\(error)"])
            guard error.isRetryable else {
                // A wrong key, model or URL: retrying will not help until the tenant's settings change.
                throw APIError(
                    .badGateway, "provider_failed",
                    "the model endpoint refused the request; check the endpoint's settings (URL, model, key)")
            }
            var apiError = APIError(
                .serviceUnavailable, "provider_unavailable",
                "the model endpoint did not answer as it should; retry in a little while")
            apiError.headers[.retryAfter] = "\(Self.retrySeconds(error))"
            throw apiError
        } catch let error where StoreError.isConflict(error) {
            // Another write got there first (a key taken, a row deleted meanwhile): the client may read and retry.
            // The database's own words name keys and values, so they go to the log only.
            context.logger.notice("write conflict", metadata: .describing(error))
            throw APIError(
                .conflict, "conflict", "the request conflicts with a change made at the same time; read and retry")
        } catch {
            context.logger.error("unhandled error", metadata: .describing(error))
            throw APIError(
                .internalServerError, "internal_error", "something went wrong; the request was not completed")
        }
    }

    /// When to retry after a provider failure: what the provider asked for (within a minute), else 5 seconds.
    static func retrySeconds(_ error: ProviderError) -> Int {
        error.retryAfter.map { min(60, max(1, Int($0.components.seconds))) } ?? 5
    }

    private func translate(_ error: HTTPError, request: Request, context: Context) -> APIError {
        switch error.status {
        case .notFound where !routes.methods(matching: request.uri.path).contains(request.method.rawValue):
            let allowed = routes.methods(matching: request.uri.path)
            guard !allowed.isEmpty else {
                return APIError(.notFound, "route_not_found", "no route \(request.method) \(request.uri.path)")
            }
            var methodError = APIError(
                .methodNotAllowed, "method_not_allowed",
                "\(request.method) is not allowed on \(request.uri.path); use \(allowed.joined(separator: ", "))")
            methodError.headers[.allow] = allowed.joined(separator: ", ")
            return methodError
        case .contentTooLarge:
            return APIError(.contentTooLarge, "body_too_large", "the request body is too large")
        default:
            return APIError(error.status, "http_\(error.status.code)", error.body ?? error.status.reasonPhrase)
        }
    }
}
