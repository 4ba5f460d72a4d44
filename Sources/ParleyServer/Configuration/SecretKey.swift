import Crypto
import Foundation

/// The server secret: the root from which every signing key is derived, never logged.
public struct SecretKey: Sendable {
    private let key: SymmetricKey

    /// Wraps raw secret bytes.
    init(bytes: some ContiguousBytes) {
        key = SymmetricKey(data: bytes)
    }

    /// The configured key, or in development a generated one persisted under the data directory.
    ///
    /// In production a missing key is an error: a generated key would log everyone out on every restart.
    static func resolve(_ configuration: ServerConfiguration) throws -> SecretKey {
        if !configuration.secretKey.isEmpty {
            guard configuration.secretKey.utf8.count >= 32 else {
                throw ConfigurationError("PARLEY_SECRET_KEY must be at least 32 characters")
            }
            return SecretKey(bytes: Array(configuration.secretKey.utf8))
        }
        guard configuration.environment == .development else {
            throw ConfigurationError("PARLEY_SECRET_KEY is required when PARLEY_ENV=production")
        }
        let text = try configuration.dataDirectoryValue(
            named: "secret.key", ownerOnly: true, isValid: { (Data(base64Encoded: $0)?.count ?? 0) >= 32 },
            make: { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString() })
        return SecretKey(bytes: Data(base64Encoded: text) ?? Data())
    }

    /// A key for one purpose (`"admin-jwt"`, `"visitor-jwt"`), so one leaked derived key exposes nothing else.
    func derived(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, info: Data("parley/\(purpose)".utf8), outputByteCount: 32)
    }
}
