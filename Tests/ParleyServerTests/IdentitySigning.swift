import Crypto
import Foundation

/// Signs visitor identities as a tenant's backend does for `POST /api/widget/identify`.
enum IdentitySigning {
    /// The hex HMAC-SHA256 of `id` under the tenant's identity `secret`.
    static func hash(_ id: String, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(id.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(code).map { String(format: "%02x", $0) }.joined()
    }
}
