import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback OpenAI-compatible HTTP/1.1 server whose every answer is scripted by the test.
///
/// It listens on 127.0.0.1 at a free port, records every request, and answers each with the next queued
/// ``FakeReply`` (or ``defaultReply`` once the queue is empty), writing body pieces as separate network writes
/// with the scripted pauses between them — so streams really arrive token by token.
final class FakeOpenAIServer: Sendable {
    let port: Int
    private let queue = Mutex<[FakeReply]>([])
    private let fallback = Mutex<FakeReply>(.error(status: 500, message: "no scripted reply"))
    private let requests = Mutex<[RecordedRequest]>([])

    private init(port: Int) {
        self.port = port
    }

    /// `http://127.0.0.1:PORT`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The requests received so far.
    var received: [RecordedRequest] { requests.withLock { $0 } }

    /// Queues replies for the next requests, in order.
    func enqueue(_ replies: FakeReply...) {
        queue.withLock { $0 += replies }
    }

    /// The reply used once the queue is empty.
    var defaultReply: FakeReply {
        get { fallback.withLock { $0 } }
        set { fallback.withLock { $0 = newValue } }
    }

    /// Runs `body` with a started server and stops the server afterwards (closing hung connections).
    static func with<T: Sendable>(_ body: @Sendable (FakeOpenAIServer) async throws -> T) async throws -> T {
        let unserved = UnservedConnections()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    let connection = try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                    unserved.adopt(connection)
                    return connection
                }
            }
        let server = FakeOpenAIServer(port: listener.channel.localAddress!.port!)
        let result: Result<T, any Error> = await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await listener.executeThenClose { inbound in
                    try await withThrowingDiscardingTaskGroup { connections in
                        for try await connection in inbound where unserved.take(connection) {
                            connections.addTask { await server.serve(connection) }
                        }
                    }
                }
            }
            let result = await Result { try await body(server) }
            group.cancelAll()
            return result
        }
        await unserved.stop()
        return try result.get()
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.clear()
                case .body(var piece):
                    body.writeBuffer(&piece)
                case .end:
                    guard let requestHead = head else { continue }
                    let recorded = RecordedRequest(
                        method: "\(requestHead.method)",
                        uri: requestHead.uri,
                        headers: requestHead.headers.map { ($0.name, $0.value) },
                        body: String(buffer: body)
                    )
                    requests.withLock { $0.append(recorded) }
                    let reply = queue.withLock { $0.isEmpty ? nil : $0.removeFirst() } ?? defaultReply
                    guard try await answer(reply, to: outbound) else { return }
                }
            }
        }
    }

    /// Writes one scripted reply; returns `false` when the connection must close.
    private func answer(
        _ reply: FakeReply, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws -> Bool {
        guard let headDelay = reply.headDelay else {
            try await Task.sleep(for: .seconds(3600))
            return false
        }
        if headDelay > .zero { try await Task.sleep(for: headDelay) }
        var headers = HTTPHeaders(reply.headers)
        let isSingleBody = reply.steps.count == 1
        if isSingleBody, case .send(let text) = reply.steps[0] {
            headers.replaceOrAdd(name: "Content-Length", value: "\(text.utf8.count)")
        }
        let status = HTTPResponseStatus(statusCode: reply.status)
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
        for step in reply.steps {
            switch step {
            case .send(let text):
                try await outbound.write(.body(.byteBuffer(ByteBuffer(string: text))))
            case .sleep(let duration):
                try await Task.sleep(for: duration)
            case .abort:
                return false
            case .wait(let gate):
                try await gate.wait()
            }
        }
        try await outbound.write(.end(nil))
        return true
    }
}

/// Connections accepted but not yet taken by a server's accept loop.
///
/// Stopping a server cancels its accept loop, and NIO then drops the connections still buffered in the listener's
/// inbound sequence; a dropped `NIOAsyncChannel` whose writer was never finished traps ("Deinited NIOAsyncWriter
/// without calling finish()", swift-nio issues 2813 and 3481). A client still connecting when a test ends would
/// crash the test process, so every accepted connection is held here until the loop takes it, and the rest are
/// closed properly when the server stops.
private final class UnservedConnections: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private struct State {
        var waiting: [ObjectIdentifier: Connection] = [:]
        var stopped = false
    }

    private let state = Mutex(State())

    /// Holds a new connection; once the server has stopped, closes it instead.
    func adopt(_ connection: Connection) {
        let stopped = state.withLock { state in
            if !state.stopped { state.waiting[ObjectIdentifier(connection.channel)] = connection }
            return state.stopped
        }
        if stopped { Task { await Self.close(connection) } }
    }

    /// Takes a connection to serve; `false` when stopping the server already closed it.
    func take(_ connection: Connection) -> Bool {
        state.withLock { $0.waiting.removeValue(forKey: ObjectIdentifier(connection.channel)) != nil }
    }

    /// Closes every connection not taken yet, and from now on every new one.
    func stop() async {
        let waiting = state.withLock { state in
            state.stopped = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for connection in waiting { await Self.close(connection) }
    }

    private static func close(_ connection: Connection) async {
        try? await connection.executeThenClose { _, _ in }
    }
}
