import Crypto
import Foundation
import ParleyCore

/// Random secrets (refresh tokens, API keys, passwords) and the hashes they are stored under.
enum SecretTokens {
    /// A URL-safe random string carrying `bytes` bytes of entropy.
    static func random(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(raw).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether two secrets are equal, in time that depends on their lengths only, not on where they first differ.
    static func equal(_ given: some Sequence<UInt8>, _ expected: some Sequence<UInt8>) -> Bool {
        let given = Array(given)
        let expected = Array(expected)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// SHA-256 of a secret, hex; high-entropy secrets need no slow hash.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexString
    }
}
