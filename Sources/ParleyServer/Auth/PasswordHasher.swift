import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing off the event loops, since each hash takes tens to hundreds of milliseconds by design.
struct PasswordHasher: Sendable {
    /// The bcrypt cost (work factor).
    let cost: UInt8
    /// A hash of a random password at the same cost, verified against when an email is unknown so that
    /// response times do not reveal which emails exist.
    let decoyHash: String

    /// Makes a hasher with its decoy hash.
    static func make(cost: Int) async throws -> PasswordHasher {
        let cost = UInt8(clamping: cost)
        let decoy = SecretTokens.random(bytes: 16)
        let decoyHash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(decoy, cost: cost) }
        return PasswordHasher(cost: cost, decoyHash: decoyHash)
    }

    func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { [cost] in Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
