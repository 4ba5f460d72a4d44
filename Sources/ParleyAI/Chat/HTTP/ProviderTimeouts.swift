import AsyncHTTPClient
import NIOCore
import NIOPosix

/// Network timeouts of the HTTP client that providers share.
///
/// Connect and read timeouts live in AsyncHTTPClient's client configuration, so they are set when the client is
/// made; the first-token and overall deadlines are separate wrappers (``FirstTokenTimeoutChatProvider``,
/// ``DeadlineChatProvider``).
public struct ProviderTimeouts: Sendable, Hashable {
    /// Time allowed to open the TCP (and TLS) connection.
    public var connect: Duration
    /// Longest silence allowed while reading a response (between two body pieces of a stream, too).
    public var read: Duration

    /// Creates timeouts; the defaults suit a remote API answering a support chat.
    public init(connect: Duration = .seconds(2), read: Duration = .seconds(20)) {
        self.connect = connect
        self.read = read
    }

    /// Makes an HTTP client with these timeouts for providers to share.
    ///
    /// The caller owns it and must call `shutdown()` when done.
    ///
    /// Redirects are refused: an API endpoint has no business redirecting, and following one could send the API
    /// key to another host. With `retryingConnections` false, a refused connection fails the request at once rather
    /// than being tried again until the connect timeout: right where a fallback waits on the answer.
    public func makeHTTPClient(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, retryingConnections: Bool = true
    ) -> HTTPClient {
        HTTPClient(
            eventLoopGroup: eventLoopGroup, configuration: configuration(retryingConnections: retryingConnections))
    }

    /// The client configuration ``makeHTTPClient(eventLoopGroup:retryingConnections:)`` uses.
    public func configuration(retryingConnections: Bool = true) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connect), read: TimeAmount(read))
        )
        configuration.connectionPool.idleTimeout = .seconds(30)
        configuration.connectionPool.retryConnectionEstablishment = retryingConnections
        return configuration
    }
}
