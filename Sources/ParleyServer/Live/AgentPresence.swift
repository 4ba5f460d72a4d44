import Foundation
import ParleyCore
import Synchronization

/// Which of a tenant's agents are available now, the same on every replica.
///
/// An agent's console reports its status (`online`, `away`, `offline`) and repeats it as a heartbeat; a report
/// holds for `ttl` seconds, so a console that closes without a word drops out by itself. Reports made here go to
/// the other replicas (`outgoing`), and theirs arrive through `apply`. A replica that starts learns of the agents
/// already online at their next heartbeat.
final class AgentPresence: Sendable {
    /// An agent's availability.
    enum Status: String, Codable, Sendable, CaseIterable {
        case online, away, offline
    }

    /// One agent's latest report.
    struct Report: Codable, Sendable, Equatable {
        var user: UserID
        var name: String
        var status: Status
        /// When the status last changed.
        var since: Date
        /// When the agent made this report: a later one replaces it, whatever order they arrive in.
        var reported: Date
        /// When the report lapses unless repeated.
        var until: Date
    }

    /// How long a report holds without a heartbeat.
    let ttl: TimeInterval
    /// Reports made here, for the other replicas, in order; nil when there are none.
    let outgoing: AsyncStream<(TenantID, Report)>?
    private let forward: AsyncStream<(TenantID, Report)>.Continuation?
    private let reports = Mutex<[TenantID: [UserID: Report]]>([:])

    init(ttl: TimeInterval = 90, sharedWithReplicas: Bool) {
        self.ttl = ttl
        if sharedWithReplicas {
            let (stream, continuation) = AsyncStream<(TenantID, Report)>.makeStream(
                bufferingPolicy: .bufferingNewest(4096))
            (outgoing, forward) = (stream, continuation)
        } else {
            (outgoing, forward) = (nil, nil)
        }
    }

    /// Records the agent's status here and tells the other replicas; the report as stored.
    @discardableResult
    func report(_ status: Status, user: UserID, name: String, tenant: TenantID, now: Date = Date()) -> Report {
        let report = reports.withLock { reports in
            let previous = reports[tenant]?[user]
            let changed = previous == nil || previous?.status != status || previous!.until < now
            let report = Report(
                user: user, name: name, status: status, since: changed ? now : previous!.since, reported: now,
                until: now.addingTimeInterval(status == .offline ? 0 : ttl))
            reports[tenant, default: [:]][user] = report
            return report
        }
        forward?.yield((tenant, report))
        return report
    }

    /// Records a report another replica made.
    func apply(_ report: Report, tenant: TenantID) {
        reports.withLock { reports in
            if let current = reports[tenant]?[report.user], current.reported > report.reported { return }
            reports[tenant, default: [:]][report.user] = report
        }
    }

    /// The tenant's agents who are online or away now, by name; lapsed reports are dropped.
    func available(tenant: TenantID, now: Date = Date()) -> [Report] {
        reports.withLock { reports in
            let live = (reports[tenant] ?? [:]).filter { $0.value.until > now && $0.value.status != .offline }
            reports[tenant] = live.isEmpty ? nil : live
            return live.values.sorted { ($0.name, $0.user.rawValue) < ($1.name, $1.user.rawValue) }
        }
    }
}
