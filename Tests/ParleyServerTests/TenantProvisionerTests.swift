import Foundation
import ParleyCore
import Testing

@testable import ParleyServer

/// Provisioning a tenant is all or nothing.
@Suite("Tenant provisioning")
struct TenantProvisionerTests {
    @Test("creations racing for one admin email make one tenant; the others leave nothing behind")
    func racingCreationsLeaveNoOrphan() async throws {
        try await Harness.run { harness in
            let provisioner = TenantProvisioner(
                store: harness.store, passwords: try await PasswordHasher.make(cost: 4))
            let before = try await harness.store.tenants.list().count
            // All of them pass the email check before any admin is stored; all but one then fail on the email.
            let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await provisioner.create(name: "Race \(index)", adminEmail: "race@example.com")
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: 0) { count, made in count += made ? 1 : 0 }
            }
            #expect(created == 1)
            let tenants = try await harness.store.tenants.list()
            #expect(tenants.count == before + 1, "\(tenants.map(\.name))")
            let admin = try #require(try await harness.store.users.find(email: "race@example.com"))
            #expect(tenants.contains { $0.id == admin.tenantID })
        }
    }
}
