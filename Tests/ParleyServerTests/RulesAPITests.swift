import Foundation
import Testing

/// Tenants' Lua rules through the API, end to end on a live server: upload checks, activation without a restart,
/// rollback, shadow diffs, limits that never cost the visitor a reply, isolation and roles.
@Suite("Rules API")
struct RulesAPITests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules/examples")

    static func replying(_ text: String, when word: String = "ping") -> String {
        """
        function on_message(turn)
          if string.find(string.lower(turn.text), "\(word)", 1, true) then
            return { reply = "\(text)" }
          end
        end
        """
    }

    @Test("uploads are checked: name, size, compile, API functions, fixtures; bad ones store nothing")
    func uploadChecks() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            func put(_ name: String, _ body: [String: Any]) async throws -> Reply {
                try await harness.call(.put, "/api/rules/\(name)", json: body, token: admin)
            }
            let badName = try await put("Bad%20Name", ["source": "function on_message(t) end"])
            #expect(badName.status == .unprocessableContent)
            #expect(badName.errorCode == "invalid_rule_name")

            let syntax = try await put("broken", ["source": "function on_message(t)\n  return {\nend"])
            #expect(syntax.status == .unprocessableContent)
            #expect(syntax.errorCode == "rule_invalid")
            #expect(syntax["error"]["details"]["kind"].string == "syntax")
            #expect(syntax["error"]["details"]["line"].int == 3)

            let nothing = try await put("nothing", ["source": "local x = 1"])
            #expect(nothing.errorCode == "rule_invalid")
            #expect(nothing["error"]["message"].string?.contains("neither on_message nor on_event") == true)

            let large = try await put("large", ["source": "-- " + String(repeating: "x", count: 70_000)])
            #expect(large.status == .contentTooLarge)
            #expect(large.errorCode == "rule_too_large")

            let wrongType = try await put("typed", ["source": 42])
            #expect(wrongType.status == .unprocessableContent)

            let badFixtures = try await put(
                "pinger", ["source": Self.replying("pong"), "fixtures": "{\"turn\": {\"txt\": 1}}"])
            #expect(badFixtures.errorCode == "invalid_fixtures")
            #expect(badFixtures["error"]["message"].string?.contains("line 1") == true)

            let failing = try await put(
                "pinger",
                [
                    "source": Self.replying("pong"),
                    "fixtures": """
                    {"name": "ping", "turn": {"text": "ping"}, "expect": {"reply": "pong"}}
                    {"name": "wrong", "turn": {"text": "ping"}, "expect": {"reply": "PONG"}}
                    """,
                ])
            #expect(failing.errorCode == "fixtures_failed")
            #expect(failing["error"]["details"]["failures"][0]["line"].int == 2)
            #expect(failing["error"]["details"]["failures"][0]["problem"].string == "reply differs")
            #expect(try await harness.call(.get, "/api/rules/pinger/versions", token: admin).status == .notFound)

            let stored = try await put(
                "pinger",
                [
                    "source": Self.replying("pong"),
                    "fixtures":
                        "{\"name\": \"ping\", \"turn\": {\"text\": \"ping\"}, \"expect\": {\"reply\": \"pong\"}}",
                ])
            #expect(stored.status == .created, "\(stored.text)")
            #expect(stored["version"].int == 1)
            #expect(stored["functions"].array.compactMap(\.string) == ["on_message"])
            #expect(stored["fixtures_passed"].int == 1)
            #expect(stored["status"]["active_version"].isNull, "uploading does not activate")
        }
    }

    @Test("activation takes effect on the next turn; rollback and deactivation too, without a restart")
    func activationAndRollback() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let visitor = try await harness.session()
            func answer(_ text: String) async throws -> String? {
                try await harness.say(text, token: visitor.token, conversation: visitor.conversation)["reply"]["text"]
                    .string
            }
            let fallback = try await answer("ping")
            #expect(fallback != "pong v1")
            for version in ["v1", "v2"] {
                let stored = try await harness.call(
                    .put, "/api/rules/pinger", json: ["source": Self.replying("pong \(version)")], token: admin)
                #expect(stored.status == .created)
            }
            let activated = try await harness.call(
                .post, "/api/rules/pinger/activate", json: ["version": 1], token: admin)
            #expect(activated["active_version"].int == 1)
            #expect(try await answer("ping") == "pong v1")

            let latest = try await harness.call(.post, "/api/rules/pinger/activate", token: admin)
            #expect(latest["active_version"].int == 2, "no body activates the newest version")
            #expect(try await answer("ping") == "pong v2")

            let rolledBack = try await harness.call(.post, "/api/rules/pinger/rollback", token: admin)
            #expect(rolledBack["active_version"].int == 1)
            #expect(try await answer("ping") == "pong v1")

            let deactivated = try await harness.call(.delete, "/api/rules/pinger", token: admin)
            #expect(deactivated["active_version"].isNull)
            #expect(try await answer("ping") == fallback)
            #expect(
                try await harness.call(.post, "/api/rules/pinger/rollback", token: admin)["active_version"].int == 1)
            #expect(try await harness.call(.post, "/api/rules/pinger/rollback", token: admin)["active_version"].isNull)
            let nothingLeft = try await harness.call(.post, "/api/rules/pinger/rollback", token: admin)
            #expect(nothingLeft.status == .conflict)
            #expect(nothingLeft.errorCode == "no_previous_version")
            #expect(
                try await harness.call(.post, "/api/rules/pinger/activate", json: ["version": 9], token: admin).status
                    == .notFound)

            let versions = try await harness.call(.get, "/api/rules/pinger/versions", token: admin)
            #expect(versions.json.array.compactMap { $0["version"].int } == [2, 1])
            #expect(versions.json[0]["source"].string?.contains("pong v2") == true)
            let listed = try await harness.call(.get, "/api/rules", token: admin)
            #expect(listed.json.array.compactMap { $0["name"].string }.contains("pinger"))
        }
    }

    @Test("a rule's reply holding U+0000 is answered and stored with U+FFFD, the same text both ways")
    func nulInReply() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let visitor = try await harness.session()
            // `\\0` in the Swift source is `\0` in the Lua source: Lua's escape for a zero byte.
            let stored = try await harness.call(
                .put, "/api/rules/zero", json: ["source": Self.replying("zero\\0byte")], token: admin)
            #expect(stored.status == .created, "\(stored.text)")
            _ = try await harness.call(.post, "/api/rules/zero/activate", token: admin)
            let reply = try await harness.say("ping", token: visitor.token, conversation: visitor.conversation)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply["reply"]["text"].string == "zero\u{FFFD}byte")
            let history = try await harness.call(
                .get, "/api/chat/history/\(visitor.conversation)", token: visitor.token)
            #expect(history["messages"].array.last?["text"].string == "zero\u{FFFD}byte")
        }
    }

    @Test("a rule's decision is traced with its file and line; an escalation queues the conversation")
    func tracedEscalation() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let source = try String(
                contentsOf: Self.examples.appendingPathComponent("refund-escalation.lua"), encoding: .utf8)
            #expect(
                try await harness.call(.put, "/api/rules/refund-escalation", json: ["source": source], token: admin)
                    .status == .created)
            _ = try await harness.call(.post, "/api/rules/refund-escalation/activate", token: admin)
            let visitor = try await harness.session()
            let reply = try await harness.say(
                "This is terrible, I am furious. I want a refund now!", token: visitor.token,
                conversation: visitor.conversation)
            #expect(reply["conversation"]["state"].string == "queued", "\(reply.text)")
            let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            #expect(detail["turns"][0]["decided_by"].string == "rules")
            let rules = detail["turns"][0]["trace"].array.first { $0["stage"].string == "rules" }
            #expect(rules?["reason"].string?.hasPrefix("escalated by rules/refund-escalation.lua:") == true)
            #expect(rules?["notes"].array.isEmpty == false)
            #expect(detail["conversation"]["tags"].array.compactMap(\.string).contains("refund"))
        }
    }

    @Test("a rule that breaks a limit or fails never costs the visitor the reply; it is traced and counted")
    func limitsNeverBlock() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let rules = [
                ("a-spin", "function on_message(t) while true do end end"),
                ("b-memory", "function on_message(t) local s = string.rep('x', 100000000) end"),
                ("c-error", "function on_message(t) error('boom') end"),
            ]
            for (name, source) in rules {
                #expect(
                    try await harness.call(.put, "/api/rules/\(name)", json: ["source": source], token: admin).status
                        == .created)
                _ = try await harness.call(.post, "/api/rules/\(name)/activate", token: admin)
            }
            let visitor = try await harness.session()
            let reply = try await harness.say("hello there", token: visitor.token, conversation: visitor.conversation)
            #expect(reply.status == .ok)
            #expect(reply["reply"]["text"].string?.isEmpty == false)
            let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            let stage = detail["turns"][0]["trace"].array.first { $0["stage"].string == "rules" }
            let notes = stage?["notes"].array.compactMap(\.string) ?? []
            // Whichever CPU limit trips first on a loaded machine: the budget or the deadline.
            #expect(
                notes.contains {
                    $0.contains("a-spin") && ($0.contains("instructionLimit") || $0.contains("deadline"))
                },
                "\(notes)")
            #expect(notes.contains { $0.contains("b-memory") && $0.contains("memoryLimit") }, "\(notes)")
            #expect(notes.contains { $0.contains("c-error") && $0.contains("runtime") && $0.contains("boom") })
            let metrics = try await harness.call(.get, "/metrics").text
            #expect(metrics.contains("parley_rule_limit_kills_total"))
            #expect(metrics.contains("rules/a-spin.lua"))
            #expect(metrics.contains("parley_rule_errors_total"))
        }
    }

    @Test("shadow mode runs a candidate beside the active version, applies nothing, and reports disagreements")
    func shadowDiff() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            _ = try await harness.call(
                .put, "/api/rules/greeter", json: ["source": Self.replying("active hello", when: "hello")],
                token: admin)
            _ = try await harness.call(.post, "/api/rules/greeter/activate", token: admin)
            _ = try await harness.call(
                .put, "/api/rules/greeter", json: ["source": Self.replying("candidate hi", when: "hi")], token: admin)
            let noShadow = try await harness.call(.get, "/api/rules/greeter/shadow-diff", token: admin)
            #expect(noShadow.errorCode == "no_shadow")
            for bad in ["abc", "-1", "0"] {
                let refused = try await harness.call(
                    .get, "/api/rules/greeter/shadow-diff?version=\(bad)", token: admin)
                #expect(refused.status == .unprocessableContent, "version=\(bad): \(refused.text)")
            }
            let shadowed = try await harness.call(
                .post, "/api/rules/greeter/shadow", json: ["version": 2], token: admin)
            #expect(shadowed["shadow_version"].int == 2)

            let visitor = try await harness.session()
            var replies: [String?] = []
            for text in ["hello", "hi there", "good morning"] {
                replies.append(
                    try await harness.say(text, token: visitor.token, conversation: visitor.conversation)["reply"][
                        "text"
                    ].string)
            }
            #expect(replies[0] == "active hello")
            #expect(replies[1] != "candidate hi", "a shadow decision is never applied")

            let diff = try await harness.call(.get, "/api/rules/greeter/shadow-diff", token: admin)
            #expect(diff["compared"].int == 3)
            #expect(diff["disagreements"].int == 2)
            #expect(diff["candidate_version"].int == 2)
            #expect(diff["active_version"].int == 1)
            let items = diff["items"].array
            #expect(items.count == 2)
            #expect(items.contains { $0["active"]["reply"].string == "active hello" && $0["candidate"].isNull })
            #expect(items.contains { $0["active"].isNull && $0["candidate"]["reply"].string == "candidate hi" })
            let all = try await harness.call(.get, "/api/rules/greeter/shadow-diff?all=true", token: admin)
            #expect(all["items"].array.count == 3)

            #expect(try await harness.call(.delete, "/api/rules/greeter/shadow", token: admin)["shadow_version"].isNull)
        }
    }

    @Test("rules are the tenant's own: another tenant cannot see or trigger them; analysts cannot change them")
    func isolationAndRoles() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            _ = try await harness.call(
                .put, "/api/rules/pinger", json: ["source": Self.replying("demo pong")], token: admin)
            _ = try await harness.call(.post, "/api/rules/pinger/activate", token: admin)
            let other = try await harness.newTenant("Othercorp")
            #expect(try await harness.call(.get, "/api/rules/pinger/versions", token: other.token).status == .notFound)
            #expect(
                try await harness.call(.post, "/api/rules/pinger/activate", token: other.token).status == .notFound)
            #expect(
                try await harness.call(.get, "/api/rules", token: other.token).json.array.compactMap {
                    $0["name"].string
                } == ["human-handoff"], "a new tenant starts with the shipped defaults only")
            let visitor = try await harness.session(widgetKey: other.widgetKey)
            let reply = try await harness.say("ping", token: visitor.token, conversation: visitor.conversation)
            #expect(reply["reply"]["text"].string != "demo pong")

            let key = try await harness.call(
                .post, "/api/api-keys", json: ["name": "read", "role": "analyst"], token: admin)
            let analyst = try #require(key["secret"].string)
            #expect(try await harness.call(.get, "/api/rules", token: analyst).status == .ok)
            #expect(
                try await harness.call(.put, "/api/rules/x", json: ["source": Self.replying("x")], token: analyst)
                    .status == .forbidden)
            #expect(try await harness.call(.post, "/api/rules/pinger/rollback", token: analyst).status == .forbidden)
            #expect(try await harness.call(.get, "/api/rules").status == .unauthorized)
        }
    }

    @Test("new tenants start with the human-handoff default, which escalates an explicit request")
    func defaultRules() async throws {
        try await Harness.run { harness in
            let tenant = try await harness.newTenant("Freshco")
            let listed = try await harness.call(.get, "/api/rules", token: tenant.token)
            #expect(listed.json[0]["name"].string == "human-handoff")
            #expect(listed.json[0]["active_version"].int == 1)
            let visitor = try await harness.session(widgetKey: tenant.widgetKey)
            let reply = try await harness.say(
                "Can I talk to a human please?", token: visitor.token, conversation: visitor.conversation)
            #expect(reply["conversation"]["state"].string == "queued")
            let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: tenant.token)
            #expect(detail["turns"][0]["decided_by"].string == "rules")
        }
    }

    @Test("a tenant's plan changes its rule limits; only platform admins set it, within bounds")
    func planLimits() async throws {
        try await Harness.run { harness in
            let admin = try await harness.demoAdmin()
            let platform = try await harness.platformAdmin()
            let loop = """
                function on_message(turn)
                  local n = 0
                  for i = 1, 50000 do n = n + i end
                  return { reply = "counted " .. n }
                end
                """
            _ = try await harness.call(.put, "/api/rules/counter", json: ["source": loop], token: admin)
            _ = try await harness.call(.post, "/api/rules/counter/activate", token: admin)
            let visitor = try await harness.session()
            let before = try await harness.say("count", token: visitor.token, conversation: visitor.conversation)
            #expect(before["reply"]["text"].string == "counted 1250025000")

            let tenant = harness.seed.demoTenantID.rawValue
            #expect(
                try await harness.call(
                    .put, "/api/tenants/\(tenant)/plan", json: ["rule_instructions": 10_000], token: admin
                ).status == .forbidden)
            let invalid = try await harness.call(
                .put, "/api/tenants/\(tenant)/plan", json: ["rule_deadline_ms": 0], token: platform)
            #expect(invalid.status == .unprocessableContent)
            let set = try await harness.call(
                .put, "/api/tenants/\(tenant)/plan", json: ["rule_instructions": 10_000], token: platform)
            #expect(set["plan"]["rule_instructions"].int == 10_000)

            // An upload is checked under the same plan: a fixture that passed before now meets the budget.
            let fixture = #"{"name": "counts", "turn": {"text": "count"}, "expect": {"reply": "counted 1250025000"}}"#
            let checked = try await harness.call(
                .put, "/api/rules/counter", json: ["source": loop, "fixtures": fixture], token: admin)
            #expect(checked.errorCode == "fixtures_failed", "\(checked.text)")
            // And a fixture file holds at most 200 cases.
            let many = Array(repeating: #"{"name": "n", "turn": {"text": "x"}, "expect": null}"#, count: 201)
            let tooMany = try await harness.call(
                .put, "/api/rules/counter", json: ["source": loop, "fixtures": many.joined(separator: "\n")],
                token: admin)
            #expect(tooMany.errorCode == "invalid_fixtures", "\(tooMany.text)")
            #expect(tooMany.text.contains("200"), "\(tooMany.text)")

            let after = try await harness.say("count", token: visitor.token, conversation: visitor.conversation)
            #expect(
                after["reply"]["text"].string != "counted 1250025000", "the tighter budget applies on the next turn")
            let detail = try await harness.call(.get, "/api/conversations/\(visitor.conversation)", token: admin)
            let stage = detail["turns"][1]["trace"].array.first { $0["stage"].string == "rules" }
            #expect(stage?["notes"].array.contains { $0.string?.contains("instructionLimit") == true } == true)
        }
    }
}
