import Foundation
import Logging

/// What a stage may know besides the turn: the tenant, the time and a logger.
public struct StageContext: Sendable {
    /// The tenant whose chain is running.
    public var tenant: Tenant
    /// The time the turn started; stages use it instead of reading the clock.
    public var now: Date
    /// A logger carrying the request id.
    ///
    /// Never log message text above debug level.
    public var logger: Logger

    /// Makes a context.
    public init(tenant: Tenant, now: Date, logger: Logger) {
        self.tenant = tenant
        self.now = now
        self.logger = logger
    }
}
