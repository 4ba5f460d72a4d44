/// One event of a `text/event-stream` body, as dispatched by ``ServerSentEventParser``.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event` field; `nil` means the default type, `message`.
    public var type: String?
    /// The `data` fields joined by line feeds.
    public var data: String
    /// The last `id` field seen so far in the stream.
    public var id: String?
    /// The `retry` field (reconnection time in milliseconds), when this event set one.
    public var retry: Int?

    /// Creates an event.
    public init(type: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.type = type
        self.data = data
        self.id = id
        self.retry = retry
    }
}
