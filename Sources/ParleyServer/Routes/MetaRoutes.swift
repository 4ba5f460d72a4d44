import Foundation
import Hummingbird
import Prometheus

/// Operational documents: Prometheus metrics and the OpenAPI description of the API.
enum MetaRoutes {
    static func register(_ api: APIRouter, services: AppServices, metrics: PrometheusCollectorRegistry) {
        api.on(.get, "/metrics", summary: "Prometheus metrics", tag: "operations", access: .publicAccess) { _, _ in
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

/// The product version, shown in the OpenAPI document and `parley --version`.
public enum ParleyVersion {
    public static let current = "0.1.0"
}
