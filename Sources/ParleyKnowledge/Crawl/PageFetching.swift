import Foundation
import ParleyCore

/// Fetches one web page for the crawler, without following redirects (the crawler checks each hop's host).
public protocol PageFetching: Sendable {
    /// The response to `GET url`, sent with the validators of the copy already stored, its body read up to
    /// `maxBytes` (`FetchError.tooLarge` beyond).
    func fetch(_ url: URL, validators: PageValidators, maxBytes: Int) async throws -> FetchedPage
}

/// One response, as the crawler needs it.
public struct FetchedPage: Sendable {
    public var status: Int
    /// `Location`, for a redirect.
    public var location: String?
    /// The media type, lower-cased, without parameters (`text/html`).
    public var mediaType: String?
    /// The `charset` parameter of `Content-Type`, if any.
    public var charset: String?
    public var body: Data
    /// The response's own validators, to send next time.
    public var validators: PageValidators

    /// Makes a response.
    public init(
        status: Int, location: String? = nil, mediaType: String? = nil, charset: String? = nil, body: Data = Data(),
        validators: PageValidators = PageValidators()
    ) {
        self.status = status
        self.location = location
        self.mediaType = mediaType
        self.charset = charset
        self.body = body
        self.validators = validators
    }
}

/// Why a page could not be fetched.
public enum FetchError: Error, Equatable, CustomStringConvertible {
    /// The body is longer than the crawl reads.
    case tooLarge(limit: Int)
    /// The connection failed or timed out.
    case unreachable(String)
    /// The host resolves to a loopback, private or reserved address.
    case privateAddress(String)

    public var description: String {
        switch self {
        case .tooLarge(let limit): "the page is larger than \(limit >> 10) KiB"
        case .unreachable(let reason): "the page could not be fetched: \(reason)"
        case .privateAddress(let host): "\(host) resolves to a private or loopback address, which crawls may not reach"
        }
    }
}
