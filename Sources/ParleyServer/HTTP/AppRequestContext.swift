import Hummingbird
import Logging
import NIOCore

/// The per-request context: Hummingbird's core storage plus the body limit.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The largest body accepted, in bytes; larger bodies get a 413.
    public var maxUploadSize: Int
    /// The request's connection, for the few routes that ask who is on the other end.
    private let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        maxUploadSize = 1 << 20
        channel = source.channel
    }

    /// The address of the connection's peer (the client, or the proxy in front of the server) as rate limits group
    /// it (``ClientGroup``); read when asked, not for every request.
    var peerGroup: String? { ClientGroup.of(channel.remoteAddress) }
}
