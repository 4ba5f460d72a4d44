import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt hashing off the event loops, since each hash takes tens to hundreds of milliseconds by design.
struct PasswordHasher: Sendable {
    /// The bcrypt cost (work factor).
    let cost: UInt8
    /// A hash of a random password at the same cost, verified against when an email is unknown so that
    /// response times do not reveal which emails exist.
    let decoyHash: String
    /// Password checks running or waiting for the thread pool now.
    let checks = Checks()

    /// Password checks that may run or wait at once; beyond it a sign-in is answered 503 at once instead of queuing
    /// behind a flood of made-up sign-ins (each costs a bcrypt run, tens of milliseconds of CPU).
    static let maxConcurrentChecks = 32

    /// The count of password checks in progress.
    final class Checks: Sendable {
        let count = Atomic<Int>(0)
    }

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

    /// Whether `password` matches `hash`; 503 when `maxConcurrentChecks` are already running or waiting.
    func verify(_ password: String, hash: String) async throws -> Bool {
        guard checks.count.add(1, ordering: .relaxed).newValue <= Self.maxConcurrentChecks else {
            checks.count.subtract(1, ordering: .relaxed)
            var busy = APIError(.serviceUnavailable, "busy", "too many sign-ins at once; retry in a second")
            busy.headers[.retryAfter] = "1"
            throw busy
        }
        defer { checks.count.subtract(1, ordering: .relaxed) }
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
