import Foundation
import Synchronization

/// Token buckets keyed by caller (visitor, widget key, API key): each call takes a token, tokens refill over time.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let limit: RateLimit
    private let buckets = Mutex<[String: Bucket]>([:])
    private let maxKeys: Int

    /// Makes a limiter; at most `maxKeys` buckets are kept, full ones dropped first when it fills up.
    init(limit: RateLimit, maxKeys: Int = 100_000) {
        self.limit = limit
        self.maxKeys = maxKeys
    }

    /// Takes a token for `key`; returns nil when allowed, or the seconds until a token is available.
    func acquire(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        let perSecond = limit.perMinute / 60
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: limit.burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(limit.burst, bucket.tokens + seconds * perSecond)
            bucket.updated = now
            defer {
                if buckets.count >= maxKeys, buckets[key] == nil { Self.evict(&buckets, burst: limit.burst) }
                buckets[key] = bucket
            }
            guard bucket.tokens >= 1 else {
                return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    private static func evict(_ buckets: inout [String: Bucket], burst: Double) {
        let full = buckets.filter { $0.value.tokens >= burst - 1 }.map(\.key)
        for key in full.isEmpty ? Array(buckets.keys.prefix(buckets.count / 2)) : full {
            buckets[key] = nil
        }
    }
}
