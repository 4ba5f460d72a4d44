import Foundation
import Hummingbird
import Prometheus

/// Operational documents: Prometheus metrics and the OpenAPI description of the API.
enum MetaRoutes {
    static func register(_ api: APIRouter, services: AppServices, metrics: PrometheusCollectorRegistry) {
        api.on(
            .get, "/metrics", summary: "Prometheus metrics (bearer PARLEY_METRICS_TOKEN; required in production)",
            tag: "operations", access: .publicAccess
        ) { request, _ in
            try checkMetricsAccess(request, configuration: services.configuration)
            var bytes: [UInt8] = []
            metrics.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        api.on(
            .get, "/openapi.json", summary: "This API's OpenAPI 3.1 document", tag: "operations", access: .publicAccess
        ) { [table = api.table] _, _ in
            let document = OpenAPIDocument.build(from: table.all, version: ParleyVersion.current)
            let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

extension MetaRoutes {
    /// Lets a scrape through when it carries the metrics token, or when none is set outside production.
    static func checkMetricsAccess(_ request: Request, configuration: ServerConfiguration) throws {
        let expected = configuration.metricsToken
        guard !expected.isEmpty else {
            guard configuration.environment == .production else { return }
            throw APIError.forbidden("metrics are off in production until PARLEY_METRICS_TOKEN is set")
        }
        guard SecretTokens.equal((Authenticator.bearer(request) ?? "").utf8, expected.utf8) else {
            throw APIError(.unauthorized, "unauthorized", "/metrics needs the metrics token as a bearer token")
        }
    }
}

/// The product version, shown in the OpenAPI document and `parley --version`.
public enum ParleyVersion {
    public static let current = "0.1.0"
}
