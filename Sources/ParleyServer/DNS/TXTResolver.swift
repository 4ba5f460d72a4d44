/// Looks up DNS TXT records; domain verification depends on this protocol, not on a particular resolver.
public protocol TXTResolver: Sendable {
    /// The TXT records at `name`, each record's strings joined; empty when there are none.
    func txtRecords(for name: String) async throws -> [String]
}

/// A DNS lookup that could not be answered.
public struct DNSLookupError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
}
