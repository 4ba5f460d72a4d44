/// A staff role; each route names the roles that may call it.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Operates the whole installation: creates tenants, sees every tenant.
    case platformAdmin = "platform_admin"
    /// Administers one tenant: users, keys, domains, the chain.
    case enterpriseAdmin = "enterprise_admin"
    /// Manages the tenant's agents and conversations.
    case agentManager = "agent_manager"
    /// Answers conversations handed over by the bot.
    case humanAgent = "human_agent"
    /// Reads conversations and figures, changes nothing.
    case analyst

    /// How much the role may do; a higher rank includes the powers of the lower staff roles.
    var rank: Int {
        switch self {
        case .analyst: 0
        case .humanAgent: 1
        case .agentManager: 2
        case .enterpriseAdmin: 3
        case .platformAdmin: 4
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
