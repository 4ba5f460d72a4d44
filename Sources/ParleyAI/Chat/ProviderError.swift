/// Why a chat provider call failed.
///
/// Descriptions are safe to log and to store in a trace: they never contain an API key (error bodies are excerpted
/// and scrubbed before they get here) and never contain the prompt.
public enum ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which network timeout fired.
    public enum TimeoutKind: String, Sendable, Hashable {
        /// The TCP (or TLS) connection could not be set up in time.
        case connect
        /// The server sent no bytes for longer than the read timeout.
        case read
        /// The response head did not arrive in time.
        case response
    }

    /// A network timeout fired.
    case timeout(TimeoutKind)
    /// A stream produced no text before its first-token deadline.
    case firstTokenTimeout(Duration)
    /// The overall budget of the call ran out (the caller should offer a human).
    case deadlineExceeded(Duration)
    /// The server answered with an error status (other than 429).
    case http(status: Int, retryAfter: Duration?, bodyExcerpt: String)
    /// The server answered 429 Too Many Requests.
    case rateLimited(retryAfter: Duration?, bodyExcerpt: String)
    /// The connection could not be made or broke before a complete response.
    case connection(String)
    /// The response could not be understood (bad JSON, unexpected shape).
    case malformedResponse(String)
    /// The stream ended before the server said it was done (no `[DONE]` and no finish reason).
    case truncatedStream
    /// The server reported an error inside a stream that had started well.
    case streamError(String)
    /// The call was cancelled by its caller.
    case cancelled
    /// The provider's circuit breaker is open; no request was sent.
    case circuitOpen(provider: String, retryIn: Duration)
    /// The endpoint's host resolves to a private or loopback address the server's operator has not allowed; no
    /// request was sent.
    case refusedAddress(host: String)
    /// Every provider of a fallback list failed, in order.
    case allProvidersFailed([ProviderFailure])

    /// Whether the same request may succeed if sent again after a pause (429, 5xx, 408, timeouts, broken connections).
    public var isRetryable: Bool {
        switch self {
        case .timeout, .rateLimited, .connection, .truncatedStream, .streamError:
            true
        case .http(let status, _, _):
            status == 408 || status >= 500
        case .firstTokenTimeout, .deadlineExceeded, .malformedResponse, .cancelled, .circuitOpen, .refusedAddress,
            .allProvidersFailed:
            false
        }
    }

    /// Whether the failure says something about the provider's health, and so counts towards opening its breaker.
    ///
    /// Client errors such as 400 (a prompt too long) and cancellations do not.
    public var isProviderFault: Bool {
        switch self {
        case .timeout, .firstTokenTimeout, .rateLimited, .connection, .malformedResponse, .truncatedStream,
            .streamError:
            true
        case .http(let status, _, _):
            status == 408 || status >= 500
        case .deadlineExceeded, .cancelled, .circuitOpen, .refusedAddress, .allProvidersFailed:
            false
        }
    }

    /// The pause the server asked for with `Retry-After`, if any.
    public var retryAfter: Duration? {
        switch self {
        case .http(_, let retryAfter, _), .rateLimited(let retryAfter, _): retryAfter
        default: nil
        }
    }

    /// The error without the excerpts of endpoints' answers, for traces (the tenant's analysts read them).
    ///
    /// A tenant's provider URL may point at a service on the server's own network, whose error pages are not
    /// theirs to read; the status stays.
    public var withoutExcerpts: ProviderError {
        switch self {
        case .http(let status, let retryAfter, _): .http(status: status, retryAfter: retryAfter, bodyExcerpt: "")
        case .rateLimited(let retryAfter, _): .rateLimited(retryAfter: retryAfter, bodyExcerpt: "")
        case .streamError: .streamError("(not shown)")
        case .allProvidersFailed(let failures):
            .allProvidersFailed(
                failures.map { ProviderFailure(provider: $0.provider, error: $0.error.withoutExcerpts) })
        default: self
        }
    }

    public var description: String {
        switch self {
        case .timeout(let kind):
            return "provider \(kind.rawValue) timeout"
        case .firstTokenTimeout(let limit):
            return "no token within the first-token deadline of \(limit.shortDescription)"
        case .deadlineExceeded(let budget):
            return "no answer within the \(budget.shortDescription) budget"
        case .http(let status, let retryAfter, let excerpt):
            return "provider answered HTTP \(status)" + Self.suffix(retryAfter: retryAfter, excerpt: excerpt)
        case .rateLimited(let retryAfter, let excerpt):
            return "provider rate limit (HTTP 429)" + Self.suffix(retryAfter: retryAfter, excerpt: excerpt)
        case .connection(let reason):
            return "connection to provider failed: \(reason)"
        case .malformedResponse(let reason):
            return "malformed provider response: \(reason)"
        case .truncatedStream:
            return "provider stream ended before completion"
        case .streamError(let message):
            return "provider reported an error mid-stream: \(message)"
        case .cancelled:
            return "provider call cancelled"
        case .circuitOpen(let provider, let retryIn):
            return "circuit breaker for \(provider) is open (next probe in \(retryIn.shortDescription))"
        case .refusedAddress(let host):
            return "\(host) resolves to a private or loopback address, which the server's operator has not allowed "
                + "for tenants' endpoints (PARLEY_PROVIDER_PRIVATE_HOSTS)"
        case .allProvidersFailed(let failures):
            let list = failures.map { "\($0.provider): \($0.error)" }.joined(separator: "; ")
            return "every provider failed (\(list))"
        }
    }

    private static func suffix(retryAfter: Duration?, excerpt: String) -> String {
        var text = ""
        if let retryAfter { text += ", retry after \(retryAfter.shortDescription)" }
        if !excerpt.isEmpty { text += ": \(excerpt)" }
        return text
    }
}

extension Duration {
    /// A compact human form such as `1.5s` or `250ms`.
    var shortDescription: String {
        let milliseconds = Int((Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15).rounded())
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(Double(milliseconds) / 1000)s"
    }
}
