import ArgumentParser
import Foundation
import Logging
import ParleyServer
import ParleyStore

/// `parley tenant`: tenant administration from the shell.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Manage tenants.", subcommands: [Create.self])

    /// `parley tenant create`: makes a tenant and its first admin, printing the one-time password.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant with an admin; prints its id, widget key and a one-time admin password.")

        @OptionGroup var options: ServerOptions

        @Option(help: "The tenant's name.")
        var name: String

        @Option(help: "The first admin's email.")
        var adminEmail: String

        @Flag(help: "Print one JSON object instead of text.")
        var json = false

        func validate() throws {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--name must not be empty")
            }
            guard Provisioning.isPlausibleEmail(adminEmail) else {
                throw ValidationError("--admin-email is not an email address")
            }
        }

        func run() async throws {
            let configuration = try options.configuration()
            let created = try await configuration.withStore(logger: Logger(label: "parley.tenant")) { store in
                try await store.migrate()
                do {
                    return try await Provisioning.createTenant(
                        store: store, name: name, adminEmail: adminEmail, bcryptCost: configuration.bcryptCost)
                } catch StoreError.conflict(let message) {
                    throw CommandFailure(message)
                }
            }
            if json {
                let object: [String: String] = [
                    "tenant_id": created.tenantID, "widget_key": created.widgetKey, "admin_email": created.adminEmail,
                    "admin_password": created.password,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(
                    """
                    Created tenant \(name)
                      tenant id:      \(created.tenantID)
                      widget key:     \(created.widgetKey)
                      admin:          \(created.adminEmail)
                      password:       \(created.password)   (shown once)
                    """)
            }
        }
    }
}
