import HummingbirdCore
import Logging
import NIOCore

/// A server's connections as `base` sets them up, with a `RequestHeadGuard` before everything else.
struct HeadGuardedChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    /// The `RequestHeadGuard`'s limits.
    let limit: Int
    let timeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let added = channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestHeadGuard(limit: limit, timeout: timeout))
        }
        return added.flatMap { base.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
