import Foundation
import ParleyCore
import ParleyStore

/// Fills an empty database with a platform admin and the `demo` tenant, so a first run has something to talk to.
struct DemoSeed {
    /// The accounts made, with their one-time passwords; printed once at startup, never logged.
    struct Result: Sendable {
        var platformAdmin: TenantProvisioner.Provisioned
        var demo: TenantProvisioner.Provisioned
    }

    let provisioner: TenantProvisioner

    /// Seeds when the database has no tenants; returns nil when it already had some.
    func seedIfEmpty() async throws -> Result? {
        guard try await provisioner.store.tenants.list().isEmpty else { return nil }
        let platform = try await provisioner.create(
            name: "Parley platform", adminEmail: "platform@parley.local", adminName: "Platform admin",
            role: .platformAdmin)
        let demo = try await provisioner.create(
            name: "Parley demo", adminEmail: "admin@demo.parley.local", adminName: "Demo admin",
            widgetKey: DemoPage.widgetKey)
        return Result(platformAdmin: platform, demo: demo)
    }
}
