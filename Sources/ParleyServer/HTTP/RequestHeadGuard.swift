import NIOCore

/// Answers a connection's first request head that grows past a size, or is not whole in time, with a JSON error, and
/// then gets out of the way.
///
/// The first request of every connection is read by the WebSocket upgrade's pipeline, which answers no decoding
/// error: a head past the HTTP decoder's limit (80 KiB) left the connection open with no answer, and a head sent a
/// byte at a time held the connection for as long as its sender liked. Placed before the decoder, this handler passes
/// the bytes on untouched while it looks for the end of the first head (an empty line); once it is found, the handler
/// leaves the pipeline, and later requests are Hummingbird's to answer.
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The most bytes the first request line and headers may take, the empty line after them included.
    let limit: Int
    /// How long the first head may take to arrive, from the connection's start.
    let timeout: TimeAmount

    private var seen = 0
    /// The last bytes seen, to find an empty line split across two reads.
    private var carried: [UInt8] = []
    /// Whether a byte other than CR or LF has come: the HTTP parser skips empty lines before a request, so the end of
    /// the head is looked for only after the request line has begun (they count against the limit all the same).
    private var started = false
    private var finished = false
    /// Set once the connection was answered with an error: what still arrives is dropped, not decoded.
    private var refused = false
    private var timer: Scheduled<Void>?

    init(limit: Int, timeout: TimeAmount) {
        self.limit = limit
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startTimer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startTimer(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    /// Closes a connection that has not sent a whole request when the server stops: nothing of it is lost, and the
    /// pipeline before a connection's first request does not answer the server's quiesce event itself, so graceful
    /// shutdown would otherwise wait for as long as the client keeps the connection open.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent, !finished else {
            return context.fireUserInboundEventTriggered(event)
        }
        finished = true
        refused = true
        timer?.cancel()
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        guard !finished else { return context.fireChannelRead(data) }
        let buffer = unwrapInboundIn(data)
        let end = endOfHead(in: buffer)
        let headBytes = seen + (end ?? buffer.readableBytes)
        guard headBytes <= limit else {
            return refuse(
                context, status: "431 Request Header Fields Too Large", code: "request_header_too_large",
                message: "the request line and headers take more than \(limit / 1024) KiB")
        }
        seen = headBytes
        context.fireChannelRead(data)
        if end != nil {
            finished = true
            timer?.cancel()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    /// The bytes of `buffer` up to and including the empty line that ends the head, if it is in `buffer`.
    private func endOfHead(in buffer: ByteBuffer) -> Int? {
        let marker: [UInt8] = [13, 10, 13, 10]
        var window = carried
        var found: Int?
        var started = self.started
        buffer.withUnsafeReadableBytes { bytes in
            for (index, byte) in bytes.enumerated() {
                guard started || byte == 13 || byte == 10 else {
                    started = true
                    window = [byte]
                    continue
                }
                guard started else { continue }
                window.append(byte)
                if window.count > 4 { window.removeFirst() }
                if window == marker {
                    found = index + 1
                    return
                }
            }
        }
        carried = window
        self.started = started
        return found
    }

    private func startTimer(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        let loop = context.eventLoop.assumeIsolated()
        timer = loop.scheduleTask(in: timeout) { [self] in
            guard !finished else { return }
            refuse(
                context, status: "408 Request Timeout", code: "request_timeout",
                message: "the request line and headers did not arrive within \(timeout.nanoseconds / 1_000_000_000) s")
        }
    }

    /// Answers with a JSON error and closes the connection; nothing more is read from it.
    private func refuse(_ context: ChannelHandlerContext, status: String, code: String, message: String) {
        finished = true
        refused = true
        timer?.cancel()
        let body = #"{"error":{"code":"\#(code)","message":"\#(message)"}}"#
        let response =
            "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n" + body
        let closing = context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: response)))
        closing.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
