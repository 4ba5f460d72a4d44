import Hummingbird
import ParleyCore
import Synchronization

/// Every API route with its documentation; the router and the OpenAPI document are both built from it.
final class RouteTable: Sendable {
    /// Who may call a route.
    enum Access: Sendable {
        /// Anyone.
        case publicAccess
        /// A widget visitor with a visitor token.
        case visitor
        /// A staff user or API key with at least this role.
        case staff(Role)
    }

    /// One documented route.
    struct Entry: Sendable {
        var method: HTTPRequest.Method
        /// The Hummingbird path template (`/api/domains/:id`).
        var path: String
        var summary: String
        var tag: String
        var access: Access
        /// Request body fields: name → JSON type; required ones listed in `required`.
        var body: [String: String]
        var required: [String]
    }

    private let entries = Mutex<[Entry]>([])

    /// The routes registered so far, in registration order.
    var all: [Entry] { entries.withLock { $0 } }

    func add(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }

    /// The methods registered for paths that match `path`, for 405 answers.
    func methods(matching path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let methods = all.filter { entry in
            let template = entry.path.split(separator: "/", omittingEmptySubsequences: true)
            return template.count == segments.count
                && zip(template, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }.map(\.method.rawValue)
        return Array(Set(methods)).sorted()
    }
}
