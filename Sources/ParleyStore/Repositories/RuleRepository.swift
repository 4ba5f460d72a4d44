import Foundation
import ParleyCore

/// Stores tenants' Lua rules: numbered versions, an activation stack per rule, shadow candidates and their results.
///
/// Activations form a stack per rule, as chain configurations do: activating or deactivating pushes, rolling back
/// pops, so repeated rollbacks walk back through what was actually in force.
public protocol RuleRepository: Sendable {
    /// Stores a new version (the rule's next number) without activating it.
    func save(name: String, source: String, fixtures: String?, tenant: TenantID, by user: UserID?) async throws
        -> RuleVersion
    /// One stored version.
    func version(name: String, version: Int, tenant: TenantID) async throws -> RuleVersion?
    /// Every stored version of a rule, newest first.
    func versions(name: String, tenant: TenantID) async throws -> [RuleVersion]
    /// Makes a stored version the active one; false when the version does not exist.
    func activate(name: String, version: Int, tenant: TenantID) async throws -> Bool
    /// Stops running the rule (its versions stay); false when the rule does not exist.
    func deactivate(name: String, tenant: TenantID) async throws -> Bool
    /// Restores what was in force before the last activation or deactivation.
    ///
    /// Returns nil when there is nothing to roll back to; otherwise the version now active (`.some(nil)` when the
    /// rule is now inactive).
    func rollback(name: String, tenant: TenantID) async throws -> Int??
    /// The active version of every active rule, in name order.
    func active(tenant: TenantID) async throws -> [RuleVersion]
    /// Every rule with its newest, active and shadow versions, in name order.
    func statuses(tenant: TenantID) async throws -> [RuleStatus]
    /// Runs a stored version in shadow beside the active one, or stops shadowing with nil; false when the version
    /// does not exist.
    func setShadow(name: String, version: Int?, tenant: TenantID) async throws -> Bool
    /// The candidate version of every rule in shadow, in name order.
    func shadows(tenant: TenantID) async throws -> [RuleVersion]
    /// Stores the comparisons of one turn.
    func recordShadowResults(_ results: [ShadowResult]) async throws
    /// Stored comparisons of a rule's candidate version, newest first; only disagreements when asked.
    func shadowResults(
        name: String, candidateVersion: Int, tenant: TenantID, disagreementsOnly: Bool, limit: Int
    ) async throws -> [ShadowResult]
    /// How many comparisons of a candidate version are stored, and how many disagree.
    func shadowCounts(name: String, candidateVersion: Int, tenant: TenantID) async throws -> (
        total: Int, disagreements: Int
    )
}
