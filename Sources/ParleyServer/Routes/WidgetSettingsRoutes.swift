import Crypto
import Foundation
import Hummingbird
import ParleyCore

/// The widget's look and behaviour: the public configuration the loader fetches, and the settings tenant admins
/// edit.
enum WidgetSettingsRoutes {
    /// What the loader needs to show the widget.
    struct ConfigView: Encodable {
        var tenantName: String
        var bundle: [String: String]
        var branding: Branding
        var strings: [String: WidgetStrings]
        var defaultLocale: String
        var away: Bool
        var consentRequired: Bool
        var triggers: [WidgetTrigger]
        var uploads: Uploads

        /// Whether visitors may attach files, and how large.
        struct Uploads: Encodable {
            var enabled: Bool
            var maxBytes: Int

            enum CodingKeys: String, CodingKey {
                case enabled
                case maxBytes = "max_bytes"
            }
        }

        struct Branding: Encodable {
            var color: String
            var textColor: String
            var position: String
            var logoURL: String?

            enum CodingKeys: String, CodingKey {
                case color, position
                case textColor = "text_color"
                case logoURL = "logo_url"
            }
        }

        enum CodingKeys: String, CodingKey {
            case bundle, branding, strings, away, triggers, uploads
            case tenantName = "tenant_name"
            case defaultLocale = "default_locale"
            case consentRequired = "consent_required"
        }
    }

    /// The settings as admins see them: everything but the sealed identity secret.
    struct SettingsView: Encodable {
        var settings: WidgetSettings
        var hasIdentitySecret: Bool

        func encode(to encoder: any Encoder) throws {
            var visible = settings
            visible.sealedIdentitySecret = nil
            try visible.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(hasIdentitySecret, forKey: .hasIdentitySecret)
        }

        enum Keys: String, CodingKey {
            case hasIdentitySecret = "has_identity_secret"
        }
    }

    static func register(_ api: APIRouter, services: AppServices, assets: WidgetAssets) {
        api.on(
            .get, "/api/widget/config", summary: "The widget's public configuration for a widget key (?key=)",
            tag: "widget", access: .publicAccess
        ) { request, context in
            guard let key = request.uri.queryParameters.get("key"), !key.isEmpty else {
                throw APIError.unprocessable("the key query parameter (the widget key) is required")
            }
            // No widget key is longer: a longer one is unknown, not missing.
            guard key.unicodeScalars.count <= 128, let tenant = try await services.store.tenants.find(widgetKey: key)
            else {
                throw APIError(.notFound, "invalid_widget_key", "the widget key is unknown")
            }
            // Public and cached by browsers for a minute: it does not spend the widget key's session budget, which
            // anyone who reads the key off a page could otherwise exhaust for every visitor.
            let settings = try await services.store.widgets.get(tenant: tenant.id) ?? WidgetSettings()
            let open = try await services.proactive.businessHours(
                tenant: tenant, visitor: VisitorID("widget-config"), logger: context.logger)
            var strings = settings.strings
            strings[settings.defaultLocale] = settings.words(for: settings.defaultLocale)
            let view = ConfigView(
                tenantName: tenant.name, bundle: ["js": assets.scriptPath, "css": assets.stylesPath],
                branding: .init(
                    color: settings.color, textColor: settings.textColor, position: settings.position,
                    logoURL: settings.logoURL),
                strings: strings, defaultLocale: settings.defaultLocale, away: open == false,
                consentRequired: settings.consentRequired, triggers: settings.triggers,
                uploads: .init(
                    enabled: settings.uploadsEnabled,
                    maxBytes: min(settings.uploadMaxBytes, services.configuration.maxAttachmentBytes)))
            var response = try Response.json(view)
            response.headers[.cacheControl] = "public, max-age=60"
            return response
        }

        api.on(
            .get, "/api/widget/settings", summary: "The tenant's widget settings", tag: "widget",
            access: .staff(.agentManager)
        ) { request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .agentManager)
            let settings = try await services.store.widgets.get(tenant: caller.tenantID) ?? WidgetSettings()
            return try .json(SettingsView(settings: settings, hasIdentitySecret: settings.sealedIdentitySecret != nil))
        }

        api.on(
            .put, "/api/widget/settings",
            summary: "Replace the widget's branding, words, consent rule and triggers (omitted fields get defaults)",
            tag: "widget", access: .staff(.enterpriseAdmin),
            body: [
                "color": "string", "text_color": "string", "position": "string", "logo_url": "string",
                "strings": "object", "default_locale": "string", "consent_required": "boolean", "triggers": "array",
                "uploads_enabled": "boolean", "upload_max_bytes": "integer",
            ]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let input = try await JSONBody.decode(WidgetSettings.self, from: request, context: context)
            let problems = input.problems()
            guard problems.isEmpty else { throw APIError.unprocessable(problems.joined(separator: "; ")) }
            let settings = try await services.store.widgets.update(tenant: caller.tenantID) { settings in
                // The identity secret is only ever set by rotating it, and stays as the latest rotation left it.
                let secret = settings.sealedIdentitySecret
                settings = input
                settings.sealedIdentitySecret = secret
            }
            return try .json(SettingsView(settings: settings, hasIdentitySecret: settings.sealedIdentitySecret != nil))
        }

        api.on(
            .post, "/api/widget/identity-secret",
            summary: "Make a new identity secret for signing visitor identities; shown once, in this response",
            tag: "widget", access: .staff(.enterpriseAdmin)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.hexString
            let sealed = try services.keyVault.seal(secret, tenant: caller.tenantID)
            _ = try await services.store.widgets.update(tenant: caller.tenantID) { $0.sealedIdentitySecret = sealed }
            context.logger.info("widget identity secret rotated", metadata: ["tenant": "\(caller.tenantID)"])
            return try .json(["identity_secret": secret], status: .created)
        }
    }
}
