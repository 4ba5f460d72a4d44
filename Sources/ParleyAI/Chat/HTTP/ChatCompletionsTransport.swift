import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The Chat Completions wire protocol over AsyncHTTPClient, shared by every HTTP provider; only the
/// ``ChatEndpoint`` (URL and authentication) differs between them.
struct ChatCompletionsTransport: Sendable {
    /// The largest non-streaming response body accepted.
    static let maximumResponseBytes = 8 << 20
    /// The most of an error body read for its excerpt.
    static let maximumErrorBytes = 64 << 10

    let name: String
    let endpoint: ChatEndpoint
    let httpClient: any HTTPClientSource
    let defaultModel: String?
    let includeUsageInStream: Bool
    let responseTimeout: Duration
    let logger: Logger

    /// Where a failure happened, which decides how a broken connection is reported.
    private enum Phase {
        case request
        case body
        case stream
    }

    func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let response = try await send(request, stream: false)
        let body = try await collect(response.body, limit: Self.maximumResponseBytes)
        return try decodeCompletion(body)
    }

    func stream(_ request: ChatRequest) -> ChatEventStream {
        ChatEventStream.producing { continuation in
            let response = try await send(request, stream: true)
            let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
            if contentType.hasPrefix("application/json") {
                // The server ignored `"stream": true` (some proxies do): replay the whole answer as events.
                let answer = try decodeCompletion(try await collect(response.body, limit: Self.maximumResponseBytes))
                if !answer.text.isEmpty { continuation.yield(.delta(answer.text)) }
                if let reason = answer.finishReason { continuation.yield(.finish(reason)) }
                if let usage = answer.usage { continuation.yield(.usage(usage)) }
                return
            }
            var parser = ServerSentEventParser()
            var decoder = ChatChunkDecoder(secret: endpoint.secret)
            do {
                reading: for try await piece in response.body {
                    for event in try parser.feed(piece.readableBytesView) {
                        for chatEvent in try decoder.decode(event) { continuation.yield(chatEvent) }
                        if decoder.isDone { break reading }
                    }
                }
            } catch is ServerSentEventParser.LineTooLong {
                throw ProviderError.malformedResponse("event-stream line longer than 1 MiB")
            } catch {
                throw map(error, phase: .stream)
            }
            guard decoder.isComplete else { throw ProviderError.truncatedStream }
        }
    }

    /// Sends the request and returns the response once its head is in, or throws the mapped error status.
    private func send(_ request: ChatRequest, stream: Bool) async throws -> HTTPClientResponse {
        let httpRequest = try makeRequest(request, stream: stream)
        let response: HTTPClientResponse
        do {
            let client = try await httpClient.client(for: endpoint.url)
            response = try await client.execute(httpRequest, timeout: TimeAmount(responseTimeout), logger: logger)
        } catch {
            let mapped = map(error, phase: .request)
            logger.debug("chat request failed", metadata: ["provider": "\(name)", "error": "\(mapped)"])
            throw mapped
        }
        guard (200..<300).contains(response.status.code) else {
            let excerpt = await errorExcerpt(response.body)
            let retryAfter = RetryAfter.parse(response.headers)
            let status = Int(response.status.code)
            logger.debug("chat request refused", metadata: ["provider": "\(name)", "status": "\(status)"])
            if status == 429 { throw ProviderError.rateLimited(retryAfter: retryAfter, bodyExcerpt: excerpt) }
            throw ProviderError.http(status: status, retryAfter: retryAfter, bodyExcerpt: excerpt)
        }
        return response
    }

    private func makeRequest(_ request: ChatRequest, stream: Bool) throws -> HTTPClientRequest {
        var httpRequest = HTTPClientRequest(url: endpoint.url)
        httpRequest.method = .POST
        httpRequest.headers.add(name: "Content-Type", value: "application/json")
        httpRequest.headers.add(name: "Accept", value: stream ? "text/event-stream" : "application/json")
        for header in endpoint.headers { httpRequest.headers.add(name: header.name, value: header.value) }
        let body = ChatCompletionsRequestBody(
            request: request, defaultModel: defaultModel, stream: stream, includeUsage: includeUsageInStream)
        httpRequest.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        return httpRequest
    }

    private func collect(_ body: HTTPClientResponse.Body, limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ProviderError.malformedResponse("response larger than \(limit >> 20) MiB")
        } catch {
            throw map(error, phase: .body)
        }
    }

    private func decodeCompletion(_ body: ByteBuffer) throws -> ChatResponse {
        let data = Data(body.readableBytesView)
        if let decoded = try? JSONDecoder().decode(ChatCompletionsResponseBody.self, from: data) {
            guard !decoded.choices.isEmpty else { throw ProviderError.malformedResponse("response has no choices") }
            return decoded.chatResponse
        }
        if let error = try? JSONDecoder().decode(WireErrorBody.self, from: data) {
            throw ProviderError.streamError(ErrorExcerpt.scrub(error.error.summary, secret: endpoint.secret))
        }
        throw ProviderError.malformedResponse("response is not a chat.completion object")
    }

    private func errorExcerpt(_ body: HTTPClientResponse.Body) async -> String {
        var bytes: [UInt8] = []
        do {
            for try await piece in body {
                bytes += piece.readableBytesView.prefix(Self.maximumErrorBytes - bytes.count)
                if bytes.count >= Self.maximumErrorBytes { break }
            }
        } catch {
            // Keep what arrived; the status code is the important part.
        }
        return ErrorExcerpt.make(from: bytes, secret: endpoint.secret)
    }

    /// Maps AsyncHTTPClient and NIO errors to ``ProviderError`` without copying anything secret.
    private func map(_ error: any Error, phase: Phase) -> ProviderError {
        if let error = error as? ProviderError { return error }
        if let error = error as? AddressCheckError { return ProviderError(wrapping: error) }
        if error is CancellationError || Task.isCancelled { return .cancelled }
        let brokenBody: ProviderError =
            phase == .stream ? .truncatedStream : .connection("connection closed before the response was complete")
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout, .socksHandshakeTimeout,
                .httpProxyHandshakeTimeout:
                return .timeout(.connect)
            case .readTimeout: return .timeout(.read)
            case .deadlineExceeded: return .timeout(.response)
            case .cancelled: return .cancelled
            case .remoteConnectionClosed:
                return phase == .request ? .connection("connection closed by server") : brokenBody
            default:
                return phase == .request
                    ? .connection(ErrorExcerpt.scrub("\(error)", secret: endpoint.secret)) : brokenBody
            }
        }
        if phase != .request { return brokenBody }
        return .connection(ErrorExcerpt.scrub(String(describing: error), secret: endpoint.secret))
    }
}
