import AsyncHTTPClient
import Foundation

/// Hands out the HTTP client to send a request for a URL with.
///
/// A plain `HTTPClient` is its own source; ``AddressCheckedHTTPClients`` checks where the URL's host leads first.
public protocol HTTPClientSource: Sendable {
    /// The client to send a request for `url` with, or an ``AddressCheckError`` when the URL may not be reached.
    func client(for url: URL) async throws -> HTTPClient
}

extension HTTPClient: HTTPClientSource {
    /// This client, for every URL.
    public func client(for url: URL) async throws -> HTTPClient { self }
}

extension HTTPClientSource {
    /// The client for a URL written as text; one that does not parse has no host to reach.
    func client(for text: String) async throws -> HTTPClient {
        guard let url = URL(string: text) else { throw AddressCheckError.unresolved(host: text) }
        return try await client(for: url)
    }
}
