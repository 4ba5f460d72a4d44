import Hummingbird
import Logging
import NIOCore

/// The per-request context: Hummingbird's core storage plus the body limit.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The largest body accepted, in bytes; larger bodies get a 413.
    public var maxUploadSize: Int

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        maxUploadSize = 1 << 20
    }
}
