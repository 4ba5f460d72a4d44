/// Sends a model that has no system role (Gemma, some local servers) its instructions inside the first user message.
///
/// Chat templates without a system role drop system messages silently, so the model would never see its
/// instructions or the passages. This wrapper joins every system message, in order, and puts the result before the
/// first user message's text; everything else passes through unchanged.
public struct SystemFoldingChatProvider: ChatProvider {
    public let base: any ChatProvider

    public var name: String { base.name }

    /// Wraps `base`.
    public init(_ base: any ChatProvider) {
        self.base = base
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await base.complete(Self.folded(request))
    }

    public func stream(_ request: ChatRequest) -> ChatEventStream {
        base.stream(Self.folded(request))
    }

    /// The request with its system messages moved into the first user message.
    public static func folded(_ request: ChatRequest) -> ChatRequest {
        let system = request.messages.filter { $0.role == .system }.map(\.content)
        guard !system.isEmpty else { return request }
        var messages = request.messages.filter { $0.role != .system }
        let preamble = system.joined(separator: "\n\n")
        if let first = messages.firstIndex(where: { $0.role == .user }) {
            messages[first] = .user(preamble + "\n\n" + messages[first].content)
        } else {
            messages.insert(.user(preamble), at: 0)
        }
        var folded = request
        folded.messages = messages
        return folded
    }
}

extension ChatProvider {
    /// This provider with system messages folded into the first user message, for models without a system role.
    public func foldingSystemMessages() -> SystemFoldingChatProvider {
        SystemFoldingChatProvider(self)
    }
}
