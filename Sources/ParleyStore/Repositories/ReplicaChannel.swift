/// Carries short notes between the Parley replicas that share one database, so that what happens on one (a message,
/// a conversation changing hands) reaches the people connected to another at once.
public protocol ReplicaChannel: Sendable {
    /// The longest note, in UTF-8 bytes, the channel carries.
    var maximumNote: Int { get }
    /// Sends a note to every replica listening, this one included; notes from one sender arrive in the order sent.
    func send(_ note: String) async throws
    /// Calls `receive` with every note sent from now on, until the task is cancelled; a lost connection is reopened
    /// (notes sent while it was down are missed, and listeners resync from the store).
    func listen(_ receive: @escaping @Sendable (String) async -> Void) async throws
}

extension ParleyStore {
    /// The channel between replicas, when the store is shared by several (PostgreSQL); nil for a store only one
    /// process uses (SQLite).
    public var replicaChannel: (any ReplicaChannel)? {
        (self as? any ReplicaChannelProviding)?.channel
    }
}

/// A store that several replicas can share, and so carries a channel between them.
public protocol ReplicaChannelProviding {
    /// The channel.
    var channel: any ReplicaChannel { get }
}
