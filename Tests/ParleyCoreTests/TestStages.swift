import Foundation
import Logging
import ParleyCore

/// Small stages for chain tests: each records its id in the turn so tests can see the order stages ran in.
struct RecordingStage: Stage {
    static let manifest = StageManifest(id: "recording", version: "1.0.0", description: "records", isBuiltIn: true)

    struct Settings: StageSettings {
        var label = "recording"
        var limit = 10

        init() {}

        func validate() -> [String] { limit < 0 ? ["limit must be 0 or more"] : [] }
    }

    let settings: Settings

    func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        turn.tags.insert(settings.label)
        turn.extensions["order", default: .array([])] = .array(
            (turn.extensions["order"].flatMap { if case .array(let items) = $0 { items } else { nil } } ?? [])
                + [.string(settings.label)])
        return .continue(because: "recorded \(settings.label)")
    }
}

struct ReplyingStage: Stage {
    static let manifest = StageManifest(
        id: "replying", version: "2.1.0", description: "replies", placement: Placement(after: ["recording"]),
        isBuiltIn: true)

    typealias Settings = NoSettings

    init(settings: NoSettings) {}

    func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        .reply("hello", reason: "always replies")
    }
}

struct FailingStage: Stage {
    static let manifest = StageManifest(id: "failing", version: "0.1.0", description: "throws", isBuiltIn: false)

    typealias Settings = NoSettings

    struct Failure: Error {}

    init(settings: NoSettings) {}

    func process(_ turn: inout Turn, context: StageContext) async throws -> Outcome {
        throw Failure()
    }
}

enum Fixtures {
    static let tenant = Tenant(
        id: TenantID("t1"), name: "Acme", widgetKey: "wk", fallbackText: "Sorry, I don't know.", createdAt: Date())

    static func turn(_ text: String = "hello", botFailures: Int = 0) -> Turn {
        Turn(
            tenantID: tenant.id, conversationID: ConversationID("c1"), messageID: MessageID("m1"),
            visitorID: VisitorID("v1"), text: text, botFailures: botFailures)
    }

    static func context(now: Date = Date()) -> StageContext {
        StageContext(tenant: tenant, now: now, logger: Logger(label: "test"))
    }

    static func order(_ turn: Turn) -> [String] {
        guard case .array(let items) = turn.extensions["order"] else { return [] }
        return items.compactMap { if case .string(let label) = $0 { label } else { nil } }
    }
}
