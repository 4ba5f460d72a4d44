import Foundation
import ParleyAI

/// Refuses a tenant's model or embeddings URL whose host is on a private network the operator has not allowed, when
/// the settings are saved (each request is checked again, against DNS rebinding).
enum EndpointAddressCheck {
    /// Throws a 422 `endpoint_not_allowed` when `baseURL`'s host resolves to a private address `clients` refuse.
    ///
    /// A URL that does not parse is left to the settings' own validation, and a host that does not resolve now is
    /// accepted: the lookup may have failed for a moment, and the turn's call reports it.
    static func require(_ baseURL: String, field: String, clients: AddressCheckedHTTPClients) async throws {
        guard let url = URL(string: baseURL), url.host != nil else { return }
        do {
            try await clients.check(url)
        } catch AddressCheckError.privateAddress(let host) {
            throw refusal(host: host, field: field)
        } catch is AddressCheckError {
            return
        }
    }

    /// The error for a host the check refused.
    static func refusal(host: String, field: String) -> APIError {
        APIError(
            .unprocessableContent, "endpoint_not_allowed",
            "\(field): \(host) resolves to a private or loopback address; the server's operator can allow it with "
                + "PARLEY_PROVIDER_PRIVATE_HOSTS")
    }
}
