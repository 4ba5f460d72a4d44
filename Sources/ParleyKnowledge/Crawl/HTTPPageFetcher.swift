import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOPosix
import ParleyAI
import ParleyCore

/// Fetches pages over HTTP(S) with AsyncHTTPClient, as `ParleyBot`, never following redirects itself.
///
/// Unless told otherwise it refuses hosts that resolve to loopback, private, link-local or reserved addresses, so a
/// tenant cannot point a verified (sub)domain at the server's own network and read it into its knowledge base; the
/// connection goes to the address that was checked (``AddressCheckedHTTPClients``), so DNS rebinding reaches nothing
/// new.
public final class HTTPPageFetcher: PageFetching {
    /// The `User-Agent` sent; its product token is the one robots.txt groups name.
    public static let userAgent = "ParleyBot/1.0 (knowledge crawler; +https://github.com/parley)"

    private let clients: AddressCheckedHTTPClients
    private let timeout: TimeAmount

    /// Makes a fetcher whose requests give up after `timeout` seconds; call `shutdown()` when done.
    ///
    /// `allowPrivateNetworks` lets it reach loopback and private addresses (tests, intranet sites).
    public convenience init(timeout: Double = 15, allowPrivateNetworks: Bool = false) {
        self.init(
            timeout: timeout, allowPrivateNetworks: allowPrivateNetworks, resolve: NetworkAddresses.resolve,
            isAllowed: NetworkAddresses.isPublic)
    }

    /// A fetcher with its own resolver and address policy (tests).
    init(
        timeout: Double, allowPrivateNetworks: Bool, resolve: @escaping @Sendable (String) -> [[UInt8]],
        isAllowed: @escaping @Sendable ([UInt8]) -> Bool
    ) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(Int64(max(1, timeout))))
        clients = AddressCheckedHTTPClients(
            configuration: configuration, allowing: allowPrivateNetworks ? .all : .none, resolve: resolve,
            isPublic: isAllowed)
        self.timeout = .milliseconds(Int64(timeout * 1_000))
    }

    /// Closes the connections.
    public func shutdown() async {
        await clients.shutdown()
    }

    /// The client to fetch `url` with: after the address check, one that connects to the checked address.
    private func checkedClient(for url: URL) async throws -> HTTPClient {
        do {
            return try await clients.client(for: url)
        } catch AddressCheckError.privateAddress(let host) {
            throw FetchError.privateAddress(host)
        } catch AddressCheckError.unresolved(let host) {
            throw FetchError.unreachable("\(host) does not resolve")
        }
    }

    public func fetch(_ url: URL, validators: PageValidators, maxBytes: Int) async throws -> FetchedPage {
        let client = try await checkedClient(for: url)
        // The client's deadline ends once the response head is in, and its read timeout only bounds the pauses: a
        // site sending a byte every few seconds would hold the crawl, and every job queued behind it, for months.
        let seconds = Int((Double(timeout.nanoseconds) / 1e9).rounded(.up))
        return try await TimeLimit.run(
            within: .nanoseconds(timeout.nanoseconds),
            onTimeout: FetchError.unreachable("no complete answer within \(seconds) seconds")
        ) { [self] in
            try await exchange(url, client: client, validators: validators, maxBytes: maxBytes)
        }
    }

    /// One request and its whole answer, without an overall deadline.
    private func exchange(_ url: URL, client: HTTPClient, validators: PageValidators, maxBytes: Int) async throws
        -> FetchedPage
    {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        request.headers.add(
            name: "Accept", value: "text/html, application/xhtml+xml, text/plain, application/xml;q=0.9")
        if let etag = validators.etag { request.headers.add(name: "If-None-Match", value: etag) }
        if let modified = validators.lastModified { request.headers.add(name: "If-Modified-Since", value: modified) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw FetchError.unreachable(Self.reason(error))
        }
        var page = FetchedPage(
            status: Int(response.status.code), location: response.headers.first(name: "Location"),
            validators: PageValidators(
                etag: response.headers.first(name: "ETag"),
                lastModified: response.headers.first(name: "Last-Modified")))
        if let contentType = response.headers.first(name: "Content-Type") {
            (page.mediaType, page.charset) = Self.parse(contentType: contentType)
        }
        guard page.status == 200 else { return page }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
            throw FetchError.tooLarge(limit: maxBytes)
        }
        do {
            page.body = Data(buffer: try await response.body.collect(upTo: maxBytes))
        } catch is NIOTooManyBytesError {
            throw FetchError.tooLarge(limit: maxBytes)
        } catch {
            throw FetchError.unreachable(Self.reason(error))
        }
        return page
    }

    /// The media type and charset of a `Content-Type` value.
    static func parse(contentType: String) -> (mediaType: String, charset: String?) {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let charset = parts.dropFirst().first { $0.lowercased().hasPrefix("charset=") }
            .map { String($0.dropFirst("charset=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        return ((parts.first ?? "").lowercased(), charset)
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: type(of: error))
    }
}
