extension ProviderError {
    /// Wraps any error a provider call threw as a ``ProviderError``.
    ///
    /// Cancellation becomes ``cancelled``; an error that is already a ``ProviderError`` is kept; a refused address
    /// becomes ``refusedAddress(host:)``; anything else is reported by type name only, so that a foreign error's text cannot leak into traces.
    public init(wrapping error: any Error) {
        switch error {
        case let error as ProviderError: self = error
        case is CancellationError: self = .cancelled
        case AddressCheckError.privateAddress(let host): self = .refusedAddress(host: host)
        case let error as AddressCheckError: self = .connection(error.description)
        default: self = .connection("\(type(of: error))")
        }
    }
}
