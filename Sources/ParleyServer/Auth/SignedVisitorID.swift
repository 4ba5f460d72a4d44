import Crypto
import Foundation
import ParleyCore

/// The long-lived visitor id the widget keeps: a random id plus an HMAC, so ids cannot be guessed or forged.
struct SignedVisitorID: Sendable {
    private let key: SymmetricKey

    init(secret: SecretKey) {
        key = secret.derived(for: "visitor-id")
    }

    /// The signed form of `visitor` for `tenant`: `<id>.<signature>`.
    func sign(_ visitor: VisitorID, tenant: TenantID) -> String {
        "\(visitor.rawValue).\(signature(visitor, tenant: tenant))"
    }

    /// The visitor id inside a signed value, or nil when the signature does not match this tenant.
    func verify(_ signed: String, tenant: TenantID) -> VisitorID? {
        guard let dot = signed.lastIndex(of: ".") else { return nil }
        let visitor = VisitorID(String(signed[..<dot]))
        let given = Data(signed[signed.index(after: dot)...].utf8)
        let expected = Data(signature(visitor, tenant: tenant).utf8)
        guard !visitor.rawValue.isEmpty else { return nil }
        return SecretTokens.equal(given, expected) ? visitor : nil
    }

    private func signature(_ visitor: VisitorID, tenant: TenantID) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(tenant.rawValue)/\(visitor.rawValue)".utf8), using: key)
        return Data(mac).prefix(16).hexString
    }
}
