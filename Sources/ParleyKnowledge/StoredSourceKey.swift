import Crypto
import Foundation
import ParleyCore

/// The key a knowledge document is stored under: its source's own key, or, past ``maxBytes``, a digest of it.
///
/// Sources are keyed by what identifies them (a URL, a file name, an FAQ question, a key the caller chose), and a
/// document is replaced when its key comes again. PostgreSQL's unique index on `(tenant_id, source_key)` takes
/// about 2,700 bytes a row at most, and the API's limit of 1,000 characters allows 4,000 bytes of UTF-8, so a long
/// key is stored as its first bytes, `#`, and the SHA-256 of the whole key: as unique, and the same every time.
public enum StoredSourceKey {
    /// Longest key stored as it is, in bytes of UTF-8.
    public static let maxBytes = 1_024

    /// The stored form of `key`.
    public static func of(_ key: String) -> String {
        guard key.utf8.count > maxBytes else { return key }
        let digest = SHA256.hash(data: Data(key.utf8)).hexString
        var prefix = ""
        var bytes = 0
        for character in key {
            bytes += character.utf8.count
            if bytes > maxBytes - 1 - digest.utf8.count { break }
            prefix.append(character)
        }
        return prefix + "#" + digest
    }
}
