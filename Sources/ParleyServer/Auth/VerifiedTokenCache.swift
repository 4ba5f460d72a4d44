import Foundation
import Synchronization

/// Tokens whose signature has been checked, with their claims, until they expire.
///
/// A visitor sends every message of a conversation with the same token; checking its signature once instead of on
/// every request spares a JWT parse, an HMAC and a JSON decode per message. Only verified tokens enter, keyed by the
/// exact token text, and an entry is answered only before its claims' expiry, so the cache never accepts a token
/// the verifier would refuse. It holds at most `capacity` tokens and starts over when full.
final class VerifiedTokenCache<Claims: Sendable>: Sendable {
    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    private struct Entry {
        var claims: Claims
        var expiry: Date
    }

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// The claims of a token verified before, when it has not expired by `now`.
    func claims(of token: String, now: Date) -> Claims? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now < entry.expiry else {
                entries[token] = nil
                return nil
            }
            return entry.claims
        }
    }

    /// Remembers a token whose signature and claims were just verified.
    func insert(_ token: String, claims: Claims, expiry: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = Entry(claims: claims, expiry: expiry)
        }
    }
}
