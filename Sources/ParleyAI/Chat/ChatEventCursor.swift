/// One reading of a ``ChatEventStream``: the next event, nil at the end, or the error that ended the reply.
///
/// A cursor is used by one task at a time and is not shared. When it is dropped before the end, whatever it read
/// from is dropped with it, which cancels the request behind it.
protocol ChatEventCursor: AnyObject {
    /// The next event of the reply, or nil when the reply is complete.
    func next() async throws -> ChatStreamEvent?
}
