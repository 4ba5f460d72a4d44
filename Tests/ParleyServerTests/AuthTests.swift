import Foundation
import Testing

@Suite("Staff auth, API keys and role checks")
struct AuthTests {
    @Test("login, refresh rotation, reuse detection and logout")
    func refreshFlow() async throws {
        try await Harness.run { harness in
            let wrong = try await harness.call(
                .post, "/api/auth/login", json: ["email": harness.seed.demoAdminEmail, "password": "nope"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "invalid_credentials")
            let unknown = try await harness.call(
                .post, "/api/auth/login", json: ["email": "x@y.z", "password": "nope"])
            #expect(unknown.errorCode == "invalid_credentials")

            let login = try await harness.call(
                .post, "/api/auth/login",
                json: ["email": harness.seed.demoAdminEmail.uppercased(), "password": harness.seed.demoAdminPassword])
            #expect(login.status == .ok)
            #expect(login["expires_in"].int == 900)
            #expect(login["user"]["role"].string == "enterprise_admin")
            let refresh = try #require(login["refresh_token"].string)

            let rotated = try await harness.call(.post, "/api/auth/refresh", json: ["refresh_token": refresh])
            #expect(rotated.status == .ok)
            let next = try #require(rotated["refresh_token"].string)
            #expect(next != refresh)
            let access = try #require(rotated["access_token"].string)
            #expect(try await harness.call(.get, "/api/chain", token: access).status == .ok)

            let replay = try await harness.call(.post, "/api/auth/refresh", json: ["refresh_token": refresh])
            #expect(replay.errorCode == "refresh_token_reused")
            // The replay revoked the whole family, including the token issued by the rotation.
            let afterReplay = try await harness.call(.post, "/api/auth/refresh", json: ["refresh_token": next])
            #expect(afterReplay.status == .unauthorized)

            let again = try await harness.call(
                .post, "/api/auth/login",
                json: ["email": harness.seed.demoAdminEmail, "password": harness.seed.demoAdminPassword])
            let token = try #require(again["refresh_token"].string)
            #expect(
                try await harness.call(.post, "/api/auth/logout", json: ["refresh_token": token]).status == .noContent)
            #expect(
                try await harness.call(.post, "/api/auth/refresh", json: ["refresh_token": token]).status
                    == .unauthorized)
        }
    }

    @Test("a user replaces their one-time password; the old one and every old session stop working")
    func passwordChange() async throws {
        try await Harness.run { harness in
            let email = harness.seed.demoAdminEmail
            let original = harness.seed.demoAdminPassword
            let login = try await harness.call(.post, "/api/auth/login", json: ["email": email, "password": original])
            let access = try #require(login["access_token"].string)
            let refresh = try #require(login["refresh_token"].string)
            func change(_ current: String, _ new: String, token: String) async throws -> Reply {
                try await harness.call(
                    .post, "/api/auth/password", json: ["current_password": current, "new_password": new],
                    token: token)
            }
            #expect(try await change("wrong-password", "a-much-better-secret", token: access).status == .unauthorized)
            #expect(try await change(original, "short", token: access).status == .unprocessableContent)
            #expect(try await change(original, original, token: access).status == .unprocessableContent)
            // bcrypt reads 72 bytes: a longer password is refused rather than cut without a word.
            let long = try await change(original, String(repeating: "a", count: 72) + "tail", token: access)
            #expect(long.status == .unprocessableContent && long.text.contains("72 bytes"), "\(long.text)")
            let wide = try await change(original, String(repeating: "é", count: 37), token: access)
            #expect(wide.status == .unprocessableContent, "37 two-byte letters are 74 bytes: \(wide.text)")
            let changed = try await change(original, "a-much-better-secret", token: access)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed["access_token"].string != nil && changed["refresh_token"].string != nil)
            // The old password and the old session are done; the new password signs in.
            let old = try await harness.call(.post, "/api/auth/login", json: ["email": email, "password": original])
            #expect(old.status == .unauthorized)
            let stale = try await harness.call(.post, "/api/auth/refresh", json: ["refresh_token": refresh])
            #expect(stale.status == .unauthorized, "\(stale.text)")
            let fresh = try await harness.call(
                .post, "/api/auth/login", json: ["email": email, "password": "a-much-better-secret"])
            #expect(fresh.status == .ok)
            // An API key has no password to change.
            let key = try await harness.call(
                .post, "/api/api-keys", json: ["name": "k", "role": "analyst"],
                token: try #require(fresh["access_token"].string))
            let secret = try #require(key["secret"].string)
            #expect(try await change("x", "a-much-better-secret-2", token: secret).status == .forbidden)
        }
    }

    @Test("removing a user revokes the API keys made on their behalf, and the keys those keys made")
    func keysEndWithTheirCreator() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let invited = try await harness.call(
                .post, "/api/users", json: ["email": "leaving@demo.test", "role": "enterprise_admin"], token: admin)
            let password = try #require(invited["one_time_password"].string, "\(invited.text)")
            let userID = try #require(invited["user"]["id"].string)
            let leaving = try await harness.login("leaving@demo.test", password)
            func key(_ name: String, by token: String) async throws -> (secret: String, view: Reply) {
                let made = try await harness.call(
                    .post, "/api/api-keys", json: ["name": name, "role": "enterprise_admin"], token: token)
                return (try #require(made["secret"].string, "\(made.text)"), made)
            }
            let theirs = try await key("theirs", by: leaving)
            #expect(theirs.view["api_key"]["created_by"].string == userID)
            let made = try await key("made-by-their-key", by: theirs.secret)
            #expect(made.view["api_key"]["created_by"].string == userID, "a key made with a key is made for its user")
            let kept = try await key("kept", by: admin)
            for secret in [theirs.secret, made.secret, kept.secret] {
                #expect(try await harness.call(.get, "/api/conversations", token: secret).status == .ok)
            }
            #expect(try await harness.call(.delete, "/api/users/\(userID)", token: admin).status == .noContent)
            #expect(try await harness.call(.get, "/api/conversations", token: theirs.secret).status == .unauthorized)
            #expect(try await harness.call(.get, "/api/conversations", token: made.secret).status == .unauthorized)
            #expect(try await harness.call(.get, "/api/conversations", token: kept.secret).status == .ok)
        }
    }

    @Test("API keys authenticate until revoked, and never exceed their creator's role")
    func apiKeys() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let created = try await harness.call(
                .post, "/api/api-keys", json: ["name": "reporting", "role": "analyst"], token: admin)
            #expect(created.status == .created)
            let secret = try #require(created["secret"].string)
            let id = try #require(created["api_key"]["id"].string)
            #expect(secret.hasPrefix("prl_"))
            #expect(
                try await harness.call(.get, "/api/conversations", headers: [.init("X-API-Key")!: secret]).status == .ok
            )
            #expect(try await harness.call(.get, "/api/conversations", token: secret).status == .ok)
            // An analyst key cannot change the chain.
            #expect(
                try await harness.call(.put, "/api/chain", json: ["stages": []], token: secret).status == .forbidden)
            let listed = try await harness.call(.get, "/api/api-keys", token: admin)
            #expect(listed.json.array.first?["prefix"].string == String(secret.prefix(10)))
            #expect(!listed.text.contains(secret), "the secret is shown only once")
            #expect(try await harness.call(.delete, "/api/api-keys/\(id)", token: admin).status == .noContent)
            #expect(try await harness.call(.get, "/api/conversations", token: secret).status == .unauthorized)
            let platformKey = try await harness.call(
                .post, "/api/api-keys", json: ["name": "x", "role": "platform_admin"], token: admin)
            #expect(platformKey.status == .forbidden)
        }
    }

    @Test("roles are enforced on every admin route")
    func roles() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            var tokens: [String: String] = [:]
            for role in ["analyst", "human_agent", "agent_manager"] {
                let invited = try await harness.call(
                    .post, "/api/users", json: ["email": "\(role)@demo.test", "role": role], token: admin)
                #expect(invited.status == .created)
                tokens[role] = try await harness.login(
                    "\(role)@demo.test", try #require(invited["one_time_password"].string))
            }
            let analyst = try #require(tokens["analyst"])
            let agent = try #require(tokens["human_agent"])
            let manager = try #require(tokens["agent_manager"])
            #expect(try await harness.call(.get, "/api/chain", token: analyst).status == .ok)
            #expect(
                try await harness.call(.put, "/api/chain", json: ["stages": []], token: analyst).status == .forbidden)
            #expect(try await harness.call(.post, "/api/chain/rollback", token: manager).status == .forbidden)
            #expect(try await harness.call(.get, "/api/users", token: agent).status == .forbidden)
            #expect(try await harness.call(.get, "/api/users", token: manager).status == .ok)
            #expect(
                try await harness.call(
                    .post, "/api/users", json: ["email": "x@demo.test", "role": "analyst"], token: manager
                )
                .status == .forbidden)
            #expect(
                try await harness.call(.post, "/api/domains", json: ["host": "a.example.com"], token: manager).status
                    == .forbidden)
            #expect(try await harness.call(.get, "/api/api-keys", token: manager).status == .forbidden)
            #expect(try await harness.call(.get, "/api/tenants", token: admin).status == .forbidden)
            #expect(
                try await harness.call(
                    .post, "/api/users", json: ["email": "p@demo.test", "role": "platform_admin"], token: admin
                )
                .status == .forbidden)
            let forbidden = try await harness.call(.get, "/api/users", token: agent)
            #expect(forbidden.errorCode == "forbidden")
        }
    }

    @Test("a removed user's access token stops working at once, before it expires")
    func removedUserToken() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let invited = try await harness.call(
                .post, "/api/users", json: ["email": "gone@demo.test", "role": "enterprise_admin"], token: admin)
            let gone = try await harness.login("gone@demo.test", try #require(invited["one_time_password"].string))
            #expect(try await harness.call(.get, "/api/chain", token: gone).status == .ok)
            let id = try #require(invited["user"]["id"].string)
            #expect(try await harness.call(.delete, "/api/users/\(id)", token: admin).status == .noContent)
            let refused = try await harness.call(.post, "/api/api-keys", json: ["name": "after"], token: gone)
            #expect(refused.status == .unauthorized && refused.errorCode == "unauthorized", "\(refused.text)")
            #expect(try await harness.call(.get, "/api/chain", token: gone).status == .unauthorized)
        }
    }

    @Test("/metrics asks for its token when one is set, and is off in production without one")
    func metricsAccess() async throws {
        var guarded = Harness.configuration()
        guarded.metricsToken = "scrape-secret"
        try await Harness.run(guarded) { harness in
            for token in [nil, "scrape-secreT", "scrape-secret-"] {
                let refused = try await harness.call(.get, "/metrics", token: token)
                #expect(refused.status == .unauthorized && refused.errorCode == "unauthorized", "\(refused.text)")
            }
            let scraped = try await harness.call(.get, "/metrics", token: "scrape-secret")
            #expect(scraped.status == .ok && scraped.text.contains("# TYPE"))
        }
        var production = Harness.configuration()
        production.environment = .production
        try await Harness.run(production) { harness in
            let off = try await harness.call(.get, "/metrics")
            #expect(
                off.status == .forbidden && off.errorCode == "forbidden" && off.text.contains("PARLEY_METRICS_TOKEN"))
        }
        try await Harness.run { harness in
            let open = try await harness.call(.get, "/metrics")
            #expect(open.status == .ok, "open in development without a token")
        }
    }

    @Test("nobody removes a user whose role is above their own")
    func removalCeiling() async throws {
        try await Harness.run { harness in
            let platform = try await harness.platformAdmin()
            let invited = try await harness.call(
                .post, "/api/users", json: ["email": "ops@platform.test", "role": "enterprise_admin"], token: platform)
            #expect(invited.status == .created, "\(invited.text)")
            let enterpriseAdmin = try await harness.login(
                "ops@platform.test", try #require(invited["one_time_password"].string))
            let users = try await harness.call(.get, "/api/users", token: platform).json.array
            let platformID = try #require(
                users.first { $0["email"].string == harness.seed.platformAdminEmail }?["id"].string)
            let refused = try await harness.call(.delete, "/api/users/\(platformID)", token: enterpriseAdmin)
            #expect(refused.status == .forbidden && refused.errorCode == "forbidden", "\(refused.text)")
            #expect(try await harness.platformAdmin().isEmpty == false, "the platform admin can still sign in")
            // An API key acts for its maker: it cannot remove them (that would leave the tenant without them).
            let key = try await harness.call(
                .post, "/api/api-keys", json: ["name": "ops", "role": "enterprise_admin"], token: enterpriseAdmin)
            let secret = try #require(key["secret"].string, "\(key.text)")
            let invitedID = try #require(invited["user"]["id"].string)
            let byKey = try await harness.call(.delete, "/api/users/\(invitedID)", token: secret)
            #expect(byKey.status == .conflict && byKey.errorCode == "cannot_remove_self", "\(byKey.text)")
            // Within the ceiling, removal works: the platform admin removes the enterprise admin.
            #expect(try await harness.call(.delete, "/api/users/\(invitedID)", token: platform).status == .noContent)
        }
    }

    @Test("platform admins manage tenants and may act for one; tenant admins may not")
    func platformAdmin() async throws {
        try await Harness.run { harness in
            let platform = try await harness.platformAdmin()
            let tenants = try await harness.call(.get, "/api/tenants", token: platform)
            #expect(tenants.json.array.count == 2)
            let demoID = harness.seed.demoTenantID.rawValue
            let asDemo = try await harness.call(
                .get, "/api/chain", token: platform, headers: [.init("X-Parley-Tenant")!: demoID])
            #expect(asDemo.status == .ok)
            let missing = try await harness.call(
                .get, "/api/chain", token: platform, headers: [.init("X-Parley-Tenant")!: "no-such-tenant"])
            #expect(missing.status == .notFound)
            let other = try await harness.newTenant("Globex")
            let demoAdmin = try await harness.demoAdmin()
            let hop = try await harness.call(
                .get, "/api/chain", token: demoAdmin, headers: [.init("X-Parley-Tenant")!: other.id])
            #expect(hop.status == .forbidden)
            let invalid = try await harness.call(
                .post, "/api/tenants", json: ["name": "", "admin_email": "not-an-email"], token: platform)
            #expect(invalid.status == .unprocessableContent)
            let longName = try await harness.call(
                .post, "/api/tenants",
                json: [
                    "name": "Long", "admin_email": "admin@long.test", "admin_name": String(repeating: "n", count: 201),
                ],
                token: platform)
            #expect(longName.status == .unprocessableContent, "\(longName.text)")
            #expect(try await harness.store.users.find(email: "admin@long.test") == nil)
            let duplicate = try await harness.call(
                .post, "/api/tenants", json: ["name": "Again", "admin_email": "admin@globex.test"], token: platform)
            #expect(duplicate.status == .conflict)
        }
    }
}
