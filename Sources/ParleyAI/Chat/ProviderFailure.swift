/// One provider's failure inside a fallback list.
public struct ProviderFailure: Sendable, Hashable {
    /// The provider's ``ChatProvider/name``.
    public var provider: String
    /// What went wrong.
    public var error: ProviderError

    /// Creates a failure record.
    public init(provider: String, error: ProviderError) {
        self.provider = provider
        self.error = error
    }
}
