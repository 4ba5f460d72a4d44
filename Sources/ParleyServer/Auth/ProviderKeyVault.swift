import Crypto
import Foundation
import ParleyCore

/// Seals tenants' provider API keys for storage and opens them for a model call.
///
/// AES-256-GCM under a key derived from the server secret for this purpose only; the tenant id is authenticated
/// with each key, so a sealed key copied into another tenant's settings does not open. Plain keys exist only in
/// memory, for the call, and are never logged or returned by the API.
struct ProviderKeyVault: Sendable {
    private let key: SymmetricKey

    init(secret: SecretKey) {
        key = secret.derived(for: "provider-keys")
    }

    /// The key sealed for `tenant`, base64.
    func seal(_ apiKey: String, tenant: TenantID) throws -> String {
        let box = try AES.GCM.seal(Data(apiKey.utf8), using: key, authenticating: Data(tenant.rawValue.utf8))
        guard let combined = box.combined else { throw VaultError.cannotSeal }
        return combined.base64EncodedString()
    }

    /// The plain key, or an error when the sealed text was not made by this server for this tenant.
    func open(_ sealed: String, tenant: TenantID) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw VaultError.cannotOpen }
        let box = try AES.GCM.SealedBox(combined: data)
        let plain = try AES.GCM.open(box, using: key, authenticating: Data(tenant.rawValue.utf8))
        return String(decoding: plain, as: UTF8.self)
    }

    enum VaultError: Error, CustomStringConvertible {
        case cannotSeal, cannotOpen

        var description: String {
            switch self {
            case .cannotSeal: "the API key could not be sealed"
            case .cannotOpen: "a stored API key could not be opened (was the server secret changed?)"
            }
        }
    }
}
