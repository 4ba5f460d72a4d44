import Foundation
import Hummingbird
import HummingbirdTesting
import ParleyStore
import Testing

@testable import ParleyServer

/// The error middleware's translation of store failures a route did not catch.
@Suite("Error middleware")
struct ErrorMiddlewareTests {
    struct Unexpected: Error {}

    static func answer(to error: any Error) async throws -> (status: HTTPResponse.Status, body: String) {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware(routes: RouteTable()))
        router.get("/fail") { _, _ -> String in throw error }
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/fail", method: .get) { response in
                (response.status, String(buffer: response.body))
            }
        }
    }

    @Test("a write that lost to a concurrent one is a 409 that names no key or value; a database outage a 503")
    func storeFailures() async throws {
        let conflict = try await Self.answer(to: StoreError.conflict("Key (email)=(someone@example.com) exists"))
        #expect(conflict.status == .conflict)
        #expect(conflict.body.contains("\"code\":\"conflict\"") && !conflict.body.contains("someone@example.com"))
        let outage = try await Self.answer(to: StoreError.unavailable("PostgreSQL 08006"))
        #expect(outage.status == .serviceUnavailable && outage.body.contains("database_unavailable"))
        let unexpected = try await Self.answer(to: Unexpected())
        #expect(unexpected.status == .internalServerError && unexpected.body.contains("internal_error"))
    }
}
