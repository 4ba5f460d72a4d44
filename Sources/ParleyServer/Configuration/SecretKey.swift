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
        let url = URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("secret.key")
        if let text = try? String(contentsOf: url, encoding: .utf8),
            let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count >= 32
        {
            return SecretKey(bytes: bytes)
        }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        try bytes.base64EncodedString().write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        return SecretKey(bytes: bytes)
    }

    /// A key for one purpose (`"admin-jwt"`, `"visitor-jwt"`), so one leaked derived key exposes nothing else.
    func derived(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key, info: Data("parley/\(purpose)".utf8), outputByteCount: 32)
    }
}
