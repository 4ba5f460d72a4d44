import Foundation
import ParleyCore
import ParleyKnowledge
import ParleyStore

/// Fills an empty database with a platform admin and the `demo` tenant, so a first run has something to talk to:
/// the demo shop's FAQ to answer from, and a widget with its branding and a proactive trigger on the pricing page.
struct DemoSeed {
    /// The accounts made, with their one-time passwords; printed once at startup, never logged.
    struct Result: Sendable {
        var platformAdmin: TenantProvisioner.Provisioned
        var demo: TenantProvisioner.Provisioned
    }

    let provisioner: TenantProvisioner
    /// Ingests the demo shop's FAQ; nil leaves the demo tenant empty.
    let ingestor: KnowledgeIngestor?

    /// The demo shop's frequently asked questions.
    static let faq: [(question: String, answer: String)] = [
        (
            "How long does shipping take?",
            "Standard shipping takes 3 to 5 business days. Express shipping arrives the next business day when you "
                + "order before 2 pm."
        ),
        (
            "What is your return policy?",
            "You can return unworn items within 30 days of delivery for a full refund. Returns are free with the "
                + "prepaid label in your parcel."
        ),
        (
            "Which plans do you offer?",
            "The Starter plan costs 9 euros a month, the Team plan 29 euros a month with five seats, and the "
                + "Business plan 99 euros a month with unlimited seats and priority support."
        ),
        (
            "How do I reset my password?",
            "Open the sign-in page, choose Forgot password and follow the link we email you. The link is valid for "
                + "one hour."
        ),
    ]

    /// The demo widget: the shop's name, colours, and a nudge after a few seconds on the pricing page.
    static var widget: WidgetSettings {
        var settings = WidgetSettings()
        settings.color = "#0f766e"
        settings.uploadsEnabled = true
        settings.strings = [
            "en": WidgetStrings(
                title: "Acme Outfitters", greeting: "Hi! Ask me about shipping, returns or our plans.",
                launcher: "Questions? Chat with us"),
            "de": WidgetStrings(
                title: "Acme Outfitters", greeting: "Hallo! Fragen Sie mich zu Versand, Rückgabe oder Tarifen.",
                launcher: "Fragen? Schreiben Sie uns", placeholder: "Nachricht eingeben"),
        ]
        settings.triggers = [
            WidgetTrigger(
                id: "pricing-help", urlPattern: "/pricing", seconds: 5,
                message: "Comparing plans? I can help you choose.", cooldownSeconds: 3_600)
        ]
        return settings
    }

    /// Seeds when the database has no tenants; returns nil when it already had some.
    func seedIfEmpty() async throws -> Result? {
        let store = provisioner.store
        guard try await store.tenants.list().isEmpty else { return nil }
        let platform = try await provisioner.create(
            name: "Parley platform", adminEmail: "platform@parley.local", adminName: "Platform admin",
            role: .platformAdmin)
        let demo = try await provisioner.create(
            name: "Parley demo", adminEmail: "admin@demo.parley.local", adminName: "Demo admin",
            widgetKey: DemoShopRoutes.widgetKey)
        guard let ingestor else { return Result(platformAdmin: platform, demo: demo) }
        for (index, entry) in Self.faq.enumerated() {
            _ = try await ingestor.ingest(
                .init(
                    content: .faq(question: entry.question, answer: entry.answer), sourceKey: "demo-faq-\(index + 1)",
                    title: entry.question, url: "/demo#faq-\(index + 1)"),
                tenant: demo.tenant.id)
        }
        _ = try await store.widgets.update(tenant: demo.tenant.id) { $0 = Self.widget }
        return Result(platformAdmin: platform, demo: demo)
    }
}
