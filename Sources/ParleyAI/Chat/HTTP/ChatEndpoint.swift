/// Where an OpenAI-style request (chat completions, embeddings) goes and how it authenticates: the part that differs
/// between OpenAI-style and Azure-style servers.
///
/// The description shows the URL only; the key is never printed.
public struct ChatEndpoint: Sendable, CustomStringConvertible {
    /// The error thrown for a base URL that is not an absolute `http` or `https` URL.
    public struct InvalidURL: Error, Sendable, CustomStringConvertible {
        /// What is wrong with the URL.
        public var reason: String
        public var description: String { "invalid provider URL: \(reason)" }
    }

    /// The full URL of the chat-completions call, query included.
    public let url: String
    /// Extra request headers, authentication included.
    let headers: [(name: String, value: String)]
    /// The API key, kept so that error excerpts can be scrubbed of it.
    let secret: String?

    public var description: String { url }

    /// An OpenAI-compatible server: OpenAI, vLLM, llama.cpp server, Ollama, LiteLLM and the like.
    ///
    /// The base URL may be given with or without the version segment: `http://localhost:11434`,
    /// `http://localhost:11434/v1/` and `https://api.openai.com/v1` all reach `…/v1/chat/completions`. A base
    /// URL whose last path segment is a version (`/v1`, `/v1beta`, `/openai/v2`) gets `/chat/completions`;
    /// a URL that already ends in `/chat/completions` is used as it is; any other gets `/v1/chat/completions`.
    /// A query string (some gateways want one) is kept.
    ///
    /// - Parameters:
    ///   - apiKey: sent as `Authorization: Bearer …`; `nil` or empty for servers without authentication.
    ///   - operation: the API's path after the version: `chat/completions`, or `embeddings`.
    public static func openAICompatible(
        baseURL: String, apiKey: String?, operation: String = "chat/completions"
    ) throws(InvalidURL) -> ChatEndpoint {
        let parts = try URLParts(baseURL)
        let path: String
        let lastSegment = parts.path.split(separator: "/").last.map(String.init) ?? ""
        if parts.path.hasSuffix("/" + operation) {
            path = parts.path
        } else if lastSegment.count >= 2, lastSegment.first == "v", lastSegment.dropFirst().first!.isNumber {
            path = parts.path + "/" + operation
        } else {
            path = parts.path + "/v1/" + operation
        }
        let key = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        return ChatEndpoint(
            url: parts.origin + path + parts.query,
            headers: key.map { [("Authorization", "Bearer \($0)")] } ?? [],
            secret: key
        )
    }

    /// An Azure OpenAI deployment: `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…`,
    /// authenticated with the `api-key` header.
    ///
    /// - Parameters:
    ///   - endpoint: the resource endpoint, such as `https://my-resource.openai.azure.com`.
    ///   - deployment: the deployment name (it selects the model; ``ChatRequest/model`` is still sent but ignored).
    ///   - apiVersion: the data-plane API version; 2024-10-21 is the first GA version with `stream_options`.
    public static func azureOpenAI(
        endpoint: String, deployment: String, apiVersion: String = "2024-10-21", apiKey: String,
        operation: String = "chat/completions"
    ) throws(InvalidURL) -> ChatEndpoint {
        let parts = try URLParts(endpoint)
        guard !deployment.isEmpty else { throw InvalidURL(reason: "empty Azure deployment name") }
        let url =
            parts.origin + parts.path + "/openai/deployments/\(percentEncoded(deployment))/\(operation)"
            + "?api-version=\(percentEncoded(apiVersion))"
        return ChatEndpoint(url: url, headers: [("api-key", apiKey)], secret: apiKey.isEmpty ? nil : apiKey)
    }

    private init(url: String, headers: [(name: String, value: String)], secret: String?) {
        self.url = url
        self.headers = headers
        self.secret = secret
    }

    private static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || "-._~".unicodeScalars.contains(scalar)
            {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

/// The pieces of an absolute base URL: `scheme://authority`, the path without trailing slashes, and `?query`.
private struct URLParts {
    var origin: String
    var path: String
    var query: String

    init(_ text: String) throws(ChatEndpoint.InvalidURL) {
        var rest = Substring(text.trimmingWhitespace)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        guard let schemeEnd = rest.range(of: "://") else {
            throw .init(reason: "missing scheme in \"\(text)\"")
        }
        let scheme = rest[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw .init(reason: "scheme must be http or https, not \"\(scheme)\"")
        }
        let afterScheme = rest[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.isEmpty else { throw .init(reason: "missing host in \"\(text)\"") }
        guard !authority.contains("@") else { throw .init(reason: "credentials belong in the API key, not the URL") }
        var remainder = afterScheme[authorityEnd...]
        query = ""
        if let question = remainder.firstIndex(of: "?") {
            query = String(remainder[question...])
            remainder = remainder[..<question]
            if query == "?" { query = "" }
        }
        while remainder.hasSuffix("/") { remainder = remainder.dropLast() }
        origin = "\(scheme)://\(authority)"
        path = String(remainder)
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
