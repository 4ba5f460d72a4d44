import Foundation
import Hummingbird
import LuaSandbox
import ParleyCore
import ParleyRules
import ParleyStore

/// The tenant's Lua rules: upload (validated), activate, roll back, deactivate, run in shadow and diff.
enum RuleRoutes {
    struct UploadRequest: Decodable {
        var source: String
        var fixtures: String?
    }

    struct VersionRequest: Decodable {
        var version: Int?
    }

    struct StatusView: Encodable {
        var name: String
        var latestVersion: Int
        var activeVersion: Int?
        var shadowVersion: Int?

        init(_ status: RuleStatus) {
            name = status.name
            latestVersion = status.latestVersion
            activeVersion = status.activeVersion
            shadowVersion = status.shadowVersion
        }

        enum CodingKeys: String, CodingKey {
            case name
            case latestVersion = "latest_version"
            case activeVersion = "active_version"
            case shadowVersion = "shadow_version"
        }
    }

    struct VersionView: Encodable {
        var name: String
        var version: Int
        var source: String
        var fixtures: String?
        var createdBy: String?
        var createdAt: Date

        init(_ version: RuleVersion) {
            name = version.name
            self.version = version.version
            source = version.source
            fixtures = version.fixtures
            createdBy = version.createdBy?.rawValue
            createdAt = version.createdAt
        }

        enum CodingKeys: String, CodingKey {
            case name, version, source, fixtures
            case createdBy = "created_by"
            case createdAt = "created_at"
        }
    }

    struct UploadResponse: Encodable {
        var name: String
        var version: Int
        var functions: [String]
        var fixturesPassed: Int
        var status: StatusView

        enum CodingKeys: String, CodingKey {
            case name, version, functions, status
            case fixturesPassed = "fixtures_passed"
        }
    }

    struct ShadowDiffView: Encodable {
        var rule: String
        var candidateVersion: Int
        var activeVersion: Int?
        var compared: Int
        var disagreements: Int
        var items: [Item]

        struct Item: Encodable {
            var messageID: String
            var conversationID: String
            var activeVersion: Int?
            var active: JSONValue
            var candidate: JSONValue
            var createdAt: Date

            enum CodingKeys: String, CodingKey {
                case active, candidate
                case messageID = "message_id"
                case conversationID = "conversation_id"
                case activeVersion = "active_version"
                case createdAt = "created_at"
            }
        }

        enum CodingKeys: String, CodingKey {
            case rule, compared, disagreements, items
            case candidateVersion = "candidate_version"
            case activeVersion = "active_version"
        }
    }

    static func register(_ api: APIRouter, services: AppServices) {
        api.on(
            .get, "/api/rules", summary: "The tenant's rules and their versions", tag: "rules", access: .staff(.analyst)
        ) {
            request, _ in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            return try .json(try await services.store.rules.statuses(tenant: caller.tenantID).map(StatusView.init))
        }
        api.on(
            .put, "/api/rules/:name",
            summary: "Upload a new version of a rule: compiled in the sandbox and checked against its fixtures",
            tag: "rules", access: .staff(.enterpriseAdmin), body: ["source": "string", "fixtures": "string"],
            required: ["source"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let name = try ruleName(context)
            let body = try await JSONBody.decode(UploadRequest.self, from: request, context: context)
            guard let owner = try await services.store.tenants.get(caller.tenantID) else {
                throw APIError.notFound("tenant")
            }
            // Checked under the limits the rule will run under: the tenant's plan over the installation's.
            let (functions, passed) = try check(
                name: name, body: body, limits: services.rules.limits(for: owner), services: services)
            let saved = try await services.store.rules.save(
                name: name.rawValue, source: body.source, fixtures: body.fixtures, tenant: caller.tenantID,
                by: caller.userID)
            return try .json(
                UploadResponse(
                    name: saved.name, version: saved.version, functions: functions, fixturesPassed: passed,
                    status: try await status(name, tenant: caller.tenantID, services: services)),
                status: .created)
        }
        api.on(
            .get, "/api/rules/:name/versions", summary: "Every stored version of a rule, newest first", tag: "rules",
            access: .staff(.analyst)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let versions = try await services.store.rules.versions(
                name: try ruleName(context).rawValue, tenant: caller.tenantID)
            guard !versions.isEmpty else { throw APIError.notFound("rule") }
            return try .json(versions.map(VersionView.init))
        }
        api.on(
            .post, "/api/rules/:name/activate",
            summary: "Make a version (default: the newest) the active one; takes effect on the next turn", tag: "rules",
            access: .staff(.enterpriseAdmin), body: ["version": "integer"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let name = try ruleName(context)
            let body = try await JSONBody.decodeIfPresent(VersionRequest.self, from: request, context: context)
            let latest = try await services.store.rules.versions(name: name.rawValue, tenant: caller.tenantID).first
            guard let version = body?.version ?? latest?.version,
                try await services.store.rules.activate(name: name.rawValue, version: version, tenant: caller.tenantID)
            else { throw APIError.notFound("rule version") }
            await services.tenantChanges.changed(caller.tenantID)
            return try .json(try await status(name, tenant: caller.tenantID, services: services))
        }
        api.on(
            .post, "/api/rules/:name/rollback",
            summary: "Restore what was in force before the last activation or deactivation", tag: "rules",
            access: .staff(.enterpriseAdmin)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let name = try ruleName(context)
            guard try await services.store.rules.rollback(name: name.rawValue, tenant: caller.tenantID) != nil else {
                throw APIError(.conflict, "no_previous_version", "there is nothing earlier to restore for this rule")
            }
            await services.tenantChanges.changed(caller.tenantID)
            return try .json(try await status(name, tenant: caller.tenantID, services: services))
        }
        api.on(
            .delete, "/api/rules/:name", summary: "Deactivate a rule (its versions are kept)", tag: "rules",
            access: .staff(.enterpriseAdmin)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let name = try ruleName(context)
            guard try await services.store.rules.deactivate(name: name.rawValue, tenant: caller.tenantID) else {
                throw APIError.notFound("rule")
            }
            await services.tenantChanges.changed(caller.tenantID)
            return try .json(try await status(name, tenant: caller.tenantID, services: services))
        }
        api.on(
            .post, "/api/rules/:name/shadow",
            summary: "Run a version in shadow beside the active one: decisions are stored, never applied", tag: "rules",
            access: .staff(.enterpriseAdmin), body: ["version": "integer"], required: ["version"]
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let name = try ruleName(context)
            let body = try await JSONBody.decode(VersionRequest.self, from: request, context: context)
            guard let version = body.version else { throw APIError.unprocessable("version is required") }
            guard
                try await services.store.rules.setShadow(name: name.rawValue, version: version, tenant: caller.tenantID)
            else { throw APIError.notFound("rule version") }
            await services.tenantChanges.changed(caller.tenantID)
            return try .json(try await status(name, tenant: caller.tenantID, services: services))
        }
        api.on(
            .delete, "/api/rules/:name/shadow", summary: "Stop running a rule's shadow candidate", tag: "rules",
            access: .staff(.enterpriseAdmin)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .enterpriseAdmin)
            let name = try ruleName(context)
            _ = try await services.store.rules.setShadow(name: name.rawValue, version: nil, tenant: caller.tenantID)
            await services.tenantChanges.changed(caller.tenantID)
            return try .json(try await status(name, tenant: caller.tenantID, services: services))
        }
        api.on(
            .get, "/api/rules/:name/shadow-diff",
            summary: "Where a shadow candidate disagreed with the active version (?version=N&limit=50&all=true)",
            tag: "rules", access: .staff(.analyst)
        ) { request, context in
            let caller = try await services.authenticator.staff(request, minimum: .analyst)
            let name = try ruleName(context)
            let query = request.uri.queryParameters
            let current = try await status(name, tenant: caller.tenantID, services: services)
            if let given = query.get("version"), Int(given).map({ $0 >= 1 }) != true {
                throw APIError.unprocessable("version must be a version number (1 or more)")
            }
            guard let candidate = query.get("version", as: Int.self) ?? current.shadowVersion else {
                throw APIError(.conflict, "no_shadow", "the rule has no shadow candidate; pass ?version=N")
            }
            let limit = min(max(query.get("limit", as: Int.self) ?? 50, 1), 500)
            let results = try await services.store.rules.shadowResults(
                name: name.rawValue, candidateVersion: candidate, tenant: caller.tenantID,
                disagreementsOnly: query.get("all") != "true", limit: limit)
            let counts = try await services.store.rules.shadowCounts(
                name: name.rawValue, candidateVersion: candidate, tenant: caller.tenantID)
            return try .json(
                ShadowDiffView(
                    rule: name.rawValue, candidateVersion: candidate, activeVersion: current.activeVersion,
                    compared: counts.total, disagreements: counts.disagreements,
                    items: results.map {
                        .init(
                            messageID: $0.messageID.rawValue, conversationID: $0.conversationID.rawValue,
                            activeVersion: $0.activeVersion, active: $0.active, candidate: $0.candidate,
                            createdAt: $0.createdAt)
                    }))
        }
    }

    /// The rule name from the path, or 422.
    private static func ruleName(_ context: AppRequestContext) throws -> RuleName {
        guard let name = RuleName(context.parameters.get("name") ?? "") else {
            throw APIError(
                .unprocessableContent, "invalid_rule_name", "rule names match \(RuleName.pattern)")
        }
        return name
    }

    /// Checks an upload: size, compiles and defines an API function, fixtures parse and pass.
    private static func check(
        name: RuleName, body: UploadRequest, limits: LuaLimits, services: AppServices
    ) throws -> (functions: [String], passed: Int) {
        guard body.source.utf8.count <= RuleProgram.maxSourceBytes else {
            throw APIError(
                .contentTooLarge, "rule_too_large", "source is larger than \(RuleProgram.maxSourceBytes / 1024) KiB")
        }
        let program = RuleProgram(name: name, version: 0, source: body.source)
        let functions: Set<String>
        switch services.rules.engine.functions(of: program, limits: limits) {
        case .failure(let failure):
            throw ruleError("rule_invalid", "the rule does not load: \(failure)", failure: failure)
        case .success(let found) where found.isEmpty:
            throw APIError(.unprocessableContent, "rule_invalid", "the rule defines neither on_message nor on_event")
        case .success(let found): functions = found
        }
        guard let fixturesText = body.fixtures else { return (functions.sorted(), 0) }
        let fixtures: [RuleFixture]
        do {
            fixtures = try RuleFixture.parse(jsonl: fixturesText)
        } catch {
            throw APIError(.unprocessableContent, "invalid_fixtures", "fixtures: \(error.message)")
        }
        guard fixtures.count <= RuleFixture.maxUploadCases else {
            throw APIError(
                .unprocessableContent, "invalid_fixtures",
                "fixtures: an upload holds at most \(RuleFixture.maxUploadCases) cases")
        }
        let results = FixtureRunner(limits: limits).run(program, fixtures: fixtures)
        let failed = results.filter { !$0.passed }
        guard failed.isEmpty else {
            var error = APIError(
                .unprocessableContent, "fixtures_failed", "\(failed.count) of \(results.count) fixture(s) failed")
            error.details = JSONDetails(
                value: [
                    "failures": failed.map { result in
                        [
                            "name": result.fixture.name, "line": result.fixture.line,
                            "problem": result.mismatch ?? "", "location": result.location,
                        ] as [String: Any]
                    }
                ])
            throw error
        }
        return (functions.sorted(), results.count)
    }

    private static func ruleError(_ code: String, _ message: String, failure: RuleFailure) -> APIError {
        var error = APIError(.unprocessableContent, code, message)
        var details: [String: Any] = ["kind": failure.kind.rawValue, "message": failure.message]
        if let line = failure.line { details["line"] = line }
        error.details = JSONDetails(value: details)
        return error
    }

    private static func status(_ name: RuleName, tenant: TenantID, services: AppServices) async throws -> StatusView {
        guard
            let status = try await services.store.rules.statuses(tenant: tenant).first(where: {
                $0.name == name.rawValue
            })
        else { throw APIError.notFound("rule") }
        return StatusView(status)
    }
}
