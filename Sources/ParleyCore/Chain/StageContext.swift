import Foundation
import Logging

/// What a stage may know besides the turn: the tenant, the time, a logger and the server's services.
public struct StageContext: Sendable {
    /// The tenant whose chain is running.
    public var tenant: Tenant
    /// The time the turn started; stages use it instead of reading the clock.
    public var now: Date
    /// A logger carrying the request id.
    ///
    /// Never log message text above debug level.
    public var logger: Logger
    /// Runtime dependencies for stages that need more than their settings, such as the tenant's rules.
    public var services: StageServices

    /// Makes a context.
    public init(tenant: Tenant, now: Date, logger: Logger, services: StageServices = StageServices()) {
        self.tenant = tenant
        self.now = now
        self.logger = logger
        self.services = services
    }
}
