import Foundation
import Hummingbird
import ParleyCore
import ParleyStore

/// The tenant's website domains: add, prove ownership by DNS TXT record, remove, and get the embed snippet.
enum DomainRoutes {
    struct CreateRequest: Decodable {
        var host: String
    }

    struct DomainView: Encodable {
        var id: String
        var host: String
        var verified: Bool
        var verifiedAt: Date?
        var verification: Verification
        var createdAt: Date

        struct Verification: Encodable {
            var recordType = "TXT"
            var recordName: String
            var value: String

            enum CodingKeys: String, CodingKey {
                case value
                case recordType = "record_type"
                case recordName = "record_name"
            }
        }

        init(_ domain: WebsiteDomain) {
            id = domain.id.rawValue
            host = domain.host
            verified = domain.isVerified
            verifiedAt = domain.verifiedAt
            verification = Verification(
                recordName: domain.verificationRecordName, value: domain.verificationRecordValue)
            createdAt = domain.createdAt
        }

        enum CodingKeys: String, CodingKey {
            case id, host, verified, verification
            case verifiedAt = "verified_at"
            case createdAt = "created_at"
        }
    }

    struct ScriptResponse: Encodable {
        var snippet: String
        var widgetKey: String

        enum CodingKeys: String, CodingKey {
            case snippet
            case widgetKey = "widget_key"
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(.get, "/api/domains", summary: "List the tenant's domains", tag: "domains", access: .staff(.analyst)) {
            request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            return try .json(try await services.store.domains.list(tenant: caller.tenantID).map(DomainView.init))
        }
        api.on(
            .post, "/api/domains", summary: "Add a domain; returns the TXT record that proves ownership",
            tag: "domains", access: .staff(.enterpriseAdmin), body: ["host": "string"], required: ["host"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let body = try await JSONBody.decode(CreateRequest.self, from: request, context: context)
            guard let host = normalizedHost(body.host) else {
                throw APIError.unprocessable("host must be a domain name such as shop.example.com")
            }
            let domain = WebsiteDomain(
                id: .generate(), tenantID: caller.tenantID, host: host,
                verificationToken: SecretTokens.random(bytes: 18),
                verifiedAt: nil, createdAt: Date())
            do {
                try await services.store.domains.create(domain)
            } catch StoreError.conflict(let message) {
                throw APIError(.conflict, "conflict", message)
            }
            return try .json(DomainView(domain), status: .created)
        }
        api.on(.get, "/api/domains/:id", summary: "One domain", tag: "domains", access: .staff(.analyst)) {
            request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            return try .json(DomainView(try await domain(context, tenant: caller.tenantID, services: services)))
        }
        api.on(
            .put, "/api/domains/:id/verify", summary: "Check the DNS TXT record and mark the domain verified",
            tag: "domains", access: .staff(.enterpriseAdmin)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            var domain = try await domain(context, tenant: caller.tenantID, services: services)
            let records: [String]
            do {
                records = try await services.resolver.txtRecords(for: domain.verificationRecordName)
            } catch {
                throw APIError(.badGateway, "dns_lookup_failed", "the DNS lookup failed: \(error)")
            }
            guard records.contains(where: { $0.trimmingCharacters(in: .whitespaces) == domain.verificationRecordValue })
            else {
                throw APIError(
                    .unprocessableContent, "verification_failed",
                    "no TXT record \(domain.verificationRecordName) with value \(domain.verificationRecordValue) "
                        + "was found (found \(records.count) TXT record(s))")
            }
            let now = Date()
            // Removed while its record was looked up: nothing is left to verify.
            guard try await services.store.domains.markVerified(domain.id, tenant: caller.tenantID, at: now) else {
                throw APIError.notFound("domain")
            }
            domain.verifiedAt = now
            return try .json(DomainView(domain))
        }
        api.on(
            .delete, "/api/domains/:id", summary: "Remove a domain", tag: "domains", access: .staff(.enterpriseAdmin)
        ) {
            request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            guard
                try await services.store.domains.delete(
                    DomainID(context.parameters.get("id") ?? ""), tenant: caller.tenantID)
            else { throw APIError.notFound("domain") }
            return Response(status: .noContent)
        }
        api.on(
            .get, "/api/domains/:id/script", summary: "The embed snippet for a domain", tag: "domains",
            access: .staff(.analyst)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            _ = try await domain(context, tenant: caller.tenantID, services: services)
            guard let tenant = try await services.store.tenants.get(caller.tenantID) else {
                throw APIError.notFound("tenant")
            }
            return try .json(
                ScriptResponse(
                    snippet: EmbedSnippet.html(baseURL: services.configuration.publicURL, widgetKey: tenant.widgetKey),
                    widgetKey: tenant.widgetKey))
        }
    }

    private static func domain(_ context: AppRequestContext, tenant: TenantID, services: AppServices) async throws
        -> WebsiteDomain
    {
        guard
            let domain = try await services.store.domains.get(
                DomainID(context.parameters.get("id") ?? ""), tenant: tenant)
        else { throw APIError.notFound("domain") }
        return domain
    }

    /// `https://Shop.Example.com:443/x` → `shop.example.com`; nil for anything that is not a domain name.
    static func normalizedHost(_ input: String) -> String? {
        var text = input.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        text = String(text.prefix { $0 != "/" && $0 != ":" && $0 != "?" && $0 != "#" })
        if text.hasSuffix(".") { text.removeLast() }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.count <= 253, labels.count >= 2,
            labels.allSatisfy({ label in
                (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }),
            labels.last?.allSatisfy(\.isNumber) == false
        else { return nil }
        return text
    }
}
