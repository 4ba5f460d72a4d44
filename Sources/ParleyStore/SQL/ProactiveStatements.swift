import Foundation
import ParleyCore

/// The statements both stores use to check and record a proactive delivery.
enum ProactiveStatements {
    /// A delivery of one rule to one visitor after a time (binds: tenant, visitor, rule, since).
    static let lastOfRule = """
        SELECT 1 FROM proactive_deliveries WHERE tenant_id = ? AND visitor_id = ? AND rule = ? AND sent_at > ?
        LIMIT 1
        """
    /// How many deliveries one visitor had after a time (binds: tenant, visitor, since).
    static let countSince = """
        SELECT COUNT(*) AS n FROM proactive_deliveries WHERE tenant_id = ? AND visitor_id = ? AND sent_at > ?
        """
    /// The conversation, when the bot still has it (binds: conversation, tenant).
    static let withBot = "SELECT 1 FROM conversations WHERE id = ? AND tenant_id = ? AND state = 'bot'"
    /// Records a delivery (binds: tenant, visitor, rule, sent at).
    static let record =
        "INSERT INTO proactive_deliveries (tenant_id, visitor_id, rule, sent_at) VALUES (?, ?, ?, ?)"

    /// The binds of `lastOfRule`, `countSince` and `record` for a message sent now.
    static func binds(_ message: Message, rule: String, visitor: VisitorID, allowance: ProactiveAllowance)
        -> (withBot: [SQLValue], lastOfRule: [SQLValue], countSince: [SQLValue], record: [SQLValue])
    {
        let tenant = SQLValue.text(message.tenantID.rawValue)
        let visitorID = SQLValue.text(visitor.rawValue)
        let now = message.createdAt
        return (
            [.text(message.conversationID.rawValue), tenant],
            [tenant, visitorID, .text(rule), SQLValues.date(now.addingTimeInterval(-allowance.cooldown))],
            [tenant, visitorID, SQLValues.date(now.addingTimeInterval(-allowance.capWindow))],
            [tenant, visitorID, .text(rule), SQLValues.date(now)]
        )
    }
}
